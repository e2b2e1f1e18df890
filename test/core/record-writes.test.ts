// No write path forgets the MAC: outside the record layer, no engine code writes an authenticated table
// with SQL of its own. (The migrations up to version 3 ran before records had MACs, and the upgrade
// step sets each CA's revoked set just before it authenticates every row.)
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import { RECORD_TABLES } from '../../electron/core/vault/record-specs.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const ALLOWED = new Map([
  ['electron/core/vault/record-store.ts', 'the record layer itself'],
  ['electron/core/vault/record-upgrade.ts', 'revoked sets set right before every row is authenticated'],
  ['electron/core/vault/schema.ts', 'migrations 2 and 3 (profile fields), before records had MACs'],
]);

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []));
}

test('authenticated tables are written only through the record layer', () => {
  const write = new RegExp(`\\b(INSERT\\s+(OR\\s+\\w+\\s+)?INTO|UPDATE|DELETE\\s+FROM|REPLACE\\s+INTO)\\s+(${RECORD_TABLES.join('|')})\\b`, 'i');
  const offenders: string[] = [];
  for (const file of sources(join(ROOT, 'electron'))) {
    const name = relative(ROOT, file).split('\\').join('/');
    if (ALLOWED.has(name)) continue;
    readFileSync(file, 'utf8')
      .split('\n')
      .forEach((line, i) => {
        if (write.test(line)) offenders.push(`${name}:${i + 1}: ${line.trim()}`);
      });
  }
  assert.deepEqual(offenders, [], 'write these through vault.records (electron/core/vault/record-store.ts)');
  // The check itself finds such a line.
  assert.ok(write.test(`db.prepare('UPDATE certificates SET status = ?')`));
});
