// Which records carry a MAC, and over which columns: every row whose content decides what CertDesk signs,
// hands out or publishes. The MAC covers the table name, the row's identity and these columns in this
// order (record-store.ts); a column added later is not covered until it is listed here (with a migration
// that recomputes the MACs).
import type { FieldValue } from './record-encoding.js';

export type Row = Record<string, FieldValue | undefined>;

export interface RecordSpec {
  /** The columns that identify a row: its primary key. */
  readonly key: readonly string[];
  /** Every column the MAC covers, the key first. */
  readonly columns: readonly string[];
  /** How messages name a row: "certificate 12 (Alice Example)". Never secret material. */
  describe(row: Row): string;
}

const text = (v: FieldValue | undefined): string => (v === null || v === undefined ? '?' : v instanceof Uint8Array ? Buffer.from(v).toString('hex') : String(v));

/** The columns a recipient's MAC covered up to schema 6 (record-upgrade.ts re-authenticates such rows once). */
export const RECIPIENT_COLUMNS_V6 = ['id', 'kind', 'name', 'email', 'phone', 'description', 'created_at'] as const;

export const RECORD_SPECS = {
  certificates: {
    key: ['id'],
    columns: [
      'id',
      'kind',
      'issuer_ca_id',
      'issuer_dn',
      'serial',
      'subject',
      'holder',
      'sans',
      'profile_id',
      'recipient_id',
      'source',
      'status',
      'status_changed_at',
      'revoked_at',
      'revocation_reason',
      'issued_at',
      'not_before',
      'not_after',
      'alias',
      'auto_renew',
      'key_type',
      'key_id',
      'sha1',
      'sha256',
      'der',
      'deleted_at',
      'renewed_from',
      'superseded_by',
    ],
    describe: (r: Row) => `certificate ${text(r.id)}${r.holder ? ` (${text(r.holder)})` : ''}`,
  },
  // The CRL number and the CA's revoked set (count and digest of its revocations) are part of the CA's record.
  cas: {
    key: ['id'],
    columns: [
      'id',
      'name',
      'certificate_id',
      'path_length',
      'crl_url',
      'crl_number',
      'crl_days',
      'last_crl_at',
      'next_crl_update',
      'source',
      'created_at',
      'revoked_count',
      'revoked_digest',
    ],
    describe: (r: Row) => `CA ${text(r.id)} "${text(r.name)}"`,
  },
  profiles: {
    key: ['id'],
    columns: ['id', 'definition', 'updated_at'],
    describe: (r: Row) => `profile "${text(r.id)}"`,
  },
  // The SID and account (schema 7) decide which Active Directory account a certificate is mapped to.
  recipients: {
    key: ['id'],
    columns: [...RECIPIENT_COLUMNS_V6, 'sid', 'account'],
    describe: (r: Row) => `recipient ${text(r.id)} (${text(r.name)})`,
  },
  settings: {
    key: ['key'],
    columns: ['key', 'value'],
    describe: (r: Row) => `setting "${text(r.key)}"`,
  },
  // A sealed key's binding: its id, type, public key, nonce and ciphertext (the AES-GCM AAD binds the id too).
  keys: {
    key: ['id'],
    columns: ['id', 'key_type', 'spki', 'nonce', 'ciphertext', 'created_at'],
    describe: (r: Row) => `private key ${text(r.id)}`,
  },
  // What an operation still has to write after its commit (schema 5, MACs from 6): every column decides where a
  // bundle, its key and its password go, and for whom. A row without a MAC is not acted on (abandon it).
  deliveries: {
    key: ['id'],
    columns: [
      'id',
      'kind',
      'operation',
      'state',
      'certificate_id',
      'target',
      'encryption',
      'password_set',
      'passwords_file',
      'slip_file',
      'letter_file',
      'batch_id',
      'row_key',
      'details',
      'key_nonce',
      'key_ciphertext',
      'folder',
      'created_at',
      'finished_at',
      'outcome',
    ],
    describe: (r: Row) => `delivery ${text(r.id)} (${text(r.kind)} of certificate ${text(r.certificate_id)} to ${text(r.target)})`,
  },
  // A batch's resume marker: which certificate a CSV row got, and whether its bundle was handed out.
  batch_items: {
    key: ['batch_id', 'row_key'],
    columns: ['batch_id', 'row_key', 'line', 'certificate_id', 'delivered_at'],
    describe: (r: Row) => `batch row ${text(r.row_key)} of batch ${text(r.batch_id).slice(0, 16)} (certificate ${text(r.certificate_id)})`,
  },
} as const satisfies Record<string, RecordSpec>;

export type RecordTable = keyof typeof RECORD_SPECS;

export const RECORD_TABLES = Object.keys(RECORD_SPECS) as RecordTable[];

/** The column every authenticated table keeps its MAC in (lowercase hex). */
export const MAC_COLUMN = 'mac';
