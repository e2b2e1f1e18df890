// Lifecycle from the command line: renew (one, or everything due, with bundles), revoke many, delete,
// crl publish, and the expiry report as CSV and as an iCalendar file that a calendar library reads.
// The commands run in this process (inProcessSession): this file checks what they print and write, not the process.
import assert from 'node:assert/strict';
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import ICAL from 'ical.js';
import { parse } from 'csv-parse/sync';
import { inProcessSession } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';

test('renew, revoke many, delete, publish CRLs and report expiry from the command line', async (t) => {
  const dir = tempDir(t);
  const { cd, ok, init } = inProcessSession(dir, 'lifecycle cli passphrase');
  await init();
  await ok('ca', 'create', '--name', 'CA', '--subject', 'CN=Lifecycle CLI CA', '--key', 'ec-p256');
  const issue = async (name: string, days: string) => Number((await ok('issue', '--ca', 'CA', '--profile', 'user', '--name', name, '--email', `${name.toLowerCase()}@example.com`, '--key', 'ec-p256', '--days', days, '--json')).json!.id);
  const soon = await issue('Soon', '10');
  const later = await issue('Later', '200');
  const gone = await issue('Gone', '200');
  const fired = await issue('Fired', '200');

  // Expiry report: by default what the profile's 30 renew-before days make due; --within widens it.
  await ok('report', 'expiry', '--out', 'due.csv');
  const due = parse(readFileSync(join(dir, 'due.csv')), { columns: true, bom: true }) as { holder: string; renew_on: string }[];
  assert.deepEqual(due.map((r) => r.holder), ['Soon']);
  await ok('report', 'expiry', '--within', '365', '--out', 'year.ics');
  const cal = new ICAL.Component(ICAL.parse(readFileSync(join(dir, 'year.ics'), 'utf8')));
  const events = cal.getAllSubcomponents('vevent').map((v) => new ICAL.Event(v));
  assert.deepEqual(events.map((e) => e.summary).sort(), ['Fired', 'Gone', 'Later', 'Soon'].map((h) => `Renew certificate: ${h} (user)`).sort());
  assert.equal((await cd('report', 'expiry', '--out', 'x.txt')).status, 2);

  // Renew everything due, with bundles and a password list outside the bundle folder.
  mkdirSync(join(dir, 'stick'));
  const renewed = (await ok('renew', '--due', '--out', 'stick', '--passwords', 'renewals.csv', '--revoke-old', '--json')).json!.renewed as { id: number; renewedFrom: number }[];
  assert.deepEqual(renewed.map((r) => r.renewedFrom), [soon]);
  const shown = (await ok('show', String(soon), '--json')).json!.certificate as { status: string; revocationReason: string; supersededBy: number };
  assert.deepEqual([shown.status, shown.revocationReason, shown.supersededBy], ['revoked', 'superseded', renewed[0]!.id]);
  assert.equal(readdirSync(join(dir, 'stick')).length, 1);
  assert.equal((parse(readFileSync(join(dir, 'renewals.csv')), { columns: true }) as unknown[]).length, 1);
  assert.match((await ok('renew', '--due')).stdout, /Nothing is due/);
  const one = (await ok('renew', String(later), '--json')).json!.renewed as { renewedFrom: number }[];
  assert.equal(one[0]!.renewedFrom, later);
  assert.equal((await cd('renew', String(later))).status, 1, 'a certificate is renewed once');

  const revoked = (await ok('revoke', String(gone), String(fired), '--reason', 'affiliationChanged', '--json')).json!.certificates as { status: string }[];
  assert.deepEqual(revoked.map((c) => c.status), ['revoked', 'revoked']);
  await ok('delete', String(fired));
  const listed = ((await ok('list', '--json')).json!.certificates as { id: number }[]).map((c) => c.id);
  assert.ok(!listed.includes(fired) && listed.includes(gone));

  mkdirSync(join(dir, 'crl'));
  const pub = (await ok('crl', 'publish', '--out', 'crl', '--json')).json!.publish as { crls: { ca: string; entries: number }[]; publishBy: string };
  assert.deepEqual(pub.crls.map((c) => [c.ca, c.entries]), [['CA', 3]], 'Soon (superseded), Gone and the deleted Fired');
  assert.deepEqual(readdirSync(join(dir, 'crl')).sort(), ['ca.crl', 'ca.crl.pem', 'crl-chain.pem']);
  assert.match((await ok('ca', 'list')).stdout, new RegExp(pub.publishBy.slice(0, 10)));
  assert.equal((await ok('audit', 'verify')).status, 0);
});
