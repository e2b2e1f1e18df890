// "certdesk vault verify" and the Audit log screen's Verify: the audit chain, the MAC of every authenticated
// record, each table's record set against the digests CertDesk last wrote, the digests' own MAC and their
// place in the audit chain, and each CA's revoked set against its certificates. Everything is reported, not
// only the first problem. One pass over each table; about a second per 100,000 certificates.
import type { RecordProblem, VaultVerification } from '../../../shared/domain.js';
import { MAC_COLUMN, RECORD_SPECS, RECORD_TABLES } from './record-specs.js';
import { setProblem } from './record-store.js';
import { compareRevokedSet } from './revoked-sets.js';
import { macElement, sameSet, SetAccumulator } from './set-digest.js';
import type { Vault } from './vault.js';

/** Verifies the whole vault (VAULT_LOCKED while locked); never throws for what it finds. */
export function verifyVault(vault: Vault): VaultVerification {
  const audit = vault.verifyAudit();
  const store = vault.records;
  const problems: RecordProblem[] = [];
  let checked = 0;
  const state = store.stateProblem();
  if (state) problems.push({ table: 'meta', record: 'record_sets', problem: state });
  for (const table of RECORD_TABLES) {
    const spec = RECORD_SPECS[table];
    const sum = new SetAccumulator();
    for (const row of store.rows(table)) {
      checked++;
      const mac = row[MAC_COLUMN];
      if (!store.holds(table, row)) {
        problems.push({ table, record: spec.describe(row), problem: mac ? 'does not match its MAC: changed outside CertDesk' : 'has no MAC: written outside CertDesk' });
      }
      sum.add(macElement(typeof mac === 'string' ? mac : null));
    }
    const recorded = store.recordedSet(table);
    if (recorded && !sameSet(sum.value, recorded)) problems.push({ table, record: null, problem: setProblem(sum.value, recorded) });
  }
  for (const ca of vault.db.prepare('SELECT id, name, revoked_count, revoked_digest FROM cas ORDER BY id').all() as { id: number; name: string; revoked_count: number; revoked_digest: string }[]) {
    const { problem } = compareRevokedSet(store, ca);
    if (problem) problems.push({ table: 'cas', record: RECORD_SPECS.cas.describe(ca), problem });
  }
  return { ok: audit.ok && problems.length === 0, audit, records: { checked, problems } };
}

/** The findings as lines a person reads, one per problem; empty when the vault is intact. */
export function verificationLines(v: VaultVerification): string[] {
  const lines = v.audit.ok ? [] : [`audit: the chain is broken at entry ${v.audit.firstBad!.seq}: ${v.audit.firstBad!.problem}`];
  return [...lines, ...v.records.problems.map((p) => `${p.table}: ${p.record === null ? '' : `${p.record}: `}${p.problem}`)];
}
