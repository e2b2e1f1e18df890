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
import { revocationsOf, revokedSetOf } from './revoked-sets.js';
import { SCHEMA_VERSION } from './schema.js';
import type { Vault } from './vault.js';

export const RECORDS_AUTHENTICATED = 'vault.records-authenticated';
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
  if (hasRecordSets(vault.db) || authenticatedBefore(vault.db)) {
    // Authenticated by a CertDesk that still wrapped the key with the version-1 label: bind it now.
    vault.transaction(bindKey);
    return;
  }
  const chain = vault.verifyAudit();
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
      auditChain: chain.ok ? `intact, ${chain.entries} entries` : `broken at entry ${chain.firstBad?.seq}: ${chain.firstBad?.problem}`,
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
