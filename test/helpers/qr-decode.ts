// Reads QR codes back the way a phone camera would: decode the PNG pixels with jsQR.
import assert from 'node:assert/strict';
import jsQRModule from 'jsqr';
import { PNG } from 'pngjs';

// jsqr is CommonJS with exports.default: under Node16 ESM the default import is module.exports.
const jsQR = jsQRModule.default;

export function decodeQrPng(png: Uint8Array): string {
  const img = PNG.sync.read(Buffer.from(png));
  const code = jsQR(new Uint8ClampedArray(img.data.buffer, img.data.byteOffset, img.data.length), img.width, img.height);
  assert.ok(code, 'no readable QR code in the image');
  return code.data;
}

export function decodeQr(dataUrl: string): string {
  const m = /^data:image\/png;base64,([A-Za-z0-9+/=]+)$/.exec(dataUrl);
  assert.ok(m, 'not a PNG data URL');
  return decodeQrPng(Buffer.from(m[1]!, 'base64'));
}

/** Every QR code image in an HTML page, decoded. */
export function qrTexts(html: string): string[] {
  return [...html.matchAll(/<img [^>]*src="data:image\/png;base64,([A-Za-z0-9+/=]+)"/g)].map((m) => decodeQrPng(Buffer.from(m[1]!, 'base64')));
}
