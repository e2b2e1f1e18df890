// The hand-over slip: the PFX password on paper, printed at the moment the certificate is handed over
// and given to the holder apart from the files. The password is shown character by character with
// positions (easy to read out over the phone) and as a QR code (no typing on a phone).
import { CertDeskError } from '../../../shared/errors.js';
import { escapeHtml as h, formatUtc, groupHex, normalizeHex, printablePage, requireText } from './html.js';
import { qrPngDataUrl } from './qr.js';

export interface HandoverSlipInfo {
  holder: string;
  alias: string | null;
  password: string;
  notAfter: string;
  sha256: string;
  pfxFileName: string;
}

/**
 * Characters that read alike in some fonts. Generated passwords never contain them; a password the
 * officer set might, so the slip spells them out.
 */
const LOOKALIKES: Record<string, string> = {
  '0': 'digit zero',
  O: 'capital letter O',
  o: 'small letter o',
  '1': 'digit one',
  l: 'small letter L',
  I: 'capital letter i',
  '|': 'vertical bar',
  '`': 'backtick',
  "'": 'apostrophe',
  '"': 'double quote',
  ' ': 'space',
};

const CSS = `
.pw { display: flex; flex-wrap: wrap; gap: 1.2mm; margin: 2mm 0 4mm; }
.pw span { display: inline-block; min-width: 7mm; text-align: center; border: 1px solid #999; padding: 1mm 0.5mm 0; }
.pw b { display: block; font-size: 17pt; font-weight: 600; line-height: 1.2; }
.pw small { display: block; font-size: 6.5pt; color: #555; border-top: 1px solid #ddd; }
.destroy { font-weight: 700; border: 2px solid #333; padding: 2mm 3mm; }
`;

function passwordCells(pw: string): string {
  return [...pw]
    .map((c, i) => `<span><b class="mono">${c === ' ' ? '&#9251;' : h(c)}</b><small>${i + 1}</small></span>`)
    .join('');
}

function lookalikeNotes(pw: string): string {
  const notes = [...pw].flatMap((c, i) => (LOOKALIKES[c] ? [`position ${i + 1}: ${LOOKALIKES[c]}`] : []));
  return notes.length ? `<p class="small">Read carefully: ${h(notes.join('; '))}.</p>` : '';
}

export async function renderHandoverSlip(info: HandoverSlipInfo): Promise<string> {
  const holder = requireText(info.holder, 'holder');
  const pfxFileName = requireText(info.pfxFileName, 'pfxFileName');
  if (info.alias !== null) requireText(info.alias, 'alias');
  const pw = info.password;
  if (typeof pw !== 'string' || pw === '') throw new CertDeskError('INVALID_INPUT', 'password: empty', { field: 'password' });
  if (/[\u0000-\u001f\u007f-\u009f]/.test(pw)) {
    throw new CertDeskError('INVALID_INPUT', 'password: contains a control character', { field: 'password' });
  }
  const sha256 = normalizeHex(info.sha256, 32, 'sha256');
  const notAfter = formatUtc(info.notAfter, 'notAfter');
  const qr = await qrPngDataUrl(pw, { scale: 5 });

  const body = `
<h1>Certificate password</h1>
<table>
<tr><th>For</th><td>${h(holder)}</td></tr>
${info.alias === null ? '' : `<tr><th>Name on devices</th><td>${h(info.alias)}</td></tr>`}
<tr><th>Opens the file</th><td><code>${h(pfxFileName)}</code></td></tr>
<tr><th>Certificate valid until</th><td>${h(notAfter)}</td></tr>
<tr><th>SHA-256 fingerprint</th><td><span class="mono fingerprint small">${h(groupHex(sha256))}</span></td></tr>
</table>
<h2>Password (${[...pw].length} characters)</h2>
<div class="pw">${passwordCells(pw)}</div>
${lookalikeNotes(pw)}
<p>Or scan this code with the device&rsquo;s camera and copy the text:</p>
<img class="qr" src="${qr}" alt="QR code of the certificate password">
<p>Enter the password when the device or computer asks for it while installing the certificate. Keep this
slip apart from the certificate file, and do not send the password by e-mail with the file.</p>
<p class="destroy">Destroy this slip after installing the certificate.</p>
`;
  return printablePage({ title: `Certificate password: ${holder}`, body, css: CSS });
}
