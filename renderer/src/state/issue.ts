// The issue wizard: one step per decision, the draft checked by main as it is typed (the same rules
// issuing applies), and the hand-over kept only while the finish page shows it.
import { create } from 'zustand';
import type { Handover, IssueCheck, IssueMode, RequestOf } from '../../../shared/api.js';
import type { DeviceId } from '../../../shared/devices.js';
import type { KeyType, PfxEncryption, PreflightFinding, Profile, ProfileId, San } from '../../../shared/domain.js';
import { call, messageOf } from './api.js';
import { prefillSans, type RecipientDraft } from './prefill.js';

export const ISSUE_STEPS = ['type', 'recipient', 'names', 'key', 'delivery', 'confirm', 'finish'] as const;
export type IssueStep = (typeof ISSUE_STEPS)[number];
export const STEP_LABELS: Record<IssueStep, string> = {
  type: 'Type',
  recipient: 'Recipient',
  names: 'Names',
  key: 'Key and validity',
  delivery: 'Delivery',
  confirm: 'Confirm',
  finish: 'Hand over',
};

/** Which problem fields each step owns, so a step shows (and blocks on) its own problems only. */
const STEP_FIELDS: Partial<Record<IssueStep, (field: string) => boolean>> = {
  recipient: (f) => f === 'name' || f === 'recipient.sid' || f === 'account',
  names: (f) => f === 'sans' || f.startsWith('sans.') || f === 'alias' || f === 'sid',
  key: (f) => f === 'days' || f === 'keyType',
};

export interface Delivery {
  folder: string;
  /** Used only while no device is chosen (a store driven without the delivery step): the profile's default. */
  encryption: PfxEncryption;
  /** What will install the certificate (shared/devices.ts): main derives the PFX form from it (issue 14). */
  devices: DeviceId[];
  /** The devices were preselected from this recipient's latest delivery (its name), or null. */
  devicesFrom?: string | null;
  passwordMode: 'generate' | 'set';
  password: string;
  confirm: string;
}

export interface IssueDraft {
  mode: IssueMode;
  profile: ProfileId;
  ca: number | null;
  recipient: RecipientDraft;
  sans: San[];
  keyType: KeyType | undefined;
  days: number | undefined;
  alias: string;
  /** Issue despite preflight errors: the confirm step's checkbox and the reason recorded in the audit log. */
  override: { on: boolean; reason: string };
  /** The holder's Windows SID (user and device profiles): the certificate carries it for strong mapping. */
  sid: string;
}

interface IssueState {
  step: IssueStep;
  draft: IssueDraft;
  delivery: Delivery;
  check: IssueCheck | null;
  checking: boolean;
  busy: boolean;
  error: string | null;
  handover: Handover | null;
  go(step: IssueStep): void;
  update(patch: Partial<IssueDraft>): void;
  setProfile(profile: Profile): void;
  setRecipient(r: RecipientDraft, profile: Profile | undefined): void;
  setDelivery(patch: Partial<Delivery>): void;
  /** Preselects the devices of earlier recipient `id`'s latest delivery (recipient.get's lastDelivery), if it has one. */
  preselectDevices(id: number, name: string): Promise<void>;
  runCheck(): Promise<void>;
  issue(): Promise<boolean>;
  reset(): void;
  /** The officer left the hand-over without Done: forget it as Done does (the password is shown once only). */
  leaveHandover(): void;
}

const EMPTY_DRAFT: IssueDraft = { mode: 'per-user', profile: 'user', ca: null, recipient: { name: '' }, sans: [], keyType: undefined, days: undefined, alias: '', override: { on: false, reason: '' }, sid: '' };
const EMPTY_DELIVERY: Delivery = { folder: '', encryption: 'modern', devices: [], devicesFrom: null, passwordMode: 'generate', password: '', confirm: '' };

export function problemsFor(check: IssueCheck | null, step: IssueStep): IssueCheck['problems'] {
  const owns = STEP_FIELDS[step];
  return check && owns ? check.problems.filter((p) => owns(p.field)) : [];
}

/** The step that shows a preflight finding beside its field: name, names, key and validity; the rest (profile, CA, SID) on the confirm step. */
function findingStep(field: string): IssueStep {
  if (field === 'name') return 'recipient';
  if (field === 'sans' || field.startsWith('sans.')) return 'names';
  if (field === 'days' || field === 'keyType') return 'key';
  return 'confirm';
}

/** Preflight's findings to show on a step: those of its fields; the confirm step shows every one. */
export function findingsFor(check: IssueCheck | null, step: IssueStep): PreflightFinding[] {
  const all = check?.findings ?? [];
  return step === 'confirm' ? all : all.filter((f) => findingStep(f.field) === step);
}

/** What is missing before the officer may go on from a step (checked locally; main re-checks everything). */
export function blockers(s: Pick<IssueState, 'draft' | 'delivery' | 'check'>, step: IssueStep): string[] {
  const out: string[] = [];
  if (step === 'type' && s.draft.ca === null) out.push('Choose the issuing CA.');
  if (step === 'recipient' && !s.draft.recipient.name.trim()) out.push('Enter the holder’s name.');
  if (step === 'names' && s.draft.sans.some((x) => !x.value.trim())) out.push('Fill in or remove the empty name.');
  if (step === 'delivery') {
    if (!s.delivery.devices.length) out.push('Choose what will install the certificate.');
    if (!s.delivery.folder.trim()) out.push('Choose the export folder (the USB stick).');
    if (s.delivery.passwordMode === 'set') {
      if (!s.delivery.password) out.push('Enter the PFX password.');
      else if (s.delivery.password !== s.delivery.confirm) out.push('The two passwords differ.');
    }
  }
  for (const p of problemsFor(s.check, step)) out.push(p.message);
  if (step === 'confirm') {
    const errors = findingsFor(s.check, 'confirm').filter((f) => f.severity === 'error').length;
    if (errors && !(s.draft.override.on && s.draft.override.reason.trim())) {
      out.push(`Preflight found ${errors === 1 ? 'an error' : `${errors} errors`}: fix ${errors === 1 ? 'it' : 'them'}, or tick “Issue anyway” and give the reason.`);
    }
  }
  return out;
}

export function toRequest(d: IssueDraft): RequestOf<'issue.check'> | null {
  if (d.ca === null) return null;
  const r = d.recipient;
  return {
    mode: d.mode,
    profile: d.profile,
    ca: d.ca,
    recipient: { name: r.name, email: r.email || undefined, phone: r.phone || undefined, description: r.description || undefined, sid: r.sid?.trim() || undefined, account: r.account?.trim() || undefined },
    sans: d.sans.filter((s) => s.value.trim() !== ''),
    keyType: d.keyType,
    days: d.days,
    alias: d.alias || undefined,
    override: d.override.on && d.override.reason.trim() ? d.override.reason.trim() : undefined,
    sid: d.sid.trim() || undefined,
  };
}

let checkSeq = 0;

export const useIssue = create<IssueState>((set, get) => ({
  step: 'type',
  draft: EMPTY_DRAFT,
  delivery: EMPTY_DELIVERY,
  check: null,
  checking: false,
  busy: false,
  error: null,
  handover: null,
  go: (step) => set({ step, error: null }),
  update: (patch) => set({ draft: { ...get().draft, ...patch } }),
  setProfile: (profile) =>
    set({
      draft: { ...get().draft, profile: profile.id, keyType: undefined, days: undefined, sans: prefillSans(profile, get().draft.recipient), sid: profile.id === 'user' || profile.id === 'device' ? get().draft.sid : '' },
      delivery: { ...get().delivery, encryption: profile.pfxEncryption },
    }),
  setRecipient: (recipient, profile) => {
    const d = get().draft;
    // The certificate's SID follows the recipient's while the officer has not typed another one (user and device profiles carry it).
    const follows = (d.profile === 'user' || d.profile === 'device') && (d.sid === '' || d.sid === (d.recipient.sid ?? ''));
    set({ draft: { ...d, recipient, sans: profile ? prefillSans(profile, recipient) : d.sans, sid: follows ? (recipient.sid ?? '') : d.sid } });
  },
  setDelivery: (patch) => set({ delivery: { ...get().delivery, ...patch } }),
  preselectDevices: async (id, name) => {
    try {
      const last = (await call('recipient.get', { id })).lastDelivery;
      if (last && last.devices.length) set({ delivery: { ...get().delivery, devices: last.devices, devicesFrom: name } });
    } catch {
      // Only a preselection: without it the officer chooses the devices on the delivery step.
    }
  },
  runCheck: async () => {
    const req = toRequest(get().draft);
    if (!req || !req.recipient.name.trim()) return;
    const seq = ++checkSeq;
    set({ checking: true });
    try {
      const check = await call('issue.check', req);
      if (seq === checkSeq) set({ check, checking: false, error: null });
    } catch (e) {
      if (seq === checkSeq) set({ checking: false, error: messageOf(e) });
    }
  },
  issue: async () => {
    const req = toRequest(get().draft);
    if (!req) return false;
    const d = get().delivery;
    set({ busy: true, error: null });
    try {
      const form = d.devices.length ? { devices: d.devices } : { encryption: d.encryption };
      const handover = await call('issue.run', { ...req, delivery: { folder: d.folder, ...form, password: d.passwordMode === 'set' ? d.password : undefined } });
      // The set password is not kept past this point; the generated one lives only in `handover` until Done.
      set({ handover, busy: false, step: 'finish', delivery: { ...d, password: '', confirm: '' } });
      return true;
    } catch (e) {
      set({ busy: false, error: messageOf(e) });
      return false;
    }
  },
  leaveHandover: () => {
    if (get().handover !== null || get().step === 'finish') get().reset();
  },
  reset: () => set({ step: 'type', draft: { ...EMPTY_DRAFT, ca: get().draft.ca }, delivery: { ...EMPTY_DELIVERY, folder: get().delivery.folder }, check: null, handover: null, error: null, busy: false }),
}));
