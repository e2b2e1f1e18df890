// Domain types shared by the engine, the service layer, the CLI and the renderer.
// Plain data only (structured-clone safe): no classes, no Dates, no buffers.
// Times are ISO 8601 strings in UTC; binary values are lowercase hex or PEM text.

export const KEY_TYPES = ['ec-p256', 'ec-p384', 'rsa-2048', 'rsa-3072', 'rsa-4096'] as const;
export type KeyType = (typeof KEY_TYPES)[number];

/** The sorts the certificate table offers (electron/core/query/cert-pages.ts gives each its key and index). */
export const CERT_SORTS = ['holder', 'expiry', 'issued', 'status', 'ca'] as const;

export const PROFILE_IDS = ['user', 'device', 'server', 'mail', 'vpn', 'kdc'] as const;
export type ProfileId = (typeof PROFILE_IDS)[number];

/**
 * Subject alternative name kinds. `device` is a device identifier (see the README's profile notes); `krb5` a
 * Kerberos principal `name/instance@REALM`, encoded as the PKINIT KRB5PrincipalName otherName (RFC 4556 3.2.2).
 */
export const SAN_TYPES = ['email', 'upn', 'dns', 'ip', 'uri', 'device', 'krb5'] as const;
export type SanType = (typeof SAN_TYPES)[number];

export interface San {
  type: SanType;
  value: string;
}

export const KEY_USAGES = [
  'digitalSignature',
  'nonRepudiation',
  'keyEncipherment',
  'dataEncipherment',
  'keyAgreement',
  'keyCertSign',
  'cRLSign',
] as const;
export type KeyUsageName = (typeof KEY_USAGES)[number];

/** kdcAuth is id-pkinit-KPKdc (RFC 4556 3.2.4), smartCardLogon Microsoft's 1.3.6.1.4.1.311.20.2.2. */
export const EXTENDED_KEY_USAGES = ['serverAuth', 'clientAuth', 'emailProtection', 'codeSigning', 'ipsecIKE', 'kdcAuth', 'smartCardLogon'] as const;
export type ExtendedKeyUsageName = (typeof EXTENDED_KEY_USAGES)[number];

export type PfxEncryption = 'modern' | 'legacy';
export type PasswordGroup = 'upper' | 'lower' | 'digits' | 'symbols';

/** How PFX passwords are generated, and what a password the officer sets must meet. */
export interface PasswordRule {
  /** Length of a generated password, 8 to 64. */
  length: number;
  /** A set password is at least this long (at least 8). */
  minLength: number;
  maxLength: number;
  /** A set password uses at least this many of the four groups. */
  minGroups: number;
  /** Groups a generated password draws from, each at least once. */
  groups: PasswordGroup[];
}

/** An issuance profile: what a certificate of this type looks like and the rules for issuing it. */
export interface Profile {
  id: ProfileId;
  name: string;
  description: string;
  defaultKey: KeyType;
  validityDays: number;
  renewBeforeDays: number;
  autoRenew: boolean;
  keyUsage: KeyUsageName[];
  extendedKeyUsage: ExtendedKeyUsageName[];
  /** SAN types a certificate of this profile may carry. */
  sanAllowed: SanType[];
  /** At least one SAN of one of these types is required (empty: none required). */
  sanRequireOneOf: SanType[];
  /** Keep the private key (encrypted) in the vault so bundles can be exported again. */
  keepKey: boolean;
  /** The PFX encryption used unless the export asks for the other one. */
  pfxEncryption: PfxEncryption;
  passwordRule: PasswordRule;
  /** Renewal may keep the old key (--same-key); otherwise every renewal generates a new key. */
  renewSameKey: boolean;
  /**
   * The systems its certificates are for, checked before issuing (electron/core/preflight/). Absent in vaults
   * written before preflight existed: the built-in default for the profile's id applies (preflight/targets.ts).
   */
  targets?: PreflightTarget[];
  /**
   * With a Windows SID given, also put it in the SAN as the URI `tag:microsoft.com,2022-09-14:sid:<SID>`
   * ([MS-PKCA] 3.1.5.2.1.6) beside the SID extension. Absent (profiles stored before it existed): false.
   */
  sidUri?: boolean;
  /** Add the smart-card logon EKU (1.3.6.1.4.1.311.20.2.2) to the profile's EKUs. Absent: false. */
  smartCardLogon?: boolean;
}

/** Systems a profile's certificates can be checked against before issuing (README "Preflight"). */
export const PREFLIGHT_TARGETS = ['apple-tls', 'radius-eap-tls', 'windows-nps', 'openvpn-server', 'openvpn-client', 'ikev2-server', 'ikev2-client', 'smime'] as const;
export type PreflightTarget = (typeof PREFLIGHT_TARGETS)[number];

/**
 * One thing preflight found about a would-be certificate. `target` is the system (or 'rfc5280', checked for
 * every certificate); `field` the wizard field it belongs to (name, sans, days, keyType, profile, ca, sid,
 * serial); an 'error' stops issuance unless overridden with a recorded reason, a 'warning' is shown only;
 * `source` is the document (URL, RFC section) the rule comes from.
 */
export interface PreflightFinding {
  target: PreflightTarget | 'rfc5280';
  field: string;
  severity: 'error' | 'warning';
  message: string;
  source: string;
}

export const REVOCATION_REASONS = [
  'unspecified',
  'keyCompromise',
  'caCompromise',
  'affiliationChanged',
  'superseded',
  'cessationOfOperation',
  'certificateHold',
  'privilegeWithdrawn',
  'aaCompromise',
] as const;
export type RevocationReason = (typeof REVOCATION_REASONS)[number];

export type CertStatus = 'valid' | 'revoked' | 'expired';
/** Where a certificate came from: issued here (key generated here), signed from a CSR, imported, or a CA created here. */
export type CertSource = 'issued' | 'csr' | 'imported' | 'created';
export type CertKind = 'ca' | 'end-entity';
export type RecipientKind = 'person' | 'device';

export interface Recipient {
  id: number;
  kind: RecipientKind;
  name: string;
  email: string | null;
  phone: string | null;
  description: string | null;
  /** The holder's Windows security identifier (S-1-5-21-...), for strong certificate mapping (KB5014754). */
  sid: string | null;
  /** The Active Directory account name (sAMAccountName; a computer account ends in `$`) the mapping script names. */
  account: string | null;
}

export interface CertificateRecord {
  id: number;
  kind: CertKind;
  /** The CA (in this vault) that issued it; null for a self-signed root or an imported CA whose issuer is elsewhere. */
  issuerCaId: number | null;
  issuerName: string | null;
  serial: string;
  subject: string;
  holder: string;
  sans: San[];
  profile: ProfileId | null;
  recipient: Recipient | null;
  source: CertSource;
  status: CertStatus;
  statusChangedAt: string;
  revokedAt: string | null;
  revocationReason: RevocationReason | null;
  issuedAt: string;
  notBefore: string;
  notAfter: string;
  alias: string | null;
  autoRenew: boolean;
  keyType: KeyType;
  hasKey: boolean;
  sha1: string;
  sha256: string;
  pem: string;
  /** The certificate this one renewed, and the one that renewed it. */
  renewedFrom: number | null;
  supersededBy: number | null;
  deleted: boolean;
}

export interface CaRecord {
  id: number;
  name: string;
  certificateId: number;
  subject: string;
  serial: string;
  issuerCaId: number | null;
  /** The basicConstraints pathLenConstraint, null when unlimited. */
  pathLength: number | null;
  keyType: KeyType;
  notBefore: string;
  notAfter: string;
  status: CertStatus;
  crlUrl: string | null;
  crlNumber: number;
  crlDays: number;
  lastCrlAt: string | null;
  nextCrlUpdate: string | null;
  sha1: string;
  sha256: string;
  source: 'created' | 'imported';
  hasKey: boolean;
  /** Renewed with a new key (issue 14, core/ca/ca-renew.ts): it issues nothing more and signs only CRLs. */
  retired: boolean;
}

/** One file of an export bundle, as its manifest lists it. */
export interface BundleFile {
  name: string;
  sha256: string;
  bytes: number;
  purpose: string;
}

/** What an export wrote. The password is returned once to the caller and never stored. */
export interface ExportSummary {
  certificateId: number;
  folder: string;
  files: BundleFile[];
  encryption: PfxEncryption;
  passwordGenerated: boolean;
  exportedAt: string;
}

export interface AuditEntry {
  seq: number;
  at: string;
  action: string;
  target: string | null;
  details: Record<string, unknown>;
}

export interface AuditVerification {
  ok: boolean;
  entries: number;
  /** The first entry (by sequence number) where the chain breaks, and why. */
  firstBad?: { seq: number; problem: string };
}

/** One thing `vault verify` found changed outside CertDesk. */
export interface RecordProblem {
  /** The table ("certificates", "cas", ...), or "meta" for the record-set digests themselves. */
  table: string;
  /** The record as a person reads it ("certificate 12 (Alice Example)"); null for the table as a whole. */
  record: string | null;
  problem: string;
}

/** What `vault verify` (and the Audit log screen's Verify) found: the audit chain, every authenticated record, the record sets. */
export interface VaultVerification {
  /** True when the audit chain holds and no record problem was found. */
  ok: boolean;
  audit: AuditVerification;
  records: {
    /** Rows whose MACs were checked. */
    checked: number;
    problems: RecordProblem[];
  };
}

// ---- The CA's own lifecycle (issue 14): key default, details, export formats, renewal, revocation ----

/**
 * The key a new CA gets unless the officer picks another: the engine (core/issuance/cas.ts createCa), the CLI
 * (`certdesk ca create` without --key) and the app's CA dialog all read it from here, and the dialog shows
 * DEFAULT_CA_KEY_REASON beside the key choice.
 */
export const DEFAULT_CA_KEY: KeyType = 'rsa-3072';
export const DEFAULT_CA_KEY_REASON = 'RSA-3072: accepted by old devices and appliances';

/** What `certdesk ca export` and the app's "Save as…" write: the CA certificate (PEM, DER .cer), its chain (.p7b), or a PFX with its key. */
export const CA_EXPORT_FORMATS = ['pem', 'der', 'p7b', 'pfx'] as const;
export type CaExportFormat = (typeof CA_EXPORT_FORMATS)[number];

/** The RFC 5280 5.3.1 reasons that fit a CA certificate (keyCompromise and aACompromise are for end entities and attribute authorities). */
export const CA_REVOCATION_REASONS = ['unspecified', 'caCompromise', 'affiliationChanged', 'superseded', 'cessationOfOperation', 'privilegeWithdrawn'] as const;
export type CaRevocationReason = (typeof CA_REVOCATION_REASONS)[number];

/**
 * Where a CA stands: 'active' signs certificates and CRLs; 'retired' was renewed with a new key (its successor
 * issues from then on) and signs only CRLs for what it issued; 'revoked' is listed on its parent's CRL and signs
 * only its own CRL; 'expired' signs nothing.
 */
export type CaState = 'active' | 'retired' | 'revoked' | 'expired';

/** One extension as the details panel shows it. */
export interface CaExtensionText {
  name: string;
  critical: boolean;
  value: string;
}

/** A CA certificate's details and extensions (`certdesk ca show`, the Authorities screen's details panel, channel ca.get). */
export interface CaDetails {
  ca: CaRecord;
  state: CaState;
  /** The state in plain words ("retired on 2026-12-01: CA "Users CA 2026" issues with a new key"). */
  stateText: string;
  /** The issuer's RFC 4514 name, and its name in this vault (null for a root or an issuer outside the vault). */
  issuer: string;
  issuerCaName: string | null;
  /** Lowercase hex; null when the certificate has none. */
  subjectKeyId: string | null;
  authorityKeyId: string | null;
  basicConstraints: { ca: boolean; pathLength: number | null; critical: boolean } | null;
  keyUsage: KeyUsageName[];
  crlDistributionPoints: string[];
  extensions: CaExtensionText[];
  revokedAt: string | null;
  revocationReason: RevocationReason | null;
  /** The CA that took over with a new key (set when retired), and the one this CA took over from. */
  successor: { id: number; name: string } | null;
  predecessor: { id: number; name: string } | null;
  /** Earlier certificates of this CA for the same key (same-key renewals), newest first. */
  earlierCertificates: { id: number; serial: string; notBefore: string; notAfter: string; status: CertStatus }[];
  /** Where the key lives when it is on a PKCS#11 token (issue 15), null when it is in the vault or absent. Never a PIN. */
  tokenKey: CaTokenKey | null;
  pem: string;
}

/** A CA key on a PKCS#11 token, as the vault records it (electron/core/pkcs11/token-ref.ts): where, never a PIN. */
export interface CaTokenKey {
  /** The PKCS#11 module (shared library) path. */
  module: string;
  /** The token's label and serial. */
  token: string;
  serial: string;
  /** The key's CKA_LABEL on the token. */
  keyLabel: string;
}

/** What a CA export wrote (channel ca.export, `certdesk ca export --json`). */
export interface CaExportSummary {
  ca: string;
  format: CaExportFormat;
  file: string;
  certificates: number;
  withKey: boolean;
}

/** A CA renewal's outcome: the CA that issues from now on, the one renewed (retired for a new key). */
export interface CaRenewal {
  ca: CaRecord;
  previous: CaRecord;
  newKey: boolean;
}
