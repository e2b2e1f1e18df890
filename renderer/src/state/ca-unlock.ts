// The unlock dialog's state (issue 15): the CAs waiting to be unlocked (each with the calls that wait on it), and
// the form of the first one: the officers' shares (a CA under K-of-N control) or the token's PIN (a CA whose key
// is on a PKCS#11 token). api.ts's call() asks `ask` when an action is refused for a CA that needs its officers;
// the dialog settles it. The share passphrases and the PIN live here only until they are sent: every attempt,
// whatever its outcome, clears them; settling or locking clears the whole form.
import { create } from 'zustand';
import type { QuorumUnlocked } from '../../../shared/api.js';
import { ApiError, call, messageOf } from './api.js';
import { needKey, type CaUnlockNeed } from './ca-unlock-needs.js';

export interface ShareRow {
  /** Stable key for the list. */
  id: number;
  /** The picked file's name, or null for pasted text. */
  fileName: string | null;
  /** The armored share text (read from the file, or pasted). */
  text: string;
  passphrase: string;
  /** Main's refusal about this share, in its words. */
  problem: string | null;
}

interface Waiting {
  need: CaUnlockNeed;
  waiters: ((unlocked: boolean) => void)[];
}

interface CaUnlockState {
  /** First: the one the dialog shows. */
  queue: Waiting[];
  rows: ShareRow[];
  /** The token PIN typed for a token CA (kind 'token'): cleared as soon as it is sent. */
  pin: string;
  /** A refusal not about one share (fewer than K, a share of another CA given with no file named). */
  error: string | null;
  busy: boolean;
  /** Counts unlocks and the actions done after them: views that show a CA's state and uses reload when it changes. */
  unlocks: number;
  /** An action made again after an unlock succeeded (api.ts tells). */
  signedAfterUnlock(): void;
  /** Resolves true once the CA is unlocked, false when the officers cancel or the vault locks. */
  ask(need: CaUnlockNeed): Promise<boolean>;
  setRow(id: number, change: Partial<Omit<ShareRow, 'id'>>): void;
  addRow(): void;
  removeRow(id: number): void;
  /** Sends the filled rows (ca.presentShares); on success settles the first CA (its calls are made again). */
  presentShares(): Promise<QuorumUnlocked | null>;
  setPin(pin: string): void;
  /** Logs in to the first CA's token with the PIN (ca.tokenLogin); on success settles it (its calls are made again). */
  tokenLogin(): Promise<{ ca: string; token: string } | null>;
  /** The officers close the dialog: the first CA's calls fail as they were refused. */
  cancel(): void;
  /** Locking, or no dialog any more: every waiting call fails as it was refused, the form is cleared. */
  forget(): void;
}

let nextId = 1;
/** A new empty share row. */
export const emptyRow = (): ShareRow => ({ id: nextId++, fileName: null, text: '', passphrase: '', problem: null });
const rowsFor = (need: CaUnlockNeed | undefined): ShareRow[] => Array.from({ length: need?.kind === 'quorum' ? need.k : 0 }, emptyRow);

/** The label main names a share by: its file name, or "pasted share N"; made unique by its place. */
export function shareLabel(row: ShareRow, index: number, rows: ShareRow[]): string {
  const base = row.fileName ?? `pasted share ${index + 1}`;
  const same = rows.filter((r, i) => i !== index && (r.fileName ?? `pasted share ${i + 1}`) === base).length;
  return same ? `${base} (share ${index + 1})` : base;
}

/** The rows that will be sent: those with text or a passphrase. */
export function filledRows(rows: ShareRow[]): ShareRow[] {
  return rows.filter((r) => r.text.trim() !== '' || r.passphrase !== '');
}

/** The filled rows as main takes them (ca.presentShares, ca.quorumReissue), and which row each label names. */
export function sharesOf(rows: ShareRow[]): { shares: { label: string; text: string; passphrase: string }[]; rowOfLabel: Map<string, number> } {
  const filled = filledRows(rows);
  const shares = filled.map((r) => ({ label: shareLabel(r, rows.indexOf(r), rows), text: r.text, passphrase: r.passphrase }));
  return { shares, rowOfLabel: new Map(filled.map((r, i) => [shares[i]!.label, r.id])) };
}

/**
 * Main's refusal `e` of the shares sent, placed: on the row whose label it names (details.file), else as the
 * form's error. Every passphrase is cleared (they were sent).
 */
export function placeRefusal(rows: ShareRow[], rowOfLabel: Map<string, number>, e: unknown): { rows: ShareRow[]; error: string | null } {
  const file = e instanceof ApiError && typeof e.details?.file === 'string' ? e.details.file : null;
  const rowId = file === null ? undefined : rowOfLabel.get(file);
  const message = messageOf(e);
  const cleared = rows.map((r) => ({ ...r, passphrase: '' }));
  if (rowId === undefined) return { rows: cleared, error: message };
  return { rows: cleared.map((r) => (r.id === rowId ? { ...r, problem: message } : r)), error: null };
}

/** What is still missing before the form can be sent, in words (empty: it can be sent). */
export function missingFor(rows: ShareRow[]): string[] {
  const filled = filledRows(rows);
  if (filled.length === 0) return ['Add a share: pick its file or paste its text, and type its passphrase.'];
  const out: string[] = [];
  rows.forEach((r, i) => {
    if (!filled.includes(r)) return;
    if (r.text.trim() === '') out.push(`Share ${i + 1} needs its file or text.`);
    if (r.passphrase === '') out.push(`Share ${i + 1} needs its passphrase.`);
  });
  return out;
}

export const useCaUnlock = create<CaUnlockState>((set, get) => {
  /** Settles the first waiting CA and moves on to the next (a fresh form for it). */
  const settleFirst = (unlocked: boolean) => {
    const [first, ...rest] = get().queue;
    set({ queue: rest, rows: rowsFor(rest[0]?.need), pin: '', error: null, busy: false });
    for (const w of first?.waiters ?? []) w(unlocked);
  };
  return {
    queue: [],
    rows: [],
    pin: '',
    error: null,
    busy: false,
    unlocks: 0,
    signedAfterUnlock: () => set({ unlocks: get().unlocks + 1 }),
    ask: (need) =>
      new Promise<boolean>((resolve) => {
        const queue = get().queue;
        const same = queue.find((w) => needKey(w.need) === needKey(need));
        if (same) {
          same.waiters.push(resolve);
          return;
        }
        set({ queue: [...queue, { need, waiters: [resolve] }], ...(queue.length === 0 ? { rows: rowsFor(need), pin: '', error: null } : {}) });
      }),
    setRow: (id, change) => set({ rows: get().rows.map((r) => (r.id === id ? { ...r, ...change, problem: change.problem ?? null } : r)) }),
    addRow: () => set({ rows: [...get().rows, emptyRow()] }),
    removeRow: (id) => set({ rows: get().rows.filter((r) => r.id !== id) }),
    presentShares: async () => {
      const first = get().queue[0];
      if (!first || get().busy) return null;
      const rows = get().rows;
      const { shares, rowOfLabel } = sharesOf(rows);
      // Sent: the passphrases leave the form now, whatever main answers.
      set({ busy: true, error: null, rows: rows.map((r) => ({ ...r, passphrase: '', problem: null })) });
      try {
        const unlocked = await call('ca.presentShares', { ca: first.need.ca, shares });
        set({ unlocks: get().unlocks + 1 });
        settleFirst(true);
        return unlocked;
      } catch (e) {
        set({ busy: false, ...placeRefusal(get().rows, rowOfLabel, e) });
        return null;
      } finally {
        for (const s of shares) s.passphrase = '';
      }
    },
    setPin: (pin) => set({ pin }),
    tokenLogin: async () => {
      const first = get().queue[0];
      const pin = get().pin;
      if (!first || first.need.kind !== 'token' || get().busy || pin === '') return null;
      const caName = first.need.ca;
      // Sent: the PIN leaves the form now, whatever main answers.
      set({ busy: true, error: null, pin: '' });
      try {
        // ca.tokenLogin names the CA by id; the refusal named it by its name (unique in a vault).
        const ca = (await call('ca.list', {})).find((c) => c.name === caName);
        if (!ca) throw new Error(`CA “${caName}” is no longer in this vault`);
        const loggedIn = await call('ca.tokenLogin', { ca: ca.id, pin });
        set({ unlocks: get().unlocks + 1 });
        settleFirst(true);
        return loggedIn;
      } catch (e) {
        set({ busy: false, error: messageOf(e) });
        return null;
      }
    },
    cancel: () => settleFirst(false),
    forget: () => {
      const queue = get().queue;
      set({ queue: [], rows: [], pin: '', error: null, busy: false });
      for (const w of queue) for (const fn of w.waiters) fn(false);
    },
  };
});
