// The typed API between the renderer and the main process: one map from channel name to a request
// schema (checked at runtime in main and in the test harness) and a response type. Everything that
// derives from it (the handler table main must implement, the preload's functions, the renderer's
// client, the harness bridge) is typed from this one map.
//
// Payloads are plain JSON: binary travels as Base64 text, times as ISO strings. So a request or a
// response crosses Electron IPC, structuredClone and HTTP (the harness) alike.
import { z } from 'zod';
import {
  CERT_SORTS,
  KEY_TYPES,
  PREFLIGHT_TARGETS,
  PROFILE_IDS,
  REVOCATION_REASONS,
  SAN_TYPES,
  type AuditEntry,
  type VaultVerification,
  type CaRecord,
  CA_EXPORT_FORMATS,
  CA_REVOCATION_REASONS,
  type CaDetails,
  type CaExportSummary,
  type CaRenewal,
  type CertificateRecord,
  type ExportSummary,
  type KeyType,
  type PfxEncryption,
  type PreflightFinding,
  type PreflightTarget,
  type Profile,
  type Recipient,
  type RecipientKind,
  type San,
} from './domain.js';
import type { ErrorResult } from './errors.js';
import type { FailedDelivery, PendingDelivery } from './pending.js';
import { CHANNEL_NAMES, type ChannelName } from './channels.js';
import type { DeliveryChoice } from './devices.js';
import { devicesSchema } from './devices-schema.js';
import { base64Length, base64TooBig, INPUT_LIMITS, textTooBig, type InputKind } from '../electron/core/input-limits.js';

// ---- building blocks ------------------------------------------------------------------------

const id = z.number().int().positive();
const line = (max = 200) => z.string().max(max);
const path = z.string().min(1, 'choose a location').max(4096);
/**
 * A file's bytes as Base64, capped at its kind's limit (electron/core/input-limits.ts): the renderer cannot
 * send a larger CSR, PFX or CSV. Too long, dispatch answers INVALID_INPUT
 * "<channel>: <field>: the <kind> is about N bytes; the limit is M bytes".
 */
const base64 = (kind: InputKind) =>
  z
    .string()
    .max(base64Length(INPUT_LIMITS[kind]), { error: (iss) => base64TooBig(kind, String(iss.input).length) })
    .regex(/^[A-Za-z0-9+/]*={0,2}$/, 'not Base64');
/** PEM text of a kind, capped at its limit in characters (PEM is ASCII: one byte each). */
/** A token's user PIN (issue 15): used for one login and never stored. */
const tokenPin = z.string().min(1, 'enter the PIN').max(255);
/** Where a CA's key is to be made on a PKCS#11 token, and the PIN (never stored). */
const tokenKey = z.object({ module: z.string().min(1).max(4096), token: z.string().min(1).max(32), keyLabel: z.string().max(255).optional(), pin: tokenPin }).strict();
const pemText = (kind: InputKind) => z.string().max(INPUT_LIMITS[kind], { error: (iss) => textTooBig(kind, String(iss.input).length) });
const keyType = z.enum(KEY_TYPES);
const profileId = z.enum(PROFILE_IDS);
const encryption = z.enum(['modern', 'legacy']);
const san = z.object({ type: z.enum(SAN_TYPES), value: z.string().min(1).max(2000) });
const days = z.number().int().min(1).max(36_500);
const none = z.object({}).strict();
const secret = z.string().min(1).max(1024);
// K officers' shares as the window holds them (armored text read in the window or pasted, a label naming it in
// messages, the holder's passphrase): ca.presentShares and ca.quorumReissue.
const givenShares = z.array(z.object({ label: line(200).min(1), text: z.string().min(1).max(16_384), passphrase: secret }).strict()).min(1).max(16);
// A new K-of-N split (ca.quorumSet, ca.quorumReissue, vault.backup's shares): each holder's name and own passphrase
// (share 1 first), K, and the folder a folder dialog answered for the share files.
const newSplit = z
  .object({
    holders: z.array(z.object({ name: line(64).min(1), passphrase: secret }).strict()).min(2).max(16),
    threshold: z.number().int().min(2).max(16),
    folder: path,
  })
  .strict();

export const ISSUE_MODES = ['per-user', 'per-device', 'shared'] as const;
export type IssueMode = (typeof ISSUE_MODES)[number];

const recipient = z.object({
  name: line(),
  email: line(320).optional(),
  phone: line(64).optional(),
  description: line(500).optional(),
  /** The holder's Windows SID, kept with the recipient (the engine checks its form). */
  sid: line(200).optional(),
  /** The Active Directory account name (sAMAccountName), kept with the recipient (the engine checks it). */
  account: line(64).optional(),
});

const issueDraft = z.object({
  mode: z.enum(ISSUE_MODES),
  profile: profileId,
  ca: id,
  recipient,
  sans: z.array(san).max(50),
  keyType: keyType.optional(),
  days: days.optional(),
  alias: line(64).optional(),
  /** Issue despite preflight errors, for this reason (audited). */
  override: line(500).optional(),
  /** The holder's Windows SID (user and device profiles; the engine checks its form). */
  sid: line(200).optional(),
});

const delivery = z.object({
  folder: path,
  /** The PKCS#12 form; absent: from `devices`, else (renew, export) the certificate's last delivery, else the profile's. */
  encryption: encryption.optional(),
  // Delivery chosen by the device (issue 14, shared/devices.ts): what will install the bundle; main derives the
  // encryption from it (INVALID_INPUT when an explicit encryption contradicts it) and remembers it with the delivery.
  devices: devicesSchema.optional(),
  /** A password the officer sets; absent: one is generated from the profile's rule. */
  password: z.string().max(128).optional(),
});

const certFilter = z.object({
  search: line().optional(),
  status: z.enum(['valid', 'revoked', 'expired']).optional(),
  ca: id.optional(),
  profile: profileId.optional(),
  expiringWithinDays: z.number().int().min(0).max(36_500).optional(),
});

const passwordRule = z.object({
  length: z.number().int().min(8).max(64),
  minLength: z.number().int().min(8).max(64),
  maxLength: z.number().int().min(8).max(128),
  minGroups: z.number().int().min(1).max(4),
  groups: z.array(z.enum(['upper', 'lower', 'digits', 'symbols'])).min(1).max(4),
});

const profileChanges = z
  .object({
    validityDays: days,
    renewBeforeDays: z.number().int().min(0).max(3650),
    autoRenew: z.boolean(),
    defaultKey: keyType,
    pfxEncryption: encryption,
    keepKey: z.boolean(),
    passwordRule,
    targets: z.array(z.enum(PREFLIGHT_TARGETS)).max(PREFLIGHT_TARGETS.length),
    sidUri: z.boolean(),
    smartCardLogon: z.boolean(),
  })
  .partial()
  .strict();

// ---- response types -------------------------------------------------------------------------

/** A certificate's Active Directory mapping (KB5014754): the SID it carries and the altSecurityIdentities strings. */
export interface AdMappingView {
  sid: string | null;
  /** X509:<I>..<SR>.., X509:<SKI>.. (when it has an SKI), X509:<SHA1-PUKEY>.. */
  strings: string[];
  /** The PowerShell script (Set-ADUser or Set-ADComputer) adding the first string; for a revoked or expired certificate, removing its strings. */
  powershell: string;
  /** 'revoked' or 'expired': a mapping to the certificate grants nothing and should be removed. */
  state: 'valid' | 'revoked' | 'expired';
  /** What the officer should read before using the strings (ad-mapping-format.ts adMappingReport's warnings). */
  warnings: string[];
}

/** A recipient in the directory (electron/core/issuance/recipient-directory.ts RecipientView has the same shape). */
export interface RecipientDetails {
  recipient: Recipient;
  /** What its account name is checked as: 'person' a user account, 'device' a computer account (ends in $). */
  accountKind: RecipientKind;
  /** When no SID is stored: the SID extension of its newest certificate (shown "from certificate"), else null. */
  sidFromCertificate: { sid: string; certificateId: number } | null;
  /** Its certificates that are not deleted, newest first. */
  certificates: CertificateRecord[];
  /** Delivery chosen by the device (issue 14): the devices and form of the recipient's latest bundle delivery, or null (none yet). */
  lastDelivery?: DeliveryChoice | null;
}

export type VaultState = 'no-vault' | 'locked' | 'unlocked';

export interface SessionStatus {
  state: VaultState;
  vaultPath: string;
  /** Minutes without use before the vault locks itself; 0: never. */
  autoLockMinutes: number;
  /** What unlocking costs, for the first-run screen's explanation. */
  kdf: { alg: string; memoryMiB: number; approxSeconds: number };
  minPassphraseLength: number;
}

export interface CertificatePage {
  total: number;
  offset: number;
  rows: CertificateRecord[];
}

export interface CertificateDetails {
  certificate: CertificateRecord;
  /** Subjects from this certificate up to its root, as far as the vault knows them. */
  chain: string[];
  extensions: { name: string; critical: boolean; value: string }[];
  /** The profile's rules say whether a PFX can be made again (the key is kept) and which encryption is the default. */
  exportable: boolean;
  defaultEncryption: PfxEncryption;
  /** Delivery chosen by the device (issue 14): what Renew and Export again preselect, from this certificate's latest bundle delivery (or its predecessor's); null: none recorded. */
  lastDelivery: DeliveryChoice | null;
}

export type { DeliveryChoice };

/** What a hand-over shows: the bundle, the password (once), its QR code, and the pages to print. */
export interface Handover {
  certificate: CertificateRecord;
  bundle: ExportSummary;
  /** The PFX password, for this screen only (never stored); `bundle.passwordGenerated` says whether CertDesk made it. */
  password: string;
  /** A PNG data URL of the password's QR code. */
  passwordQr: string;
  /** Printable HTML: the hand-over slip (with the password) and the installation sheet (without). */
  slipHtml: string;
  sheetHtml: string;
  encryptionAdvice: string;
}

export interface IssueCheck {
  /** Problems by field (`name`, `email`, `sans.2`, `days`, `alias`); empty when issuing would pass. */
  problems: { field: string; message: string }[];
  subject: string;
  sans: San[];
  keyType: KeyType;
  days: number;
  notAfter: string | null;
  /** Preflight's findings for the certificate as drafted (empty while a problem above prevents the check); see README "Preflight". */
  findings: PreflightFinding[];
}

export interface CsrInspection {
  subject: string;
  keyType: KeyType;
  sans: San[];
  signatureValid: true;
  /** When a CA and a profile were given: the certificate's subject and SANs, and what signing leaves out. */
  plan: {
    subject: string;
    sans: San[];
    droppedSans: San[];
    droppedSubject: string[];
    /** Preflight's findings for the certificate as it would be signed with these days (no serial yet). */
    findings: PreflightFinding[];
  } | null;
}

/** The renew dialog's preview (electron/core/preflight/renew-plan.ts previewRenewal): preflight's findings for the successor, its days and end. */
export interface RenewalCheck {
  findings: PreflightFinding[];
  days: number;
  notAfter: string;
}

/** A profile's preflight targets (electron/core/preflight/profile-targets.ts): each known target, whether it is on, what it checks. */
export interface ProfileTargets {
  profile: Profile['id'];
  targets: { id: PreflightTarget; on: boolean; checks: string }[];
  /** The profile has no list of its own: its built-in default applies. */
  isDefault: boolean;
}

export interface BatchCheck {
  total: number;
  problems: { line: number; column: string | null; reason: string }[];
  /** Preflight warnings by line (its errors are among `problems`). */
  warnings: { line: number; column: string | null; reason: string }[];
  preview: { line: number; name: string; sans: San[]; alias: string | null; days: number }[];
  delimiter: ',' | ';';
}

export interface BatchJob {
  jobId: string;
  state: 'running' | 'done' | 'stopped' | 'failed';
  done: number;
  total: number;
  current: string | null;
  etaSeconds: number | null;
  issued: number;
  alreadyDone: number;
  outDir: string;
  passwordsFile: string;
  error: ErrorResult | null;
}

export interface PublishedCrls {
  folder: string;
  crls: { ca: string; crlNumber: number; entries: number; nextUpdate: string; derFile: string; pemFile: string }[];
  combinedFile: string;
  publishBy: string;
}

export interface Dashboard {
  counts: { valid: number; expired: number; revoked: number; expiringIn30Days: number; cas: number };
  /** Valid end-entity certificates ending in this month and each of the next 12 (YYYY-MM), per issuing CA. */
  expiry: { months: string[]; series: { ca: string; counts: number[] }[] };
  crls: { ca: string; nextUpdate: string | null; state: 'never' | 'ok' | 'due' | 'overdue' }[];
  audit: AuditEntry[];
}

export interface Settings {
  autoLockMinutes: number;
  letterTemplate: string;
  placeholders: string[];
}

// ---- backups (issue 15) ----------------------------------------------------------------------

/** A backup written and verified (electron/core/backup/create-backup.ts). */
export interface BackupSummary {
  file: string;
  bytes: number;
  verifiedAt: string;
  counts: { cas: number; certificates: number };
  status: BackupStatusView;
  /** With backup shares (request `shares`): the split and the share files written; never a share or passphrase. */
  shares?: SharesWritten;
}

/**
 * A K-of-N split's share files as written (electron/core/quorum/share-output.ts): per holder the share file and
 * its printable sheet, in the chosen folder. Paths and names only: never a share's text or a passphrase.
 */
export interface SharesWritten {
  splitId: string;
  k: number;
  n: number;
  holders: string[];
  files: { holder: string; index: number; share: string; sheet: string }[];
}

/** The Backups section and the reminder (electron/core/backup/status.ts). */
export interface BackupStatusView {
  lastVerifiedBackup: { at: string; file: string; payloadSha256: string } | null;
  lastIssuedAt: string | null;
  reminderDays: number;
  reminderDue: boolean;
  reason: string | null;
}

// ---- the security officer's controls in the app (issue 15): shares, quorum state, restore --------

/** ca.presentShares' answer: the CA now unlocked for signing in this session (until the vault locks), and by whom. */
export interface QuorumUnlocked {
  ca: string;
  /** The holders whose shares took part, in share order. */
  holders: string[];
  k: number;
  n: number;
}

/** ca.quorum's answer: whether the CA's key is under K-of-N control (electron/core/quorum/status.ts, history.ts). */
export interface QuorumView {
  ca: string;
  underQuorum: boolean;
  k: number | null;
  n: number | null;
  /** Share i + 1 belongs to holders[i]. */
  holders: string[];
  /** When the current split was made (quorum set or reissue), from the audit log; null when not under control. */
  setAt: string | null;
  /** Holders whose shares unlocked it in this session, or null when it is not unlocked now. */
  unlockedBy: string[] | null;
  /** The latest signings with it (audit "ca.quorum-use"), newest first: when and which holders' shares. */
  lastUses: { at: string; holders: string[] }[];
}

/** ca.quorumSet's and ca.quorumReissue's answer: the CA now under K-of-N control and its new share files. */
export interface QuorumSplitView extends SharesWritten {
  ca: string;
}

/** vault.restore's answer: the new vault file, restored from the backup and verified (restore-backup.ts). */
export interface RestoreSummary {
  /** Restored with backup shares: the holders whose shares opened it (the new vault has the new passphrase). */
  holders?: string[];
  vault: string;
  /** When the backup was taken. */
  backupCreatedAt: string;
  counts: { cas: number; certificates: number };
  /** Records "vault verify" checked in the restored vault. */
  recordsChecked: number;
}

/** What "Finish now" did: each delivery finished (a bundle's hand-over carries its new password, shown once) or not. */
export interface PendingResume {
  finished: { delivery: PendingDelivery; files: string[]; handover: Handover | null }[];
  /** These stay pending, each with its reason. */
  failed: FailedDelivery[];
}

/** A PKCS#11 module offered without a file dialog (electron/core/pkcs11/known-modules.ts). */
export interface TokenModule {
  path: string;
  name: string;
}

/** token.list's answer (electron/core/pkcs11/token-list.ts). */
export interface TokenListing {
  module: string;
  tokens: {
    label: string;
    serial: string;
    manufacturer: string;
    model: string;
    loginRequired: boolean;
    pinLocked: boolean;
    objects: { kind: 'public-key' | 'private-key' | 'certificate'; label: string; id: string; type: string }[];
  }[];
}

export interface FileChoice {
  path: string;
}

// ---- issue 14 part A: panels refresh from their action's answer; releasing a hold ----------------

/** cert.renew's answer: the successor's hand-over, and the renewed certificate as it now is (superseded, revoked with revokeOld). */
export interface RenewAnswer extends Handover {
  renewed: CertificateRecord;
}

// ---- the map --------------------------------------------------------------------------------

/** A channel: its request schema, and (as a type only) its response. */
export interface Channel<Req extends z.ZodType, Res, Host extends boolean> {
  request: Req;
  /** Served by the host (dialogs, printing, the clipboard) rather than the engine's handler table. */
  host: Host;
  readonly response?: Res;
}

function service<Res>() {
  return <Req extends z.ZodType>(request: Req): Channel<Req, Res, false> => ({ request, host: false });
}
function host<Res>() {
  return <Req extends z.ZodType>(request: Req): Channel<Req, Res, true> => ({ request, host: true });
}

export const API = {
  // session and vault
  'session.status': service<SessionStatus>()(z.object({ passive: z.boolean().optional() }).strict()),
  'vault.create': service<SessionStatus>()(z.object({ passphrase: z.string().max(1024), path: path.optional() }).strict()),
  'vault.open': service<SessionStatus>()(z.object({ path }).strict()),
  'vault.unlock': service<SessionStatus>()(z.object({ passphrase: z.string().max(1024) }).strict()),
  'vault.lock': service<SessionStatus>()(none),

  dashboard: service<Dashboard>()(none),

  // certificate authorities
  'ca.list': service<CaRecord[]>()(none),
  'ca.create': service<CaRecord>()(
    z
      .object({
        name: line(100).min(1),
        subject: line(1000).min(1),
        keyType: keyType.optional(),
        days: days.optional(),
        issuer: id.optional(),
        pathLength: z.number().int().min(0).max(10).nullable().optional(),
        crlUrl: line(1000).optional(),
        crlDays: z.number().int().min(1).max(366).optional(),
        pkcs11: tokenKey.optional(),
      })
      .strict(),
  ),
  'ca.import': service<CaRecord>()(
    z
      .object({
        name: line(100).min(1),
        pfx: z.object({ data: base64('pfx'), password: z.string().max(1024) }).optional(),
        pem: z.object({ cert: pemText('cert'), key: pemText('key'), keyPassword: z.string().max(1024).optional() }).optional(),
        pkcs11: tokenKey.extend({ keyLabel: line(255).min(1), cert: pemText('cert') }).strict().optional(),
        crlUrl: line(1000).optional(),
        crlDays: z.number().int().min(1).max(366).optional(),
      })
      .strict(),
  ),
  // CA keys on PKCS#11 tokens (issue 15): the modules installed at well-known paths, a module's tokens and the
  // objects visible without a PIN, and logging in to a CA's token for this session (a wrong PIN fails here).
  // A module path must be a known module or the file dialog.openModule answered: main never loads another.
  'token.modules': service<TokenModule[]>()(none),
  'token.list': service<TokenListing>()(z.object({ module: path }).strict()),
  'ca.tokenLogin': service<{ ca: string; token: string }>()(z.object({ ca: id, pin: tokenPin }).strict()),

  // The CA's own lifecycle (issue 14): details, save as PEM/DER/p7b or PFX with the key, renew, revoke, CRL settings.
  'ca.get': service<CaDetails>()(z.object({ id }).strict()),
  // file: a file a save dialog answered; password: pfx only (the key leaves the vault; audited without it).
  'ca.export': service<CaExportSummary>()(
    z.object({ id, format: z.enum(CA_EXPORT_FORMATS), file: path, password: z.string().max(1024).optional(), encryption: encryption.optional() }).strict(),
  ),
  'ca.renew': service<CaRenewal>()(
    z.object({ id, days: days.optional(), newKey: z.boolean().optional(), name: line(100).min(1).optional(), crlUrl: line(1000).optional(), keyType: keyType.optional() }).strict(),
  ),
  'ca.revoke': service<CaRecord>()(z.object({ id, reason: z.enum(CA_REVOCATION_REASONS) }).strict()),
  // Absent keeps a value; crlUrl '' or null removes the URL.
  'ca.update': service<CaRecord>()(z.object({ id, crlUrl: line(1000).nullable().optional(), crlDays: z.number().int().min(1).max(3650).optional() }).strict()),

  // issuing
  'profile.list': service<Profile[]>()(none),
  'profile.update': service<Profile>()(z.object({ id: profileId, changes: profileChanges }).strict()),
  'profile.targets': service<ProfileTargets>()(z.object({ id: profileId }).strict()),
  'profile.setTargets': service<ProfileTargets>()(z.object({ id: profileId, targets: z.array(z.enum(PREFLIGHT_TARGETS)).max(PREFLIGHT_TARGETS.length) }).strict()),
  'recipient.list': service<Recipient[]>()(z.object({ search: line().optional() }).strict()),
  'recipient.get': service<RecipientDetails>()(z.object({ id }).strict()),
  // Edits a recipient: absent keeps a field, null or '' clears it; the engine checks SID and account as at issue (audited).
  'recipient.update': service<RecipientDetails>()(
    z
      .object({
        id,
        changes: z
          .object({
            email: line(320).nullable().optional(),
            phone: line(64).nullable().optional(),
            description: line(500).nullable().optional(),
            sid: line(200).nullable().optional(),
            account: line(64).nullable().optional(),
            sidFromCertificate: z.boolean().optional(),
          })
          .strict(),
      })
      .strict(),
  ),
  'issue.check': service<IssueCheck>()(issueDraft.strict()),
  'issue.run': service<Handover>()(issueDraft.extend({ delivery }).strict()),
  'csr.inspect': service<CsrInspection>()(z.object({ csr: base64('csr'), ca: id.optional(), profile: profileId.optional(), days: days.optional() }).strict()),
  'csr.sign': service<{ certificate: CertificateRecord; droppedSans: San[]; droppedSubject: string[]; findings: PreflightFinding[]; file: string }>()(
    z.object({ csr: base64('csr'), ca: id, profile: profileId, days: days.optional(), alias: line(64).optional(), override: line(500).optional(), folder: path }).strict(),
  ),
  'batch.check': service<BatchCheck>()(z.object({ csv: base64('csv'), ca: id, profile: profileId }).strict()),
  'batch.start': service<BatchJob>()(
    z
      .object({ csv: base64('csv'), fileName: line(255), ca: id, profile: profileId, folder: path, passwordsFile: path, encryption: encryption.optional(), keyType: keyType.optional(), devices: devicesSchema.optional() })
      .strict(),
  ),
  'batch.progress': service<BatchJob>()(z.object({ jobId: line(64) }).strict()),
  'batch.cancel': service<BatchJob>()(z.object({ jobId: line(64) }).strict()),

  // certificates
  'cert.list': service<CertificatePage>()(
    certFilter
      .extend({
        offset: z.number().int().min(0),
        limit: z.number().int().min(1).max(1000),
        /** The table's sort (absent: expiry) and its direction (absent: ascending); ties by id in the same direction. */
        sort: z.enum(CERT_SORTS).optional(),
        direction: z.enum(['asc', 'desc']).optional(),
      })
      .strict(),
  ),
  'cert.get': service<CertificateDetails>()(z.object({ id }).strict()),
  'cert.export': service<Handover>()(z.object({ id }).extend(delivery.shape).strict()),
  'cert.renewCheck': service<RenewalCheck>()(z.object({ id, days: days.optional() }).strict()),
  'cert.renew': service<RenewAnswer>()(z.object({ id, sameKey: z.boolean().optional(), revokeOld: z.boolean(), days: days.optional(), override: line(500).optional() }).extend(delivery.shape).strict()),
  'cert.revoke': service<CertificateRecord[]>()(z.object({ ids: z.array(id).min(1).max(10_000), reason: z.enum(REVOCATION_REASONS) }).strict()),
  'cert.delete': service<CertificateRecord[]>()(z.object({ ids: z.array(id).min(1).max(10_000) }).strict()),
  'cert.iisMapping': service<{ oneToOne: string }>()(z.object({ id }).strict()),
  'cert.adMapping': service<AdMappingView>()(z.object({ id }).strict()),
  // issue 14 part A: release a certificateHold revocation (RFC 5280 5.3.1); the answer is the certificate as it now is.
  'cert.unhold': service<CertificateRecord>()(z.object({ id }).strict()),

  // revocation lists, settings, audit
  'crl.publish': service<PublishedCrls>()(z.object({ folder: path }).strict()),
  'settings.get': service<Settings>()(none),
  'settings.update': service<Settings>()(z.object({ autoLockMinutes: z.number().int().min(0).max(1440).optional(), letterTemplate: z.string().max(20_000).optional() }).strict()),
  'letter.preview': service<{ text: string }>()(z.object({ template: z.string().max(20_000) }).strict()),
  'audit.list': service<AuditEntry[]>()(z.object({ action: line(64).optional(), limit: z.number().int().min(1).max(10_000) }).strict()),
  // The audit chain and every authenticated record (the Audit log screen's Verify; `certdesk vault verify`).
  'audit.verify': service<VaultVerification>()(none),

  // work an interrupted run committed but did not deliver
  'pending.list': service<PendingDelivery[]>()(none),
  'pending.resume': service<PendingResume>()(z.object({ ids: z.array(id).min(1).max(10_000).optional() }).strict()),
  'pending.abandon': service<PendingDelivery[]>()(z.object({ ids: z.array(id).min(1).max(10_000) }).strict()),

  // Backups (issue 15): an encrypted backup to the file a save dialog answered (never over an existing file),
  // written, read back and verified; the last verified backup and whether a reminder is due; its interval in days.
  // shares: also restorable with K of N backup shares (certdesk backup --shares … --shares-out DIR).
  'vault.backup': service<BackupSummary>()(z.object({ passphrase: secret, file: path, shares: newSplit.optional() }).strict()),
  'vault.backupStatus': service<BackupStatusView>()(none),
  'vault.setBackupReminder': service<BackupStatusView>()(z.object({ days: z.number().int().min(1).max(3650) }).strict()),
  // The security officer's controls in the app (issue 15). ca.presentShares: K officers' shares (armored text,
  // their labels, each holder's passphrase) unlock a quorum CA for signing until the vault locks; ca: the CA's
  // name or id, absent: the CA the shares name. ca.quorum: the CA's K-of-N state, read only. vault.restore: a
  // backup file an open dialog answered, into a new vault file a save dialog answered (never over a file).
  // dialog.openFile: main's open dialog for a file to read (a backup); its answer may be read, not written.
  'ca.presentShares': service<QuorumUnlocked>()(z.object({ ca: line(100).min(1).optional(), shares: givenShares }).strict()),
  'ca.quorum': service<QuorumView>()(z.object({ id }).strict()),
  // Putting a CA under K-of-N control (certdesk quorum set), and a new split by K officers' current shares
  // (certdesk quorum reissue); the share files go into a folder a folder dialog answered.
  'ca.quorumSet': service<QuorumSplitView>()(newSplit.extend({ id }).strict()),
  'ca.quorumReissue': service<QuorumSplitView>()(newSplit.extend({ id, shares: givenShares }).strict()),
  // The backup's vault passphrase, or (a backup made with shares) K backup share files each picked in an open
  // dialog with its holder's passphrase, and the restored vault's new passphrase.
  'vault.restore': service<RestoreSummary>()(
    z
      .object({
        file: path,
        vault: path,
        passphrase: secret.optional(),
        shares: z.array(z.object({ file: path, passphrase: secret }).strict()).min(1).max(16).optional(),
        newPassphrase: secret.optional(),
      })
      .strict()
      .refine((r) => (r.passphrase === undefined) !== (r.shares === undefined), { message: 'give the backup’s vault passphrase or its backup shares, not both', path: ['passphrase'] })
      .refine((r) => (r.shares === undefined) === (r.newPassphrase === undefined), { message: 'a restore with shares sets the new vault’s passphrase (and only then)', path: ['newPassphrase'] }),
  ),
  'dialog.openFile': host<FileChoice | null>()(z.object({ title: line(200), filterName: line(100), extensions: z.array(z.string().regex(/^[A-Za-z0-9-]{1,20}$/)).max(10) }).strict()),

  // host: native dialogs, printing, the clipboard
  'dialog.openVault': host<FileChoice | null>()(none),
  'dialog.chooseFolder': host<FileChoice | null>()(z.object({ title: line(200) }).strict()),
  'dialog.saveFile': host<FileChoice | null>()(z.object({ title: line(200), defaultName: line(255) }).strict()),
  // A PKCS#11 module file (issue 15): the answer is the one module outside token.modules main may load.
  'dialog.openModule': host<FileChoice | null>()(none),
  'print.html': host<{ done: boolean; pdfPath: string | null }>()(z.object({ html: z.string().max(5_000_000), title: line(200), pdf: z.boolean() }).strict()),
  'clipboard.write': host<{ done: true }>()(z.object({ text: z.string().max(1_000_000) }).strict()),
} as const satisfies Record<ChannelName, Channel<z.ZodType, unknown, boolean>>;

export type Api = typeof API;
export type { ChannelName };
export type ServiceChannel = { [K in ChannelName]: Api[K] extends Channel<z.ZodType, unknown, false> ? K : never }[ChannelName];
export type HostChannel = Exclude<ChannelName, ServiceChannel>;

export const CHANNELS: readonly ChannelName[] = CHANNEL_NAMES;
export const SERVICE_CHANNELS = CHANNELS.filter((c) => !API[c].host) as ServiceChannel[];
export const HOST_CHANNELS = CHANNELS.filter((c) => API[c].host) as HostChannel[];

/** What the caller sends (defaults not applied yet) and what the handler receives (parsed). */
export type RequestOf<K extends ChannelName> = z.input<Api[K]['request']>;
export type ParsedRequestOf<K extends ChannelName> = z.output<Api[K]['request']>;
export type ResponseOf<K extends ChannelName> = NonNullable<Api[K]['response']> | (null extends Api[K]['response'] ? null : never);

export type Result<T> = { ok: true; data: T } | ErrorResult;

/** The object the preload (or the harness bridge) puts on `window.certdesk`: one function per channel. */
export type CertDeskApi = { [K in ChannelName]: (request: RequestOf<K>) => Promise<Result<ResponseOf<K>>> };

/** A host implements one function per channel of its part of the map. */
export type Handlers<K extends ChannelName> = { [C in K]: (request: ParsedRequestOf<C>) => Promise<ResponseOf<C>> | ResponseOf<C> };
export type HandlerTable = Handlers<ServiceChannel>;
export type HostHandlers = Handlers<HostChannel>;

export function isChannel(name: string): name is ChannelName {
  return Object.hasOwn(API, name);
}
