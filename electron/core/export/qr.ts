// QR codes for the printed sheets: the password on the hand-over slip, the fingerprint on the install sheet.
// Error correction M survives a crease or a smudge on paper; margin 4 is the quiet zone the standard asks for.
import QRCode from 'qrcode';
import { CertDeskError } from '../../../shared/errors.js';

const BASE = { errorCorrectionLevel: 'M', margin: 4 } as const;

/** A PNG data URL's options as qrcode takes them under Node, where it hands rendererOpts to pngjs (@types/qrcode lists only the browser canvas's options there). */
type PngDataUrlOptions = QRCode.QRCodeToDataURLOptionsOther & { rendererOpts: { filterType: 0 | 1 | 2 | 3 | 4 } };

function checkText(text: string): void {
  if (typeof text !== 'string' || text === '') throw new CertDeskError('INVALID_INPUT', 'QR code text: empty', { field: 'text' });
}

/** A PNG QR code as a data: URL, for an <img> in a self-contained HTML page. */
export async function qrPngDataUrl(text: string, opts: { scale?: number } = {}): Promise<string> {
  checkText(text);
  const scale = opts.scale ?? 6;
  if (!Number.isInteger(scale) || scale < 1 || scale > 32) {
    throw new CertDeskError('INVALID_INPUT', `QR code scale: must be a whole number between 1 and 32 (got ${scale})`, { field: 'scale' });
  }
  // One PNG row filter (Paeth) for every row instead of pngjs's default of trying all five on each row and keeping
  // the smallest: the same pixels, a file within 2% of the size, about half the CPU (every bundle's sheet has one).
  const options: PngDataUrlOptions = { ...BASE, type: 'image/png', scale, rendererOpts: { filterType: 4 } };
  return QRCode.toDataURL(text, options);
}

/** The same QR code as an SVG document (scales to any print size). */
export async function qrSvg(text: string): Promise<string> {
  checkText(text);
  return QRCode.toString(text, { ...BASE, type: 'svg' });
}
