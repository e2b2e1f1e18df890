// Authenticating the records of a vault upgraded from a version without MACs (schema 3 or older). The
// migration to version 4 only adds the columns: the MACs need the vault key, so they are computed at the
// first unlock after it, in one transaction, before anything else reads a record, and the audit log says
// so ("vault.records-authenticated"). It happens once: a vault whose audit chain shows that its records
// were authenticated before (or that it was created with MACs) is never re-authenticated, so removing the
// record-set state outside CertDesk cannot launder records changed meanwhile; that vault is reported instead.
// The audit log can be deleted along with it, so the decision rests on the passphrase: the transaction that
// authenticates the records also rewraps the vault key with the label "records authenticated" (vault.ts),
// and a key unwrapped with that label never comes here to be upgraded again.
import type Database from 'better-sqlite3';
import { hasRecordSets } from './record-sets.js';
import { MAC_COLUMN, RECIPIENT_COLUMNS_V6 } from './record-specs.js';
import { revocationsOf, revokedSetOf } from './revoked-sets.js';
import { SCHEMA_VERSION } from './schema.js';
import type { Vault } from './vault.js';

export const RECORDS_AUTHENTICATED = 'vault.records-authenticated';
/** The audit action of the step that gives MACs to the tables that gained them in schema 6. */
export const DELIVERIES_AUTHENTICATED = 'vault.deliveries-authenticated';
/** The tables whose rows carry MACs from schema 6 on (pending deliveries and batch resume markers). */
const SCHEMA_6_TABLES = ['deliveries', 'batch_items'] as const;
/** The audit action of the step that re-authenticates recipients over their schema-7 columns (SID and account). */
export const RECIPIENTS_REAUTHENTICATED = 'vault.recipients-reauthenticated';
/** The first schema version whose vaults carry record MACs from their creation. */
export const FIRST_AUTHENTICATED_SCHEMA = 4;

/**
 * Authenticates every record if this vault has never been; otherwise does nothing. Call right after the key is
 * derived. `bindKey` writes the vault key's "records authenticated" wrap; null when the key was unwrapped with
 * it already: then nothing is ever authenticated here, and a missing record-set state or audit log is
 * reported as tampering by the record layer and vault verify.
 */
export function authenticateUpgradedRecords(vault: Vault, bindKey: (() => void) | null): void {
  if (bindKey === null) return;
  // One write transaction for the decision and the work (another process may be unlocking the same vault).
  vault.transaction(() => authenticateOnce(vault, bindKey));
}

function authenticateOnce(vault: Vault, bindKey: () => void): void {
  if (hasRecordSets(vault.db) || authenticatedBefore(vault.db)) {
    // Authenticated by a CertDesk that still wrapped the key with the version-1 label: bind it now.
    bindKey();
    return;
  }
  // The records are trusted as the audit chain vouches for them: a chain that does not verify (edited,
  // truncated, or deleted beside the CAs and certificates it recorded) authenticates nothing, so putting
  // back a pre-upgrade key wrap and wiping the log cannot launder changed records. The vault stays
  // unauthenticated: every signature refuses and "vault verify" says why.
  const chain = vault.verifyAudit();
  if (!chain.ok) return;
  vault.transaction(() => {
    bindKey();
    const store = vault.records;
    // Each CA's revoked set first: it is part of the CA's record, whose MAC comes next.
    const setRevoked = vault.db.prepare('UPDATE cas SET revoked_count = ?, revoked_digest = ? WHERE id = ?');
    for (const { id } of vault.db.prepare('SELECT id FROM cas').all() as { id: number }[]) {
      const set = revokedSetOf(store, revocationsOf(store, id));
      setRevoked.run(set.count, set.digest, id);
    }
    const records = store.authenticateAll();
    vault.audit(RECORDS_AUTHENTICATED, null, {
      schema: SCHEMA_VERSION,
      records,
      // What the audit chain looked like when the records were first trusted.
      auditChain: `intact, ${chain.entries} entries`,
    });
  });
}

/** Whether the audit log shows records carrying MACs already: created at version 4 or later, or authenticated since. */
export function authenticatedBefore(db: Database.Database): boolean {
  return (
    db
      .prepare(
        `SELECT 1 FROM audit WHERE action = ? OR (action = 'vault.create' AND CAST(json_extract(details, '$.schema') AS INTEGER) >= ?) LIMIT 1`,
      )
      .get(RECORDS_AUTHENTICATED, FIRST_AUTHENTICATED_SCHEMA) !== undefined
  );
}

/**
 * Gives MACs to the pending deliveries and batch resume markers of a vault created before schema 6, at the
 * first unlock after its upgrade (before anything reads them), and says so in the audit log. It happens
 * once, and only when the audit chain verifies and shows the vault was created before schema 6 and never had
 * this step: rows without a MAC added later, or to a vault created with them, stay reported and unused.
 * Returns whether it ran.
 */
export function authenticateSchema6Tables(vault: Vault): boolean {
  const store = vault.records;
  // A vault that had this step (or was made with MACs on these tables and has used them) is not locked again.
  if (SCHEMA_6_TABLES.some((t) => store.counts(t)) || createdAtSchema(vault.db) >= 6) return false;
  // Decided and done in one write transaction: two CertDesk processes unlocking the upgraded vault at once
  // do it once, and the second sees the first's result.
  return vault.transaction(() => {
    if (SCHEMA_6_TABLES.some((t) => store.counts(t))) return false;
    if (createdAtSchema(vault.db) >= 6 || auditHas(vault.db, DELIVERIES_AUTHENTICATED)) return false;
    // Nothing is trusted from a broken chain or a state that does not hold: the vault is reported as it is.
    if (store.stateProblem() !== null || !vault.verifyAudit().ok) return false;
    const records = store.authenticateNewTables(SCHEMA_6_TABLES);
    vault.audit(DELIVERIES_AUTHENTICATED, null, { schema: SCHEMA_VERSION, records });
    return true;
  });
}

/**
 * Re-authenticates the recipients of a vault created before schema 7 over their new columns (sid, account), at
 * the first unlock after the upgrade, before anything reads them; the audit log says so with the counts. Once
 * only, and only when the record-set state holds and the audit chain verifies. A recipient is re-authenticated
 * only if its version-6 MAC (RECIPIENT_COLUMNS_V6) holds and its SID and account are still empty, as the
 * migration left them: a row changed outside CertDesk before the unlock (a SID written into the file included)
 * keeps failing its MAC and is reported as VAULT_TAMPERED. Cheap when there is nothing to do: the first
 * recipient's MAC is checked before any lock is taken or the audit log is read. Returns whether it ran.
 * Implements the VAULT RULES of issue 10 for a column added to an authenticated table.
 */
export function authenticateSchema7Recipients(vault: Vault): boolean {
  const store = vault.records;
  const first = () => vault.db.prepare(`SELECT * FROM recipients ORDER BY id LIMIT 1`).get() as Record<string, string | number | null> | undefined;
  // A vault without recipients has nothing to upgrade; one whose first recipient holds was upgraded or made at 7.
  const cheap = first();
  if (cheap === undefined || store.holds('recipients', cheap)) return false;
  return vault.transaction(() => {
    const row = first();
    if (row === undefined || store.holds('recipients', row)) return false;
    if (createdAtSchema(vault.db) >= 7 || auditHas(vault.db, RECIPIENTS_REAUTHENTICATED)) return false;
    if (store.stateProblem() !== null || !vault.verifyAudit().ok) return false;
    const { reauthenticated, left } = store.reauthenticate('recipients', RECIPIENT_COLUMNS_V6, (r) => r.sid === null && r.account === null && r[MAC_COLUMN] !== null);
    vault.audit(RECIPIENTS_REAUTHENTICATED, null, { schema: SCHEMA_VERSION, records: { recipients: reauthenticated }, ...(left ? { leftUnauthenticated: left } : {}) });
    return true;
  });
}

/** The schema the audit log says the vault was created at (0 when it predates the entry's schema field). */
function createdAtSchema(db: Database.Database): number {
  const row = db.prepare(`SELECT CAST(json_extract(details, '$.schema') AS INTEGER) AS schema FROM audit WHERE action = 'vault.create' ORDER BY seq LIMIT 1`).get() as
    | { schema: number | null }
    | undefined;
  return row?.schema ?? 0;
}

function auditHas(db: Database.Database, action: string): boolean {
  return db.prepare('SELECT 1 FROM audit WHERE action = ? LIMIT 1').get(action) !== undefined;
}
