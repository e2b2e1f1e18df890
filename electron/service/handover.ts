// What the finish page of a hand-over shows: the bundle, the password once, its QR code, and the two
// printable pages (the slip with the password, the installation sheet without it).
import type { Handover } from '../../shared/api.js';
import { ENCRYPTION_ADVICE, type ExportResult } from '../core/export/export-bundle.js';
import { renderHandoverSlip } from '../core/export/handover-slip.js';
import { qrPngDataUrl } from '../core/export/qr.js';

export async function handoverOf(result: ExportResult): Promise<Handover> {
  const { summary, certificate: c, password, installSheet } = result;
  const pfxFileName = summary.files.find((f) => f.name.endsWith('.pfx'))!.name;
  return {
    certificate: c,
    bundle: summary,
    password,
    passwordQr: await qrPngDataUrl(password),
    slipHtml: await renderHandoverSlip({ holder: c.holder, alias: c.alias, password, notAfter: c.notAfter, sha256: c.sha256, pfxFileName }),
    // The bundle's own install.html: what is printed is what travels on the stick.
    sheetHtml: installSheet,
    encryptionAdvice: ENCRYPTION_ADVICE[summary.encryption],
  };
}
