// Issue 11 end to end: a batch whose holder is a spreadsheet formula. The password list and the expiry report
// written from the vault hold that holder neutralised (a leading apostrophe), and the password cell is the
// PFX's password exactly (openssl opens the bundle's PFX with it).
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { parse } from 'csv-parse/sync';
import { runBatch } from '../../electron/core/batch/run-batch.js';
import { createCa } from '../../electron/core/issuance/cas.js';
import { listCertificates } from '../../electron/core/issuance/records.js';
import { expiryCsv, expiryItems } from '../../electron/core/lifecycle/expiry-report.js';
import { newVault } from '../helpers/engine-vault.js';
import { needTools, runOk } from '../helpers/tools.js';

const HOLDERS = ['=HYPERLINK("http://x","y")', '+SUM(1,2)', '@cmd', '-2+3'];

test('a batch of formula holders: password list and expiry report cells start with an apostrophe, passwords open the PFX', { timeout: 300_000 }, async (t) => {
  const { vault, dir } = await newVault(t);
  await createCa(vault, { name: 'Users', subject: 'CN=Injection Users CA,O=Example', keyType: 'ec-p256', days: 3650 });
  const csv = 'name,email\n' + HOLDERS.map((h, i) => `"${h.replace(/"/g, '""')}",u${i}@example.com`).join('\n') + '\n';
  const out = join(dir, 'stick');
  mkdirSync(out);
  const passwordsFile = join(dir, 'passwords.csv');
  const report = await runBatch(vault, { ca: 'Users', profile: 'user', csv: Buffer.from(csv), sourceName: 'staff.csv', outDir: out, passwordsFile, keyType: 'ec-p256', workers: 1 });
  assert.deepEqual(report.problems, []);
  assert.equal(report.issued, HOLDERS.length);
  assert.equal(vault.db.prepare('SELECT count(*) FROM search_pending').pluck().get(), 0, 'the batch indexed its rows for search before returning');

  const list = parse(readFileSync(passwordsFile), { columns: true }) as { holder: string; alias: string; file: string; password: string }[];
  assert.deepEqual(list.map((r) => r.holder).sort(), HOLDERS.map((h) => `'${h}`).sort());
  const canOpen = needTools(t, 'openssl');
  for (const r of list) {
    assert.doesNotMatch(r.password, /^['=+\-@]/, 'the password cell is never altered and never starts a formula');
    if (canOpen) runOk('openssl', ['pkcs12', '-in', join(out, r.file), '-passin', `pass:${r.password}`, '-nokeys', '-noout']);
  }

  // The expiry report of the batch's certificates (the CA's own certificate left out).
  const certs = listCertificates(vault).filter((c) => c.issuerCaId !== null);
  assert.equal(certs.length, HOLDERS.length);
  const rows = parse(expiryCsv(expiryItems(certs, [], vault.now())), { bom: true, columns: true }) as { holder: string; ca: string }[];
  assert.deepEqual(rows.map((r) => r.holder).sort(), HOLDERS.map((h) => `'${h}`).sort());
  assert.deepEqual(rows.map((r) => r.ca), HOLDERS.map(() => 'Users'));
});
