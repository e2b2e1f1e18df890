// The vault's SQLite schema as forward migrations. PRAGMA user_version holds the schema version;
// a vault with a higher version than SCHEMA_VERSION was written by a newer CertDesk and is refused.

// The vault ring knows only its tables: a new vault's profiles are written by issuance once the vault key
// exists (issuance/new-vault.ts), because they carry MACs.
import type Database from 'better-sqlite3';
import { rebuildSearchIndex } from '../search/search-index.js';

export interface Migration {
  version: number;
  up(db: Database.Database, now: Date): void;
}

const V1 = `
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);

-- Private keys, each sealed with AES-256-GCM under a key derived from the vault key;
-- the row id is the associated data, so a ciphertext cannot be moved to another row.
CREATE TABLE keys (
  id TEXT PRIMARY KEY,
  key_type TEXT NOT NULL,
  spki BLOB NOT NULL,
  nonce BLOB NOT NULL,
  ciphertext BLOB NOT NULL,
  created_at TEXT NOT NULL
);

CREATE TABLE recipients (
  id INTEGER PRIMARY KEY,
  kind TEXT NOT NULL CHECK (kind IN ('person', 'device')),
  name TEXT NOT NULL,
  email TEXT,
  phone TEXT,
  description TEXT,
  created_at TEXT NOT NULL
);

CREATE TABLE profiles (
  id TEXT PRIMARY KEY,
  definition TEXT NOT NULL,
  updated_at TEXT NOT NULL
);

CREATE TABLE certificates (
  id INTEGER PRIMARY KEY,
  kind TEXT NOT NULL CHECK (kind IN ('ca', 'end-entity')),
  issuer_ca_id INTEGER REFERENCES cas(id),
  issuer_dn TEXT NOT NULL,
  serial TEXT NOT NULL,
  subject TEXT NOT NULL,
  holder TEXT NOT NULL,
  sans TEXT NOT NULL DEFAULT '[]',
  profile_id TEXT REFERENCES profiles(id),
  recipient_id INTEGER REFERENCES recipients(id),
  source TEXT NOT NULL CHECK (source IN ('issued', 'csr', 'imported', 'created')),
  status TEXT NOT NULL CHECK (status IN ('valid', 'revoked')),
  status_changed_at TEXT NOT NULL,
  revoked_at TEXT,
  revocation_reason TEXT,
  issued_at TEXT NOT NULL,
  not_before TEXT NOT NULL,
  not_after TEXT NOT NULL,
  alias TEXT,
  auto_renew INTEGER NOT NULL DEFAULT 0,
  key_type TEXT NOT NULL,
  key_id TEXT REFERENCES keys(id),
  sha1 TEXT NOT NULL,
  sha256 TEXT NOT NULL UNIQUE,
  der BLOB NOT NULL,
  deleted_at TEXT,
  UNIQUE (issuer_dn, serial)
);
CREATE INDEX certificates_not_after ON certificates(not_after);
CREATE INDEX certificates_issuer ON certificates(issuer_ca_id, status);
CREATE INDEX certificates_recipient ON certificates(recipient_id);
CREATE INDEX certificates_profile ON certificates(profile_id);
CREATE INDEX certificates_holder ON certificates(holder COLLATE NOCASE);
CREATE INDEX certificates_serial ON certificates(serial);

CREATE TABLE cas (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE COLLATE NOCASE,
  certificate_id INTEGER NOT NULL UNIQUE REFERENCES certificates(id),
  path_length INTEGER,
  crl_url TEXT,
  crl_number INTEGER NOT NULL DEFAULT 0,
  crl_days INTEGER NOT NULL DEFAULT 30,
  last_crl_at TEXT,
  next_crl_update TEXT,
  source TEXT NOT NULL CHECK (source IN ('created', 'imported')),
  created_at TEXT NOT NULL
);

-- The audit chain: each entry's MAC covers its content and the previous entry's MAC.
CREATE TABLE audit (
  seq INTEGER PRIMARY KEY,
  at TEXT NOT NULL,
  action TEXT NOT NULL,
  target TEXT,
  details TEXT NOT NULL,
  prev_mac TEXT NOT NULL,
  mac TEXT NOT NULL
);

-- Failed unlocks cannot be MACed (no key yet); they wait here and enter the chain at the next unlock.
CREATE TABLE unlock_failures (id INTEGER PRIMARY KEY, at TEXT NOT NULL);
`;

// Version 2: per-profile PFX encryption and password rule; the exports table (a password was issued, and when).
const V2 = `
CREATE TABLE exports (
  id INTEGER PRIMARY KEY,
  certificate_id INTEGER NOT NULL REFERENCES certificates(id),
  at TEXT NOT NULL,
  encryption TEXT NOT NULL CHECK (encryption IN ('modern', 'legacy')),
  password_generated INTEGER NOT NULL,
  folder TEXT NOT NULL,
  files TEXT NOT NULL
);
CREATE INDEX exports_certificate ON exports(certificate_id);
`;

// Version 3: renewal links, per-profile key reuse on renewal, and batches that can be resumed.
const V3 = `
ALTER TABLE certificates ADD COLUMN renewed_from INTEGER REFERENCES certificates(id);
ALTER TABLE certificates ADD COLUMN superseded_by INTEGER REFERENCES certificates(id);
CREATE INDEX certificates_renewed_from ON certificates(renewed_from);
-- Lists are filtered by CA or status and ordered by expiry.
CREATE INDEX certificates_ca_expiry ON certificates(issuer_ca_id, not_after);
CREATE INDEX certificates_status_expiry ON certificates(status, not_after);

-- A batch is identified by its content (CSV, CA, profile, key type), so running the same file again resumes it.
CREATE TABLE batches (
  id TEXT PRIMARY KEY,
  ca_id INTEGER NOT NULL REFERENCES cas(id),
  profile_id TEXT NOT NULL REFERENCES profiles(id),
  key_type TEXT NOT NULL,
  source_name TEXT NOT NULL,
  total INTEGER NOT NULL,
  created_at TEXT NOT NULL,
  finished_at TEXT
);
-- One row per CSV row once its certificate is committed; delivered_at once its bundle and password line are written.
CREATE TABLE batch_items (
  batch_id TEXT NOT NULL REFERENCES batches(id),
  row_key TEXT NOT NULL,
  line INTEGER NOT NULL,
  certificate_id INTEGER NOT NULL REFERENCES certificates(id),
  delivered_at TEXT,
  PRIMARY KEY (batch_id, row_key)
);
`;

// Version 4: authenticated records. Each table whose rows decide what CertDesk signs or publishes gets a MAC
// column (record-specs.ts lists the columns each MAC covers), and each CA its revoked set: the count and a
// keyed digest of its revocations, which a CRL must match. The MACs need the vault key: a vault upgraded
// from version 3 gets them at its first unlock (record-upgrade.ts), in one transaction, before anything else.
const V4 = `
ALTER TABLE certificates ADD COLUMN mac TEXT;
ALTER TABLE cas ADD COLUMN revoked_count INTEGER NOT NULL DEFAULT 0;
ALTER TABLE cas ADD COLUMN revoked_digest TEXT NOT NULL DEFAULT '${'0'.repeat(64)}';
ALTER TABLE cas ADD COLUMN mac TEXT;
ALTER TABLE profiles ADD COLUMN mac TEXT;
ALTER TABLE recipients ADD COLUMN mac TEXT;
ALTER TABLE settings ADD COLUMN mac TEXT;
ALTER TABLE keys ADD COLUMN mac TEXT;
`;

// Version 5: pending deliveries. Every operation that writes files after committing (issue with --out, renew,
// export, CRL publishing, batch rows) records here, in the transaction of its commit, what it still has to
// write; the row is marked delivered once the files are complete and the password reached its place, so a run
// that dies in between can be finished later ("certdesk pending resume"). No password is ever stored; a private
// key the vault does not otherwise keep waits here sealed (AES-256-GCM, the row id as associated data) and is
// wiped when the delivery ends.
const V5 = `
CREATE TABLE deliveries (
  id INTEGER PRIMARY KEY,
  kind TEXT NOT NULL CHECK (kind IN ('bundle', 'pem', 'crls')),
  operation TEXT NOT NULL CHECK (operation IN ('issue', 'renew', 'export', 'batch', 'crl.publish')),
  state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'delivered', 'abandoned')),
  certificate_id INTEGER REFERENCES certificates(id),
  -- An absolute path: the folder a bundle or the CRLs go into, or the PEM file.
  target TEXT NOT NULL,
  encryption TEXT CHECK (encryption IN ('modern', 'legacy')),
  -- The officer set the password (it is not stored: a resumed delivery gets a generated one).
  password_set INTEGER NOT NULL DEFAULT 0,
  -- Where the password goes besides the screen: a batch's or renewal's password list, a slip, a letter.
  passwords_file TEXT,
  slip_file TEXT,
  letter_file TEXT,
  batch_id TEXT REFERENCES batches(id),
  row_key TEXT,
  -- Kind-specific facts as JSON (the CRLs signed: [{ caId, crlNumber }]; whether a PEM carries its chain).
  details TEXT NOT NULL DEFAULT '{}',
  key_nonce BLOB,
  key_ciphertext BLOB,
  -- The bundle folder once delivered.
  folder TEXT,
  created_at TEXT NOT NULL,
  finished_at TEXT,
  -- Why it was abandoned, or which delivery took it over.
  outcome TEXT
);
CREATE INDEX deliveries_state ON deliveries(state);
CREATE INDEX deliveries_certificate ON deliveries(certificate_id);
`;

// Version 6: pending deliveries and batch resume markers carry MACs (record-specs.ts): they decide where a
// holder's bundle, key and password are written. Rows recorded at version 5 get none: they are not acted on
// until the officer abandons them.
const V6 = `
ALTER TABLE deliveries ADD COLUMN mac TEXT;
ALTER TABLE batch_items ADD COLUMN mac TEXT;
`;

// Version 7: a recipient's Windows security identifier and Active Directory account name (sAMAccountName), for
// strong certificate mapping (KB5014754): the issue commands store them, ad-mapping and the bundle's script use
// the account. Both are covered by the recipient's MAC (record-specs.ts), which changes every recipient's MAC:
// the rows recorded at version 6 are re-authenticated at the first unlock after the upgrade (record-upgrade.ts
// authenticateSchema7Recipients), each only if its version-6 MAC holds.
const V7 = `
ALTER TABLE recipients ADD COLUMN sid TEXT;
ALTER TABLE recipients ADD COLUMN account TEXT;
`;

// Version 8 (issue 13): search and paging at 100,000 certificates. Full-text indexes (FTS5, contentless: they
// keep only the index of folded public text, see core/search/search-index.ts) for certificates and recipients;
// triggers queue each changed row in search_pending, whoever writes it, and bump certificate_changes, the
// generation the table's page anchors (core/query/cert-pages.ts) are valid for. The indexes each sort of the
// certificate table needs (sort key, then the rowid every index ends with), and a partial covering index for
// the dashboard's counts and expiry series.
const V8 = `
CREATE VIRTUAL TABLE certificate_search_text USING fts5(holder, subject, alias, sans, serial, sha1, sha256, tokenize = 'trigram', content = '', contentless_delete = 1);
CREATE VIRTUAL TABLE certificate_search_words USING fts5(holder, subject, alias, sans, serial, sha1, sha256, tokenize = 'unicode61 remove_diacritics 2', prefix = '1 2', content = '', contentless_delete = 1);
CREATE VIRTUAL TABLE recipient_search_text USING fts5(name, email, phone, description, account, tokenize = 'trigram', content = '', contentless_delete = 1);
CREATE VIRTUAL TABLE recipient_search_words USING fts5(name, email, phone, description, account, tokenize = 'unicode61 remove_diacritics 2', prefix = '1 2', content = '', contentless_delete = 1);
CREATE TABLE search_pending (tbl TEXT NOT NULL CHECK (tbl IN ('certificates', 'recipients')), id INTEGER NOT NULL, PRIMARY KEY (tbl, id)) WITHOUT ROWID;
CREATE TABLE certificate_changes (id INTEGER PRIMARY KEY CHECK (id = 1), n INTEGER NOT NULL);
CREATE TRIGGER certificates_insert_indexed AFTER INSERT ON certificates BEGIN
  INSERT OR IGNORE INTO search_pending (tbl, id) VALUES ('certificates', new.id);
  INSERT OR REPLACE INTO certificate_changes (id, n) VALUES (1, coalesce((SELECT n FROM certificate_changes WHERE id = 1), 0) + 1);
END;
CREATE TRIGGER certificates_update_searched AFTER UPDATE OF holder, subject, alias, sans, serial, sha1, sha256 ON certificates BEGIN
  INSERT OR IGNORE INTO search_pending (tbl, id) VALUES ('certificates', new.id);
END;
CREATE TRIGGER certificates_update_listed AFTER UPDATE OF id, kind, issuer_ca_id, issuer_dn, holder, subject, alias, sans, serial, sha1, sha256, profile_id, recipient_id, status, issued_at, not_after, deleted_at ON certificates BEGIN
  INSERT OR REPLACE INTO certificate_changes (id, n) VALUES (1, coalesce((SELECT n FROM certificate_changes WHERE id = 1), 0) + 1);
END;
CREATE TRIGGER certificates_delete_indexed AFTER DELETE ON certificates BEGIN
  INSERT OR IGNORE INTO search_pending (tbl, id) VALUES ('certificates', old.id);
  INSERT OR REPLACE INTO certificate_changes (id, n) VALUES (1, coalesce((SELECT n FROM certificate_changes WHERE id = 1), 0) + 1);
END;
CREATE TRIGGER recipients_insert_indexed AFTER INSERT ON recipients BEGIN
  INSERT OR IGNORE INTO search_pending (tbl, id) VALUES ('recipients', new.id);
END;
CREATE TRIGGER recipients_update_searched AFTER UPDATE OF id, name, email, phone, description, account ON recipients BEGIN
  INSERT OR IGNORE INTO search_pending (tbl, id) VALUES ('recipients', old.id);
  INSERT OR IGNORE INTO search_pending (tbl, id) VALUES ('recipients', new.id);
END;
CREATE TRIGGER recipients_delete_indexed AFTER DELETE ON recipients BEGIN
  INSERT OR IGNORE INTO search_pending (tbl, id) VALUES ('recipients', old.id);
END;
CREATE INDEX certificates_list_holder ON certificates(holder COLLATE NOCASE, id, kind, deleted_at) WHERE kind = 'end-entity' AND deleted_at IS NULL;
CREATE INDEX certificates_list_expiry ON certificates(not_after, id, kind, deleted_at) WHERE kind = 'end-entity' AND deleted_at IS NULL;
CREATE INDEX certificates_list_issued ON certificates(issued_at, id, kind, deleted_at) WHERE kind = 'end-entity' AND deleted_at IS NULL;
CREATE INDEX certificates_list_status ON certificates(status, not_after, id, kind, deleted_at) WHERE kind = 'end-entity' AND deleted_at IS NULL;
CREATE INDEX certificates_list_ca ON certificates(issuer_dn, not_after, id, kind, deleted_at) WHERE kind = 'end-entity' AND deleted_at IS NULL;
CREATE INDEX certificates_live_status ON certificates(status, not_after, issuer_ca_id, kind, deleted_at) WHERE kind = 'end-entity' AND deleted_at IS NULL;
-- Issuing looks up the recipient by name (issue.ts upsertRecipient): without it, each issue read every recipient.
CREATE INDEX recipients_name ON recipients(name);
`;

// Version 10 (issue 14, delivery chosen by the device): the devices a bundle delivery was made for, as a JSON
// array of shared/devices.ts ids (NULL: none named, or recorded before version 10). Renew and Export again
// preselect them. Not covered by the delivery's MAC (record-specs.ts; so no existing MAC changes): the MACed
// `encryption` stays what decides the form, and a stored list that disagrees with it is ignored
// (shared/devices.ts preselectFromDelivery).
const V10 = `
ALTER TABLE deliveries ADD COLUMN devices TEXT;
`;

// Version 11 (issue 13, a search of 100,000 certificates under 50 ms): the certificates outside the table's list
// (CA certificates, deleted ones), usually a handful. A search of the list counts its matches as the match set's
// size less the matches among these (query/cert-pages.ts), instead of probing the match set for every listed row
// (14 ms at 100,000 matches). Covering: the condition's columns are in it. Only an index: no row changes.
export const UNLISTED = "NOT (deleted_at IS NULL AND kind = 'end-entity')";
const V11 = `
CREATE INDEX certificates_unlisted ON certificates(id, kind, deleted_at) WHERE ${UNLISTED};
`;

export const MIGRATIONS: Migration[] = [
  {
    version: 1,
    up(db) {
      // Vaults made by version 1 were given their profiles here; new vaults get them from issuance/new-vault.ts.
      db.exec(V1);
    },
  },
  {
    version: 2,
    up(db, now) {
      db.exec(V2);
      updateProfiles(db, now, (id, def) => {
        def.pfxEncryption ??= 'modern';
        def.passwordRule ??= V2_PASSWORD_RULE;
      });
    },
  },
  {
    version: 3,
    up(db, now) {
      db.exec(V3);
      // Appliances and servers often pin their key; people's certificates get a new one.
      updateProfiles(db, now, (id, def) => {
        def.renewSameKey ??= id === 'device' || id === 'server';
      });
    },
  },
  {
    version: 4,
    up(db) {
      db.exec(V4);
    },
  },
  {
    version: 5,
    up(db) {
      db.exec(V5);
    },
  },
  {
    version: 6,
    up(db) {
      db.exec(V6);
    },
  },
  {
    version: 7,
    up(db) {
      db.exec(V7);
    },
  },
  {
    version: 8,
    up(db) {
      db.exec(V8);
      // An existing vault's rows get their search entries now (no key needed: the indexed fields are public).
      rebuildSearchIndex(db);
    },
  },
  {
    version: 10,
    up(db) {
      db.exec(V10);
    },
  },
  {
    version: 11,
    up(db) {
      db.exec(V11);
    },
  },
];

/** The password rule version 2 gave profiles that had none: what it was then, not whatever the default is now. */
const V2_PASSWORD_RULE = { length: 16, minLength: 12, maxLength: 64, minGroups: 3, groups: ['upper', 'lower', 'digits', 'symbols'] };

/**
 * Adds fields to every stored profile (the officer's edits stay). Used by migrations 2 and 3 only: they ran
 * before records carried MACs. A later migration that changes authenticated rows runs without the vault
 * key, so it must leave the change to the next unlock (as record-upgrade.ts does) rather than break MACs.
 */
function updateProfiles(db: Database.Database, now: Date, change: (id: string, def: Record<string, unknown>) => void): void {
  const rows = db.prepare('SELECT id, definition FROM profiles').all() as { id: string; definition: string }[];
  const update = db.prepare('UPDATE profiles SET definition = ?, updated_at = ? WHERE id = ?');
  for (const r of rows) {
    const def = JSON.parse(r.definition) as Record<string, unknown>;
    change(r.id, def);
    update.run(JSON.stringify(def), now.toISOString(), r.id);
  }
}

export const SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1]!.version;
