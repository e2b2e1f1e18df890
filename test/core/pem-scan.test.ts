// PEM reading: one linear pass (issue 11), OpenSSL's Bag Attributes text, CRLF, RFC 1421 headers,
// and clear errors for blocks that are never closed, mismatched or not base64.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isPem, pemBlocks, toPem } from '../../electron/core/pki/pem.js';
import { readCsr } from '../../electron/core/pki/csr.js';
import { CertDeskError } from '../../shared/errors.js';
import { fixture } from '../helpers/pfx-fixtures.js';
import { needTools, runOk } from '../helpers/tools.js';

const TWO_MIB = 2 * 1024 * 1024;
const HANG_GUARD = { timeout: 20_000 };

function pemError(line: number, message: string): (e: unknown) => boolean {
  return (e: unknown) => {
    assert.ok(e instanceof CertDeskError, `expected CertDeskError, got ${String(e)}`);
    assert.equal(e.code, 'INVALID_INPUT');
    assert.equal(e.message, message);
    assert.deepEqual(e.details, { field: 'PEM text', line });
    return true;
  };
}

test('2 MiB of unterminated BEGIN CERTIFICATE REQUEST lines: a clear error naming the last one', HANG_GUARD, async () => {
  const line = '-----BEGIN CERTIFICATE REQUEST-----\n';
  const count = Math.ceil(TWO_MIB / line.length);
  const text = line.repeat(count);
  assert.ok(text.length >= TWO_MIB);
  assert.throws(
    () => pemBlocks(text),
    pemError(count, `PEM text: block "CERTIFICATE REQUEST" opened on line ${count} has no "-----END CERTIFICATE REQUEST-----" line`),
  );
  assert.equal(isPem(Buffer.from(text, 'latin1')), true);
  await assert.rejects(readCsr(Buffer.from(text, 'latin1')), {
    name: 'CertDeskError',
    code: 'INVALID_INPUT',
    message: `csr: block "CERTIFICATE REQUEST" opened on line ${count} has no "-----END CERTIFICATE REQUEST-----" line`,
  });
});

test('2 MiB of BEGIN markers on one line: a clear error naming that line', HANG_GUARD, async () => {
  const text = '-----BEGIN CERTIFICATE REQUEST-----'.repeat(Math.ceil(TWO_MIB / 35));
  assert.throws(() => pemBlocks(text), pemError(1, 'PEM text: block "CERTIFICATE REQUEST" opened on line 1 has no "-----END CERTIFICATE REQUEST-----" line'));
  await assert.rejects(readCsr(Buffer.from(text, 'latin1')), {
    name: 'CertDeskError',
    code: 'INVALID_INPUT',
    message: 'csr: block "CERTIFICATE REQUEST" opened on line 1 has no "-----END CERTIFICATE REQUEST-----" line',
  });
});

test('a block pasted onto one line (line breaks lost in a mail or a web form) reads as that block', async () => {
  const fx = await fixture('ec-p256');
  const leaf = new Uint8Array(fx.leaf);
  const oneLine = toPem(leaf).replace(/\n/g, '');
  assert.equal(oneLine.includes('\n'), false);
  const blocks = pemBlocks(`Here is my certificate: ${oneLine} thanks`);
  assert.deepEqual(blocks.map((b) => b.label), ['CERTIFICATE']);
  assert.deepEqual(Buffer.from(blocks[0]!.der), Buffer.from(leaf));
  // With spaces where the line breaks were, as some forms turn them.
  const spaced = toPem(leaf).replace(/\n/g, ' ');
  assert.deepEqual(Buffer.from(pemBlocks(spaced)[0]!.der), Buffer.from(leaf));
});

test('Bag Attributes text, CRLF line ends, surrounding spaces and RFC 1421 headers', async () => {
  const fx = await fixture('ec-p256');
  const f = { leaf: new Uint8Array(fx.leaf), pkcs8: new Uint8Array(fx.pkcs8) };
  const cert = toPem(f.leaf);
  const key = toPem(f.pkcs8, 'PRIVATE KEY');
  const bagged =
    'Bag Attributes\n    friendlyName: Alice\n    localKeyID: F8 B4 04 AC \nsubject=CN = t\nissuer=CN = t\n' +
    cert +
    'Bag Attributes\n    localKeyID: F8 B4 \nKey Attributes: <No Attributes>\n' +
    key;
  const expected = [
    { label: 'CERTIFICATE', der: f.leaf },
    { label: 'PRIVATE KEY', der: f.pkcs8 },
  ];
  assert.deepEqual(pemBlocks(bagged), expected);
  assert.deepEqual(pemBlocks(bagged.replace(/\n/g, '\r\n')), expected);
  assert.deepEqual(pemBlocks(bagged.replace(/\n/g, '\r')), expected);
  assert.deepEqual(pemBlocks(bagged.replace(/\n/g, '  \n  ')), expected);
  const headers = key.replace('-----\n', '-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-256-CBC,00112233445566778899AABBCCDDEEFF\n\n');
  assert.deepEqual(pemBlocks(headers), [{ label: 'PRIVATE KEY', der: f.pkcs8 }]);
  assert.equal(isPem(Buffer.from(`${'Bag Attributes: x\n'.repeat(400)}${cert}`)), true, 'PEM after 7 KB of attribute text');
  assert.equal(isPem(f.leaf), false);
  assert.equal(isPem(new Uint8Array(0)), false);
});

test('what openssl pkcs12 -nodes prints reads as its certificate and key', (t) => {
  if (!needTools(t, 'openssl')) return;
  const dir = mkdtempSync(join(tmpdir(), 'certdesk-pem-'));
  try {
    runOk('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', join(dir, 'k.pem'), '-out', join(dir, 'c.pem'), '-subj', '/CN=t', '-days', '2']);
    runOk('openssl', ['pkcs12', '-export', '-in', join(dir, 'c.pem'), '-inkey', join(dir, 'k.pem'), '-name', 'Alice', '-passout', 'pass:x', '-out', join(dir, 'a.p12')]);
    const text = runOk('openssl', ['pkcs12', '-in', join(dir, 'a.p12'), '-passin', 'pass:x', '-nodes']).stdout;
    assert.match(text, /Bag Attributes/);
    const blocks = pemBlocks(text);
    assert.deepEqual(blocks.map((b) => b.label), ['CERTIFICATE', 'PRIVATE KEY']);
    assert.deepEqual(blocks[0]!.der, pemBlocks(readFileSync(join(dir, 'c.pem'), 'latin1'))[0]!.der);
    assert.deepEqual(blocks[1]!.der, pemBlocks(readFileSync(join(dir, 'k.pem'), 'latin1'))[0]!.der);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a mismatched END and a body line that is not base64 are named with their lines', () => {
  assert.throws(
    () => pemBlocks('x\n-----BEGIN CERTIFICATE-----\nAAAA\n-----END X509 CRL-----\n'),
    pemError(4, 'PEM text: block "CERTIFICATE" opened on line 2 is closed by "END X509 CRL" on line 4'),
  );
  assert.throws(
    () => pemBlocks('-----BEGIN CERTIFICATE-----\nAAAA\nAA*A\n-----END CERTIFICATE-----\n'),
    pemError(3, 'PEM text: line 3 in block "CERTIFICATE" (opened on line 1) is not base64'),
  );
  // A BEGIN inside an open block starts over: the earlier one was never closed.
  assert.deepEqual(pemBlocks('-----BEGIN A-----\nAAAA\n-----BEGIN B-----\nAQID\n-----END B-----\n'), [{ label: 'B', der: new Uint8Array([1, 2, 3]) }]);
});
