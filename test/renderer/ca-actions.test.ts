// What the Authorities screen offers for a CA (renderer/src/state/cas.ts): a retired or revoked CA is not
// offered for signing, only an intermediate can be revoked, and the file names the save dialog proposes.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { CaRecord } from '../../shared/domain.js';
import { CA_REVOCATION_REASONS } from '../../shared/domain.js';
import { CA_REASON_LABELS, canRevokeCa, canSign, canSignCas, caFileName } from '../../renderer/src/state/cas.js';

const base: CaRecord = {
  id: 2,
  name: 'Issuing CA',
  certificateId: 2,
  subject: 'CN=Issuing',
  serial: '0a',
  issuerCaId: 1,
  pathLength: 0,
  keyType: 'ec-p256',
  notBefore: '2026-01-01T00:00:00.000Z',
  notAfter: '2031-01-01T00:00:00.000Z',
  status: 'valid',
  crlUrl: null,
  crlNumber: 0,
  crlDays: 30,
  lastCrlAt: null,
  nextCrlUpdate: null,
  sha1: 'a'.repeat(40),
  sha256: 'b'.repeat(64),
  source: 'created',
  hasKey: true,
  retired: false,
};

test('a retired or revoked CA signs nothing in the app; a root is never offered for revocation', () => {
  assert.equal(canSign(base), true);
  assert.equal(canSign({ ...base, retired: true }), false, 'retired: its successor issues');
  assert.equal(canSign({ ...base, status: 'revoked' }), false);
  assert.equal(canSignCas(base), false, 'path length 0 signs no CA');
  assert.equal(canRevokeCa(base), true);
  assert.equal(canRevokeCa({ ...base, issuerCaId: null }), false, 'a root');
  assert.equal(canRevokeCa({ ...base, status: 'revoked' }), false, 'already revoked');
});

test('save file names: the CA name made file-safe with the format extension; every CA reason has plain words and its RFC term', () => {
  assert.deepEqual(
    (['pem', 'der', 'p7b', 'pfx'] as const).map((f) => caFileName(base, f)),
    ['Issuing-CA.pem', 'Issuing-CA.cer', 'Issuing-CA.p7b', 'Issuing-CA.pfx'],
  );
  assert.equal(caFileName({ name: '../Räte: CA/2026' }, 'pem'), 'Räte-CA-2026.pem');
  assert.equal(caFileName({ name: '***' }, 'der'), 'ca.cer');
  for (const r of CA_REVOCATION_REASONS) assert.match(CA_REASON_LABELS[r], new RegExp(`\\(${r === 'caCompromise' ? 'cACompromise' : r}\\)$`));
});
