// Seeded mutations of valid requests through readCsr, the sign-csr engine path, and the subject and SAN readers:
// every outcome is a result or a CertDeskError with a code for bad input, never another exception.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as asn1js from 'asn1js';
import { CertDeskError } from '../../shared/errors.js';
import { x509 } from '../../electron/core/pki/provider.js';
import { readCsr } from '../../electron/core/pki/csr.js';
import { readGeneralNames } from '../../electron/core/pki/general-names.js';
import { readSubject } from '../../electron/core/pki/names.js';
import { createCa } from '../../electron/core/issuance/cas.js';
import { signCsr } from '../../electron/core/issuance/issue.js';
import { newVault } from '../helpers/engine-vault.js';
import { fuzzCase, fuzzSeed, mutate, Rng } from '../helpers/fuzz.js';

const CASES = 300;
const INPUT_CODE = /^(CSR_[A-Z_]+|INVALID_[A-Z_]+|WEAK_KEY|UNSUPPORTED_KEY|PROFILE_VIOLATION)$/;

/**
 * The valid requests the mutations start from, fixed files so that a seed replays the same inputs (ECDSA
 * signatures are randomised): RSA-2048 with dns, email, ip, upn and uri names; EC P-256 with dns, ip, email;
 * EC P-256 with a raw UTF-8 dNSName and rfc822Name domain ("räksmörgås.se"), made with test/helpers/csr.ts.
 */
function seeds(): Uint8Array[] {
  return ['rsa.csr', 'ec.csr', 'idn.csr'].map((f) => {
    const pem = readFileSync(fileURLToPath(new URL(`../../../test/fixtures/fuzz-csr/${f}`, import.meta.url)), 'latin1');
    // DER, so that the mutations hit the encoding rather than the Base64 text.
    return new Uint8Array(Buffer.from(pem.replace(/-----[^-]+-----|\s/g, ''), 'base64'));
  });
}

/** The subject Name and the subjectAltName extension value of a request, as DER. */
function partsOf(der: Uint8Array): { subject: Uint8Array; san: Uint8Array } {
  const info = (asn1js.fromBER(der).result as asn1js.Sequence).valueBlock.value[0] as asn1js.Sequence;
  const subject = new Uint8Array((info.valueBlock.value[1] as asn1js.Sequence).valueBeforeDecodeView);
  const san = new x509.Pkcs10CertificateRequest(der).extensions.find((e) => e.type === '2.5.29.17')!;
  return { subject, san: new Uint8Array(san.value) };
}

function expectInputError(e: unknown, where: string): string {
  assert.ok(e instanceof CertDeskError, `${where}: expected a CertDeskError, got ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`);
  assert.match(e.code, INPUT_CODE, `${where}: unexpected code ${e.code}: ${e.message}`);
  return e.code;
}

test('fuzz: mutated requests are read and signed, or refused with an input error', { timeout: 120_000 }, async (t) => {
  const seed = fuzzSeed();
  const rng = new Rng(seed);
  const { vault } = await newVault(t);
  await createCa(vault, { name: 'Fuzz CA', subject: 'CN=Fuzz CA', keyType: 'ec-p256', days: 3650 });
  const bases = seeds();
  // The unmutated seeds are read and signed: the mutations start from valid requests.
  for (const base of bases) await signCsr(vault, { ca: 'Fuzz CA', profile: 'vpn', csr: base });

  const outcomes = new Map<string, number>();
  for (let i = 0; i < CASES; i++) {
    const where = fuzzCase(seed, i);
    const input = mutate(rng.pick(bases), rng);
    let read: string;
    try {
      const info = await readCsr(input);
      assert.ok(info.sans.every((s) => typeof s.value === 'string'), where);
      read = 'ok';
    } catch (e) {
      read = expectInputError(e, where);
    }
    let signed: string;
    try {
      const { record } = await signCsr(vault, { ca: 'Fuzz CA', profile: 'vpn', csr: input });
      // Whatever was signed carries ASCII names only (A-labels), as read back from the raw extension.
      const ext = new x509.X509Certificate(record.pem).extensions.find((x) => x.type === '2.5.29.17');
      const names = ext ? readGeneralNames(new Uint8Array(ext.value), 'cert') : [];
      assert.ok(names.every((n) => /^[\x20-\x7e]*$/.test(n.value)), `${where}: non-ASCII name signed: ${JSON.stringify(names)}`);
      signed = 'ok';
    } catch (e) {
      if (e instanceof assert.AssertionError) throw e;
      signed = expectInputError(e, where);
    }
    // sign-csr reads the request the same way (on a worker thread): a request refused there is refused here alike.
    if (read !== 'ok') assert.equal(signed, read, `${where}: readCsr said ${read}, sign-csr ${signed}`);
    const key = `read ${read}, sign ${signed}`;
    outcomes.set(key, (outcomes.get(key) ?? 0) + 1);
  }
  assert.equal([...outcomes.values()].reduce((a, b) => a + b, 0), CASES);
  t.diagnostic(`outcomes: ${JSON.stringify(Object.fromEntries(outcomes))}`);
});

test('fuzz: mutated subjects and subjectAltName values are read or refused as INVALID_NAME', { timeout: 60_000 }, async (t) => {
  const seed = fuzzSeed();
  const rng = new Rng(seed ^ 0x5a5a);
  const parts = seeds().map(partsOf);
  let ok = 0;
  for (let i = 0; i < CASES; i++) {
    const where = fuzzCase(seed, i);
    const { subject, san } = rng.pick(parts);
    for (const [label, run] of [
      ['subject', () => readSubject(mutate(subject, rng), 'subject')],
      ['san', () => readGeneralNames(mutate(san, rng), 'san')],
    ] as const) {
      try {
        run();
        ok++;
      } catch (e) {
        assert.ok(e instanceof CertDeskError, `${where} ${label}: expected a CertDeskError, got ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`);
        assert.equal(e.code, 'INVALID_NAME', `${where} ${label}: ${e.message}`);
      }
    }
  }
  t.diagnostic(`${ok} of ${2 * CASES} mutated values read without error`);
});
