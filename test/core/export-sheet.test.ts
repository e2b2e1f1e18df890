// The printable pages: the installation sheet and the hand-over slip. Text is escaped, QR codes decode
// (pngjs + jsQR), nothing is loaded from outside, and the password appears only on the slip.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import { renderHandoverSlip, type HandoverSlipInfo } from '../../electron/core/export/handover-slip.js';
import { escapeHtml, printablePage } from '../../electron/core/export/html.js';
import { renderInstallSheet, type InstallSheetInfo } from '../../electron/core/export/install-sheet.js';
import { CertDeskError } from '../../shared/errors.js';
import { qrTexts } from '../helpers/qr-decode.js';

const EVIL_HOLDER = 'Zoë <script>alert(1)</script> & "Co"';
const ESCAPED_HOLDER = 'Zoë &lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;Co&quot;';
const SHA256 = createHash('sha256').update('zoe').digest('hex');
const SHA1 = createHash('sha1').update('zoe').digest('hex');

function selfContained(html: string): void {
  assert.match(html, /^<!DOCTYPE html>/);
  assert.doesNotMatch(html, /<script/i);
  assert.doesNotMatch(html, /(src|href)\s*=\s*["']?\s*(https?:|\/\/)/i);
  assert.doesNotMatch(html, /https?:/i, 'no URL at all: the page is printed on an air-gapped machine');
  assert.doesNotMatch(html, /@import|url\(/i, 'no external CSS');
  assert.match(html, /Content-Security-Policy" content="default-src 'none'; img-src data:/);
}

function sheetInfo(over: Partial<InstallSheetInfo> = {}): InstallSheetInfo {
  return {
    holder: EVIL_HOLDER,
    alias: 'zoe-phone',
    subject: 'CN=Zoë Müller,O=Example Ltd,C=GB',
    issuer: 'CN=Example Users CA,O=Example Ltd,C=GB',
    serial: '5f3a9c0d11e24b7a8c6d2e1f0a9b8c7d',
    sha256: SHA256,
    sha1: SHA1,
    notBefore: '2026-04-01T09:55:00.000Z',
    notAfter: '2027-04-01T10:00:00.000Z',
    pfxEncryption: 'modern',
    files: [
      { name: 'zoe-phone.pfx', purpose: 'private key & chain (PKCS#12, modern)' },
      { name: 'zoe-phone-legacy.pfx', purpose: 'the same for older devices (PKCS#12, legacy)' },
      { name: 'zoe-phone.cer', purpose: 'the certificate' },
      { name: 'zoe-phone.mobileconfig', purpose: 'Apple configuration profile' },
      { name: 'R&D <notes>.txt', purpose: 'odd name' },
    ],
    pfxFileName: 'zoe-phone.pfx',
    cerFileName: 'zoe-phone.cer',
    mobileconfigFileName: 'zoe-phone.mobileconfig',
    ...over,
  };
}

function invalid(p: Promise<unknown>, field: RegExp): Promise<void> {
  return assert.rejects(p, (e: unknown) => {
    assert.ok(e instanceof CertDeskError, String(e));
    assert.equal(e.code, 'INVALID_INPUT');
    assert.match(e.message, field);
    return true;
  });
}

test('escapeHtml escapes the five characters and printablePage escapes the title', () => {
  assert.equal(escapeHtml(`<a href="x">Tom & Jerry's</a>`), '&lt;a href=&quot;x&quot;&gt;Tom &amp; Jerry&#39;s&lt;/a&gt;');
  const page = printablePage({ title: '<b>T</b>', body: '<p>hi</p>', lang: 'en"><script>' });
  assert.match(page, /<title>&lt;b&gt;T&lt;\/b&gt;<\/title>/);
  assert.match(page, /<html lang="en">/);
  assert.match(page, /@page \{/);
  selfContained(page);
});

test('install sheet: holder escaped, fingerprint as text and as a QR code, every file, no password', async () => {
  const html = await renderInstallSheet(sheetInfo());
  selfContained(html);
  assert.ok(html.includes(ESCAPED_HOLDER), 'holder missing or not escaped');
  assert.ok(!html.includes('<script>alert'), 'holder not escaped');
  const grouped = SHA256.toUpperCase().match(/../g)!.join(':');
  assert.ok(html.includes(grouped), 'SHA-256 fingerprint text missing');
  assert.ok(html.includes(SHA1.toUpperCase().match(/../g)!.join(':')), 'SHA-1 thumbprint missing');
  assert.deepEqual(qrTexts(html), [SHA256]);
  assert.match(html, /<img [^>]*alt="QR code of the SHA-256 fingerprint/);
  for (const f of sheetInfo().files) assert.ok(html.includes(escapeHtml(f.name)), `file ${f.name} not listed`);
  assert.ok(html.includes('R&amp;D &lt;notes&gt;.txt'));
  assert.ok(html.includes('private key &amp; chain'), 'purposes are listed, escaped');
  assert.match(html, /2026-04-01 09:55 UTC/);
  assert.match(html, /2027-04-01 10:00 UTC/);
  assert.match(html, /password is not in this bundle/i);
});

test('install sheet: steps for every platform, and the legacy file where older systems need it', async () => {
  const html = await renderInstallSheet(sheetInfo());
  for (const needle of [
    'Current User',
    'Keychain Access',
    'Profile Downloaded',
    'Encryption &amp; credentials',
    'VPN &amp; app user certificate',
    'Wi-Fi certificate',
    'Your Certificates',
    'macOS 14',
    'Android 13 and older',
    '<code>zoe-phone.mobileconfig</code>',
  ]) {
    assert.ok(html.includes(needle), `missing: ${needle}`);
  }
  assert.match(html, /Android 13 and older cannot read <code>zoe-phone\.pfx<\/code>[^<]*: use <code>zoe-phone-legacy\.pfx<\/code>/);
  assert.ok(html.split('<h2>').length - 1 >= 7, 'sections: files, 5 platforms, fingerprint');

  // A legacy PFX works everywhere: no note sends the reader to another file.
  const legacy = await renderInstallSheet(sheetInfo({ pfxEncryption: 'legacy', files: [{ name: 'zoe-phone.pfx', purpose: 'PKCS#12, legacy' }] }));
  assert.ok(!legacy.includes('cannot read'), 'a legacy PFX needs no warning');
  // Modern without a legacy copy in the bundle: ask for one.
  const modernOnly = await renderInstallSheet(sheetInfo({ files: [{ name: 'zoe-phone.pfx', purpose: 'PKCS#12' }] }));
  assert.match(modernOnly, /ask for a copy with legacy encryption/);
});

test('install sheet: the devices named at delivery come first, marked, with the Android store and the iOS CA trust step (issue 14)', async () => {
  const headings = (html: string) => [...html.matchAll(/<section class="platform( chosen)?">\n<h2>([^<]*)/g)].map((m) => `${m[2]!.trim()}${m[1] ? ' *' : ''}`);
  const usual = await renderInstallSheet(sheetInfo());
  assert.deepEqual(headings(usual).slice(0, 5), ['Windows', 'macOS', 'iPhone and iPad (iOS, iPadOS)', 'Android', 'Firefox (all systems; it keeps its own certificates)']);
  assert.ok(!usual.includes('Made for:'));
  assert.ok(!usual.includes('Which credential store'));
  assert.match(usual, /Only if your administrator asks for it: Settings &gt; General &gt; About &gt; Certificate Trust Settings/);

  const android = await renderInstallSheet(sheetInfo({ devices: ['android-old'] }));
  assert.deepEqual(headings(android).slice(0, 5), ['Android *', 'Windows', 'macOS', 'iPhone and iPad (iOS, iPadOS)', 'Firefox (all systems; it keeps its own certificates)']);
  assert.match(android, /<b>Made for:<\/b> Android 13 or older\. The steps for these devices come first\./);
  assert.match(android, /<b>Which credential store:<\/b> choose <b>VPN &amp; app user certificate<\/b> when the certificate is for mail, the browser, apps or a VPN; choose <b>Wi-Fi certificate<\/b> when it is for joining the Wi-Fi\./);

  const apple = await renderInstallSheet(sheetInfo({ devices: ['apple-old', 'windows'] }));
  assert.deepEqual(headings(apple).slice(0, 5), ['Windows *', 'macOS *', 'iPhone and iPad (iOS, iPadOS) *', 'Android', 'Firefox (all systems; it keeps its own certificates)']);
  assert.match(apple, /<b>Trust your organisation&rsquo;s CA<\/b> \(for Wi-Fi, mail and web sites it signed\): Settings &gt; General &gt; About &gt; <b>Certificate Trust Settings<\/b>/);
  assert.ok(!apple.includes('Only if your administrator asks for it'));
  // Everything else on the sheet is still there.
  for (const needle of ['Check the fingerprint', 'Install a certificate', 'Keychain Access', 'View Certificates']) assert.ok(apple.includes(needle), needle);
  await invalid(renderInstallSheet(sheetInfo({ devices: ['iphone' as 'apple'] })), /^devices: must list ids of apple-old, apple, /);
});

test('install sheet: malformed fields are refused, naming the field', async () => {
  await invalid(renderInstallSheet(sheetInfo({ sha256: 'abc' })), /^sha256: /);
  await invalid(renderInstallSheet(sheetInfo({ sha1: SHA256 })), /^sha1: /);
  await invalid(renderInstallSheet(sheetInfo({ notAfter: 'next year' })), /^notAfter: /);
  await invalid(renderInstallSheet(sheetInfo({ holder: ' ' })), /^holder: empty/);
  await invalid(renderInstallSheet(sheetInfo({ files: [] })), /^files: /);
  await invalid(renderInstallSheet(sheetInfo({ pfxEncryption: 'rc2' as 'legacy' })), /^pfxEncryption: /);
  // Colons and upper case in a fingerprint are accepted.
  const html = await renderInstallSheet(sheetInfo({ sha256: SHA256.toUpperCase().match(/../g)!.join(':') }));
  assert.deepEqual(qrTexts(html), [SHA256]);
});

function slipInfo(password: string): HandoverSlipInfo {
  return { holder: EVIL_HOLDER, alias: null, password, notAfter: '2027-04-01T10:00:00Z', sha256: SHA256, pfxFileName: 'zoe-phone.pfx' };
}

/** The password as the slip spells it out, cell by cell. */
function cells(html: string): string {
  return [...html.matchAll(/<b class="mono">(.*?)<\/b>/g)]
    .map((m) => m[1]!)
    .map((c) => ({ '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#39;': "'", '&#9251;': ' ' })[c] ?? c)
    .join('');
}

test('hand-over slip: the password as spaced text and as a QR code that decodes to it exactly', async () => {
  for (const pw of ['Kp7#vR=q2@xN_m4s', 'a<b>&"\'c D|0Ol1I:+-=@_#%', 'Ünïcødé-Pässwörd-9']) {
    const html = await renderHandoverSlip(slipInfo(pw));
    selfContained(html);
    assert.deepEqual(qrTexts(html), [pw]);
    assert.equal(cells(html), pw);
    assert.ok(html.includes(ESCAPED_HOLDER), 'holder missing or not escaped');
    assert.ok(!html.includes('<script>alert'));
    assert.ok(html.includes('<code>zoe-phone.pfx</code>'));
    assert.ok(html.includes('Destroy this slip after installing the certificate'));
    assert.match(html, /2027-04-01 10:00 UTC/);
  }
});

test('hand-over slip: look-alike characters in a set password are spelled out', async () => {
  const html = await renderHandoverSlip(slipInfo('Ab0O1lI-x y'));
  assert.match(html, /position 3: digit zero; position 4: capital letter O; position 5: digit one; position 6: small letter L; position 7: capital letter i; position 10: space/);
  const generated = await renderHandoverSlip(slipInfo('Kp7#vR=q2@xN_m4s'));
  assert.ok(!generated.includes('Read carefully'));
});

test('hand-over slip: an empty password or a control character is refused without showing it', async () => {
  await invalid(renderHandoverSlip(slipInfo('')), /^password: empty$/);
  await assert.rejects(renderHandoverSlip(slipInfo('Secret\nPart')), (e: unknown) => {
    assert.ok(e instanceof CertDeskError && e.code === 'INVALID_INPUT');
    assert.ok(!e.message.includes('Secret'));
    return true;
  });
});

test('install sheet, administrators: NTAuth names the bundle\'s own DER file of the issuing CA, not chain.pem', async () => {
  const files = [...sheetInfo().files, { name: 'ad-mapping.txt', purpose: 'strings' }, { name: 'ca.cer', purpose: 'the issuing CA certificate (DER)' }];
  const html = await renderInstallSheet(sheetInfo({ files, caCertFileName: 'ca.cer' }));
  assert.ok(html.includes('<code>certutil -dspublish -f ca.cer NTAuthCA</code> (<code>ca.cer</code> in this bundle is the issuing CA&rsquo;s certificate)'), html);
  assert.ok(!html.includes('chain.pem'), 'the CA is no longer "the first certificate of chain.pem"');
  // A holder named "ca" has ca.cer already: the bundle calls the CA issuing-ca.cer, and the sheet says so.
  const other = await renderInstallSheet(sheetInfo({ files, caCertFileName: 'issuing-ca.cer' }));
  assert.ok(other.includes('<code>certutil -dspublish -f issuing-ca.cer NTAuthCA</code> (<code>issuing-ca.cer</code> in this bundle'));
  // Without a CA file (a caller that has none) it says how to write one.
  const none = await renderInstallSheet(sheetInfo({ files }));
  assert.ok(none.includes('<code>certutil -dspublish -f ca.cer NTAuthCA</code> (write ca.cer with <code>certdesk ca cert CA --out ca.cer --der</code>)'));
  await invalid(renderInstallSheet(sheetInfo({ files, caCertFileName: ' ' })), /^caCertFileName: /);
});
