// Search through the full-text index (core/search): case and accents folded in every script, substrings
// from 3 characters and word prefixes below, serials and thumbprints, revoked and renewed certificates,
// recipients; the index holds no secret; a version-5 vault migrated to the index finds its certificates.
import assert from 'node:assert/strict';
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { fileURLToPath } from 'node:url';
import { createCa } from '../../electron/core/issuance/cas.js';
import { issueCertificate } from '../../electron/core/issuance/issue.js';
import { listRecipients } from '../../electron/core/issuance/recipients.js';
import { listCertificates, type CertificateFilter } from '../../electron/core/issuance/records.js';
import { revokeCertificate } from '../../electron/core/issuance/revocation.js';
import { renewCertificate } from '../../electron/core/lifecycle/renew.js';
import { certificatePage } from '../../electron/core/query/cert-pages.js';
import { foldText } from '../../electron/core/search/fold.js';
import { subjectValues } from '../../electron/core/search/search-index.js';
import { Vault } from '../../electron/core/vault/vault.js';
import { SCHEMA_VERSION } from '../../electron/core/vault/schema.js';
import { newVault, PASSPHRASE, vaultOptions, TestClock } from '../helpers/engine-vault.js';
import { tempDir } from '../helpers/tmp.js';

test('foldText: case, accents and letters without a decomposition, in several scripts', () => {
  const cases: [string, string][] = [
    ['Öztürk', 'ozturk'],
    ['ΣΟΦΙΑ', 'σοφια'],
    ['σοφία', 'σοφια'],
    ['Νίκος', 'νικοσ'],
    ['ЙОРДАН', 'иордан'],
    ['Łukasz Wójcik', 'lukasz wojcik'],
    ['Straße', 'strasse'],
    ['ＡＢＣ', 'abc'], // full-width
    ['Ægir Ødegård', 'aegir odegard'],
    ['İstanbul ırmak', 'istanbul irmak'],
  ];
  for (const [input, folded] of cases) assert.equal(foldText(input), folded, input);
  assert.equal(foldText(null), '');
  // Marks that are letters stay: Indic vowel signs and viramas, Thai vowels, Japanese voiced marks.
  for (const kept of ['किताब', 'कुत्ता', 'মা', 'தமிழ்', 'ไทย', 'がっこう', 'ガ']) assert.equal(foldText(kept), kept.normalize('NFC'), kept);
  assert.notEqual(foldText('किताब'), foldText('कताब'), 'ि is a vowel, not an accent');
  assert.equal(foldText('שָׁלוֹם'), 'שלום', 'Hebrew points go');
  assert.equal(foldText('تَرْجَمَة'), 'ترجمة', 'Arabic harakat go');
});

async function people(t: TestContext) {
  const { vault, clock } = await newVault(t);
  await createCa(vault, { name: 'Root', subject: 'CN=Search Root', keyType: 'ec-p256' });
  const issue = async (name: string, email: string, extra: { alias?: string; profile?: string; sans?: { type: 'dns'; value: string }[] } = {}) =>
    (
      await issueCertificate(vault, {
        ca: 'Root',
        profile: extra.profile ?? 'user',
        name,
        sans: extra.sans ?? [{ type: 'email', value: email }],
        alias: extra.alias ?? null,
        keyType: 'ec-p256',
        recipient: { phone: '+49 30 1234567', description: `Büro ${name}` },
      })
    ).record;
  const ayse = await issue('Ayşe Öztürk', 'ayse.ozturk@example.org', { alias: 'ayşe-laptop' });
  const sofia = await issue('σοφία Παπαδοπούλου', 'sofia@example.gr');
  const nikos = await issue('Νίκος Δήμου', 'nikos@example.gr');
  const ivan = await issue('Иван Петров', 'ivan@example.ru');
  const wang = await issue('王伟', 'wang.wei@example.cn');
  const bob = await issue('Bob Berg', 'bob@example.com');
  return { vault, clock, ayse, sofia, nikos, ivan, wang, bob };
}

test('certificate search folds case and accents in every script, and matches substrings and short prefixes', async (t) => {
  const { vault, ayse, sofia, nikos, ivan, wang, bob } = await people(t);
  const ids = (search: string, f: CertificateFilter = {}) => listCertificates(vault, { kind: 'end-entity', search, ...f }).map((r) => r.id).sort((a, b) => a - b);
  assert.deepEqual(ids('öztürk'), [ayse.id]);
  assert.deepEqual(ids('OZTURK'), [ayse.id]);
  assert.deepEqual(ids('ztü'), [ayse.id], 'a 3-character substring inside a word');
  assert.deepEqual(ids('ΣΟΦΙΑ'), [sofia.id]);
  assert.deepEqual(ids('νικος'), [nikos.id], 'final sigma and tonos folded');
  assert.deepEqual(ids('петров'), [ivan.id]);
  assert.deepEqual(ids('王伟'), [wang.id], 'two CJK characters: a word prefix');
  assert.deepEqual(ids('王'), [wang.id], 'one character: a word prefix');
  assert.deepEqual(ids('bo'), [bob.id], 'a 2-character prefix');
  assert.deepEqual(ids('ob'), [], 'a 2-character search is a prefix of a word, not a substring');
  assert.deepEqual(ids('example.gr'), [sofia.id, nikos.id].sort((a, b) => a - b), 'SAN e-mail addresses');
  assert.deepEqual(ids('AYSE-LAP'), [ayse.id], 'aliases, folded');
  assert.deepEqual(ids('nobody here'), []);
  // Serials and thumbprints as hex, with or without colons.
  assert.deepEqual(ids(bob.serial.slice(2, 12).toUpperCase()), [bob.id]);
  assert.deepEqual(ids(bob.serial.slice(0, 8).replace(/(..)(?=.)/g, '$1:')), [bob.id], 'colon-separated hex');
  assert.deepEqual(ids(bob.sha256.slice(20, 40)), [bob.id], 'SHA-256 thumbprint substring');
  assert.deepEqual(ids(bob.sha1.slice(5, 25)), [bob.id], 'SHA-1 thumbprint substring');
  // The table's pages find the same rows.
  const page = certificatePage(vault, { kind: 'end-entity', search: 'example.gr' }, { sort: 'holder', direction: 'desc', position: 0, limit: 10 });
  assert.deepEqual([page.total, page.rows.map((r) => r.holder)], [2, ['σοφία Παπαδοπούλου', 'Νίκος Δήμου'].sort((a, b) => b.toLowerCase().localeCompare(a.toLowerCase()))]);
});

test('a revoked certificate and a renewed one (both generations) are found; a changed row is searched by its new values', async (t) => {
  const { vault, ayse, bob } = await people(t);
  const ids = (search: string, f: CertificateFilter = {}) => listCertificates(vault, { kind: 'end-entity', search, ...f }).map((r) => r.id).sort((a, b) => a - b);
  revokeCertificate(vault, String(bob.id), 'keyCompromise');
  assert.deepEqual(ids('berg'), [bob.id]);
  assert.deepEqual(ids('berg', { status: 'revoked' }), [bob.id]);
  assert.deepEqual(ids('berg', { status: 'valid' }), []);
  const renewed = await renewCertificate(vault, String(ayse.id));
  assert.deepEqual(ids('öztürk'), [ayse.id, renewed.record.id], 'the old certificate and its successor');
  // A write outside the code paths that know about search (the triggers queue it all the same).
  vault.db.prepare('UPDATE certificates SET alias = ? WHERE id = ?').run('Ελένη-phone', bob.id);
  assert.deepEqual(ids('ΕΛΕΝΗ'), [bob.id]);
  assert.deepEqual(ids('ayşe-laptop'), [ayse.id, renewed.record.id], 'the successor keeps the alias');
  vault.db.prepare('DELETE FROM search_pending').run(); // nothing left behind by the searches
  vault.db.prepare('UPDATE certificates SET holder = ?, subject = ? WHERE id = ?').run('Bobby Tables', 'CN=Bobby Tables', bob.id);
  assert.deepEqual(ids('bobby'), [bob.id]);
  assert.deepEqual(ids('berg'), [], 'the old holder and subject are no longer indexed');
});

test('recipient search: name, e-mail, phone and description, folded; latest first', async (t) => {
  const { vault } = await people(t);
  const names = (q: string) => listRecipients(vault, q).map((r) => r.name);
  assert.deepEqual(names('OZTURK'), ['Ayşe Öztürk']);
  assert.deepEqual(names('σοφια'), ['σοφία Παπαδοπούλου']);
  assert.deepEqual(names('example.gr'), ['Νίκος Δήμου', 'σοφία Παπαδοπούλου'], 'e-mail, most recently added first');
  assert.deepEqual(names('buro'), ['Bob Berg', '王伟', 'Иван Петров', 'Νίκος Δήμου', 'σοφία Παπαδοπούλου', 'Ayşe Öztürk'], 'description "Büro ..." folded');
  assert.equal(names('1234567').length, 6, 'phone');
  assert.deepEqual(names('pe'), [], 'a 2-character prefix of no word');
  assert.deepEqual(names('пе'), ['Иван Петров']);
});

test('the search index holds only public fields, keeps no content copy, and nothing secret', async (t) => {
  const { vault, ayse } = await people(t);
  listCertificates(vault, { search: 'x' }); // indexes everything queued
  const objects = vault.db.prepare("SELECT name, sql FROM sqlite_schema WHERE name LIKE '%search%' AND type = 'table'").all() as { name: string; sql: string | null }[];
  const fts = objects.filter((o) => o.sql?.includes('USING fts5'));
  assert.deepEqual(fts.map((o) => o.name).sort(), ['certificate_search_text', 'certificate_search_words', 'recipient_search_text', 'recipient_search_words']);
  for (const o of fts) {
    assert.match(o.sql!, /content = ''/, `${o.name} is contentless`);
    assert.doesNotMatch(o.sql!, /\b(der|mac|key_id|ciphertext|nonce|spki)\b/, `${o.name} indexes no key material or MAC`);
  }
  assert.ok(!objects.some((o) => o.name.endsWith('_content')), 'no copy of the text');
  // The sealed key of a certificate never reaches the index: its ciphertext's hex is not found.
  const sealed = vault.db.prepare('SELECT k.ciphertext FROM keys k JOIN certificates c ON c.key_id = k.id WHERE c.id = ?').pluck().get(ayse.id) as Buffer;
  assert.equal(listCertificates(vault, { search: sealed.subarray(0, 8).toString('hex') }).length, 0);
});

test('a version-5 vault is migrated with its certificates indexed: search finds them at once', async (t) => {
  const dir = tempDir(t);
  const path = join(dir, 'v5.certdesk');
  copyFileSync(fileURLToPath(new URL('../../../test/fixtures/vault-v5.certdesk', import.meta.url)), path);
  const vault = Vault.open(path, vaultOptions(new TestClock('2026-02-01T00:00:00.000Z')));
  t.after(() => vault.close());
  assert.equal(vault.schemaVersion(), SCHEMA_VERSION);
  assert.equal(vault.db.prepare('SELECT count(*) FROM search_pending').pluck().get(), 0, 'the migration indexed every row');
  await vault.unlock('fixture passphrase v5');
  assert.deepEqual(listCertificates(vault, { search: 'carl pend', kind: 'end-entity' }).map((r) => r.holder), ['Carl Pending']);
  assert.deepEqual(listCertificates(vault, { search: 'BATCH', kind: 'end-entity' }).map((r) => r.holder).sort(), ['Anna Batch', 'Ben Batch']);
  assert.deepEqual(listRecipients(vault, 'fixture.example').map((r) => r.name).sort(), ['Anna Batch', 'Ben Batch', 'Carl Pending']);
  // And it stays in step with new writes.
  const { record } = await issueCertificate(vault, { ca: 'Fixture Root', profile: 'user', name: 'Dörte Neu', sans: [{ type: 'email', value: 'doerte@fixture.example' }], keyType: 'ec-p256' });
  assert.deepEqual(listCertificates(vault, { search: 'dorte' }).map((r) => r.id), [record.id]);
});

test("a subject's attribute types are not searched: 'cn' and 'cn=' find no subject, values still are", async (t) => {
  const { vault, ayse, bob, wang } = await people(t);
  const ids = (search: string) => listCertificates(vault, { kind: 'end-entity', search }).map((r) => r.id).sort((a, b) => a - b);
  assert.ok(bob.subject.startsWith('CN='), bob.subject);
  assert.deepEqual(ids('cn'), [wang.id], 'the CN of every subject is no word: only wang.wei@example.cn has one');
  assert.deepEqual(ids('CN='), [], 'nor a substring');
  assert.deepEqual(ids('o'), [ayse.id], 'only Öztürk has a word starting with o');
  assert.deepEqual(ids('bob berg'), [bob.id], 'the values are still searched');
});

test('a 1-2 character search with no letter or digit looks at values only: not the SAN JSON, not the subject syntax', async (t) => {
  const { vault, ayse, sofia, nikos, ivan, wang, bob } = await people(t);
  const ids = (search: string) => listCertificates(vault, { kind: 'end-entity', search }).map((r) => r.id).sort((a, b) => a - b);
  // Before: '"', ':', '[', '{' matched every certificate through its SAN list's JSON, '=' and ',' through "CN=...".
  for (const syntax of ['"', ':', '[', ']', '{', '=', ',', '":']) assert.deepEqual(ids(syntax), [], `search ${JSON.stringify(syntax)}`);
  // Characters that are in values still match: every certificate has an e-mail address, a host name has a dot.
  assert.deepEqual(ids('@'), [ayse.id, sofia.id, nikos.id, ivan.id, wang.id, bob.id].sort((a, b) => a - b));
  const dashed = await issueCertificate(vault, { ca: 'Root', profile: 'device', name: 'printer', sans: [{ type: 'dns', value: 'printer-2.example.net' }], keyType: 'ec-p256' });
  assert.deepEqual(ids('-'), [ayse.id, dashed.record.id].sort((a, b) => a - b), "'-' is in an alias and a DNS name");
});

test('an index filled with the earlier folding (every mark removed) is re-indexed once when the vault is opened again', async (t) => {
  const { vault, path } = await newVault(t);
  await createCa(vault, { name: 'Root', subject: 'CN=Fold Root', keyType: 'ec-p256' });
  const { record } = await issueCertificate(vault, { ca: 'Root', profile: 'user', name: 'किताब सिंह', sans: [{ type: 'email', value: 'kitab@example.in' }], keyType: 'ec-p256' });
  const ids = (v: Vault, search: string) => listCertificates(v, { kind: 'end-entity', search }).map((r) => r.id);
  assert.deepEqual(ids(vault, 'किताब'), [record.id]);
  assert.deepEqual(ids(vault, 'कतब'), [], 'the vowel signs are part of the name');
  // What a vault indexed by fold version 1 holds: the name without its marks, and no fold marker.
  const oldFold = (s: string) => s.normalize('NFKD').replace(/\p{M}+/gu, '').toLowerCase().normalize('NFC');
  for (const fts of ['certificate_search_text', 'certificate_search_words']) {
    vault.db.prepare(`DELETE FROM ${fts} WHERE rowid = ?`).run(record.id);
    vault.db.prepare(`INSERT INTO ${fts} (rowid, holder) VALUES (?, ?)`).run(record.id, oldFold('किताब सिंह'));
  }
  vault.db.prepare("DELETE FROM meta WHERE key = 'search_fold'").run();
  vault.close();
  const reopened = Vault.open(path, vaultOptions());
  t.after(() => reopened.close());
  await reopened.unlock(PASSPHRASE);
  assert.deepEqual(ids(reopened, 'किताब'), [record.id], 'found through the re-built entry');
  assert.deepEqual(ids(reopened, 'कतब'), [], 'the old entry is gone');
  assert.equal(reopened.db.prepare("SELECT value FROM meta WHERE key = 'search_fold'").pluck().get(), '2');
});

test('subjectValues: the values of every RDN, most specific first, escapes removed, types and OIDs dropped', () => {
  assert.equal(subjectValues('CN=Alice,O=Example,C=DE'), 'Alice Example DE');
  assert.equal(subjectValues('CN=Smith\\, John+UID=jsmith,OU=R\\+D,2.5.4.5=X42'), 'Smith, John jsmith R+D X42');
  assert.equal(subjectValues(''), '');
  assert.equal(subjectValues(null), '');
});
