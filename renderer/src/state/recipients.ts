// The Recipients screen's state: the search and its matches (recipient.list, the full-text index), the recipient
// open in the details panel (recipient.get) and the edit form saved through recipient.update; an error main
// names a field of goes beside that field, any other above the form.
import { create } from 'zustand';
import type { RecipientDetails } from '../../../shared/api.js';
import type { Recipient } from '../../../shared/domain.js';
import { ApiError, call, messageOf } from './api.js';

/** The editable fields as the form holds them: text, '' for none. */
export interface RecipientForm {
  email: string;
  phone: string;
  description: string;
  sid: string;
  account: string;
}
export type RecipientField = keyof RecipientForm;
const FIELDS: RecipientField[] = ['email', 'phone', 'description', 'sid', 'account'];

interface RecipientsState {
  search: string;
  matches: Recipient[];
  open: RecipientDetails | null;
  form: RecipientForm;
  /** A problem main reported for one field (the message as main wrote it), shown beside it. */
  problem: { field: RecipientField; message: string } | null;
  /** Any other failure, shown above the form. */
  error: string | null;
  note: string | null;
  saving: boolean;
  setSearch(search: string): Promise<void>;
  select(id: number): Promise<void>;
  edit(changes: Partial<RecipientForm>): void;
  /** Saves the changed fields ('' clears one); `fromCertificate` stores the SID of the newest certificate instead of the SID field. Returns whether it saved. */
  save(fromCertificate?: boolean): Promise<boolean>;
  /** Forgets everything (the vault was locked). */
  forget(): void;
}

function formOf(d: RecipientDetails | null): RecipientForm {
  const r = d?.recipient;
  return { email: r?.email ?? '', phone: r?.phone ?? '', description: r?.description ?? '', sid: r?.sid ?? '', account: r?.account ?? '' };
}

const EMPTY = { search: '', matches: [] as Recipient[], open: null, form: formOf(null), problem: null, error: null, note: null, saving: false };

export const useRecipients = create<RecipientsState>((set, get) => ({
  ...EMPTY,
  async setSearch(search) {
    set({ search });
    try {
      const matches = await call('recipient.list', { search });
      if (get().search === search) set({ matches, error: null });
    } catch (e) {
      if (get().search === search) set({ error: messageOf(e) });
    }
  },
  async select(id) {
    try {
      const open = await call('recipient.get', { id });
      set({ open, form: formOf(open), problem: null, error: null, note: null });
    } catch (e) {
      set({ error: messageOf(e) });
    }
  },
  edit(changes) {
    set({ form: { ...get().form, ...changes }, note: null });
  },
  async save(fromCertificate = false) {
    const { open, form } = get();
    if (!open) return false;
    const saved = formOf(open);
    const changes: Partial<Record<RecipientField, string>> = {};
    for (const f of FIELDS) if (form[f].trim() !== saved[f]) changes[f] = form[f];
    if (fromCertificate) delete changes.sid;
    set({ saving: true, problem: null, error: null, note: null });
    try {
      const next = await call('recipient.update', { id: open.recipient.id, changes: { ...changes, ...(fromCertificate ? { sidFromCertificate: true } : {}) } });
      set({ open: next, form: formOf(next), saving: false, note: `Saved ${next.recipient.name}.`, matches: get().matches.map((m) => (m.id === next.recipient.id ? next.recipient : m)) });
      return true;
    } catch (e) {
      const field = e instanceof ApiError ? e.field : undefined;
      if (field && (FIELDS as string[]).includes(field)) set({ problem: { field: field as RecipientField, message: messageOf(e) }, saving: false });
      else set({ error: messageOf(e), saving: false });
      return false;
    }
  },
  forget() {
    set({ ...EMPTY });
  },
}));
