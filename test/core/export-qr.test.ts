// QR codes decode back to exactly the text they were made from (pngjs + jsQR, not our own code).
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import { generatePassword } from '../../electron/core/export/passwords.js';
import { qrPngDataUrl, qrSvg } from '../../electron/core/export/qr.js';
import { CertDeskError } from '../../shared/errors.js';
import { PNG } from 'pngjs';
import { decodeQr } from '../helpers/qr-decode.js';

test('a generated password round-trips through the PNG QR code', async () => {
  for (let i = 0; i < 5; i++) {
    const pw = generatePassword();
    assert.equal(decodeQr(await qrPngDataUrl(pw)), pw);
  }
  const long = generatePassword({ length: 64, minLength: 12, maxLength: 64, minGroups: 3, groups: ['upper', 'lower', 'digits', 'symbols'] });
  assert.equal(decodeQr(await qrPngDataUrl(long, { scale: 2 })), long);
});

test('a 64-hex SHA-256 fingerprint round-trips', async () => {
  const hex = createHash('sha256').update('certdesk').digest('hex');
  assert.equal(hex.length, 64);
  assert.equal(decodeQr(await qrPngDataUrl(hex)), hex);
});

test('scale sets the module size: margin 4 on each side', async () => {
  const text = 'ABCDEF'; // version 1: 21 modules, plus 2 * 4 quiet zone = 29
  for (const scale of [1, 3]) {
    const png = PNG.sync.read(Buffer.from((await qrPngDataUrl(text, { scale })).split(',')[1]!, 'base64'));
    assert.equal(png.width, 29 * scale);
  }
});

test('the SVG form is an SVG document', async () => {
  const svg = await qrSvg('hello');
  assert.match(svg, /^<svg [^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/);
  assert.match(svg, /<path /);
});

test('empty text and bad scales are refused', async () => {
  const bad = (e: unknown): boolean => e instanceof CertDeskError && e.code === 'INVALID_INPUT';
  await assert.rejects(qrPngDataUrl(''), bad);
  await assert.rejects(qrSvg(''), bad);
  await assert.rejects(qrPngDataUrl('x', { scale: 0 }), bad);
  await assert.rejects(qrPngDataUrl('x', { scale: 2.5 }), bad);
});
