// The printable installation sheet (install.html in the bundle): what the files are, how to install
// the certificate on each platform, and how to check its fingerprint. It never sees the password.
import { deviceTarget, describeDevices, DEVICE_IDS, type DeviceFamily, type DeviceId } from '../../../shared/devices.js';
import { CertDeskError } from '../../../shared/errors.js';
import { escapeHtml as h, formatUtc, groupHex, normalizeHex, printablePage, requireText } from './html.js';
import { qrPngDataUrl } from './qr.js';

export interface InstallSheetInfo {
  holder: string;
  alias: string | null;
  subject: string;
  issuer: string;
  serial: string;
  sha256: string;
  sha1: string;
  notBefore: string;
  notAfter: string;
  pfxEncryption: 'modern' | 'legacy';
  files: { name: string; purpose: string }[];
  pfxFileName: string;
  cerFileName: string;
  /** The issuing CA's certificate as its own DER file in the bundle (ca.cer), for NTAuth; absent: the sheet says how to get it. */
  caCertFileName?: string;
  mobileconfigFileName?: string;
  /**
   * For a RADIUS / EAP-TLS server's certificate (its profile's radius-eap-tls target on): the domain Android
   * phones enter under "Domain" in the Wi-Fi network's EAP-TLS settings (Android 11+ requires it).
   */
  wifiDomain?: string;
  /** The SID the certificate carries in its SID extension (windows/sid-extension.ts), null or absent without one. */
  sid?: string | null;
  /** The devices the bundle was made for (shared/devices.ts, issue 14): their steps come first, marked; absent or empty: the usual order. */
  devices?: readonly DeviceId[];
}

const ol = (steps: string[]): string => `<ol>\n${steps.map((s) => `<li>${s}</li>`).join('\n')}\n</ol>`;
const section = (title: string, body: string, chosen = false): string =>
  `<section class="platform${chosen ? ' chosen' : ''}">\n<h2>${title}${chosen ? ' <span class="chosen-mark">(your device)</span>' : ''}</h2>\n${body}\n</section>`;

/** The sheet's platform sections, in their usual order, and the device families each one serves. */
type PlatformKey = 'windows' | 'macos' | 'ios' | 'android' | 'firefox';
const PLATFORM_FAMILIES: Record<PlatformKey, DeviceFamily[]> = { windows: ['windows'], macos: ['apple'], ios: ['apple'], android: ['android'], firefox: [] };

/** Another PKCS#12 file in the bundle: the legacy-encrypted copy for older devices, if there is one. */
function legacyFile(info: InstallSheetInfo): string | null {
  if (info.pfxEncryption === 'legacy') return null;
  return info.files.map((f) => f.name).find((n) => n !== info.pfxFileName && /\.(pfx|p12)$/i.test(n)) ?? null;
}

function platforms(info: InstallSheetInfo): string {
  const pfx = `<code>${h(info.pfxFileName)}</code>`;
  const legacy = legacyFile(info);
  const old = (who: string): string =>
    info.pfxEncryption === 'legacy'
      ? ''
      : legacy
        ? ` ${who} cannot read ${pfx} (they report a wrong password): use <code>${h(legacy)}</code> instead.`
        : ` ${who} cannot read ${pfx} (they report a wrong password): ask for a copy with legacy encryption.`;
  const name = info.alias ?? info.holder;
  const mobile = info.mobileconfigFileName ? `<code>${h(info.mobileconfigFileName)}</code> (or ${pfx})` : pfx;

  const windows = ol([
    `Double-click ${pfx}. The Certificate Import Wizard opens.`,
    'Store Location: choose <b>Current User</b>, then Next. Leave the file name as it is, then Next.',
    'Enter the password you received separately. Leave &ldquo;Mark this key as exportable&rdquo; unticked. Next.',
    'Choose &ldquo;Automatically select the certificate store&rdquo;, then Next and Finish.',
    'If Windows warns that it will install a certificate authority, check that it is your organisation&rsquo;s, then answer Yes.',
  ]);
  const mac = ol([
    `Double-click ${pfx}. Keychain Access opens; choose the <b>login</b> keychain.`,
    'Enter the password you received separately.',
    'The certificate appears under My Certificates in Keychain Access.',
  ]);
  const families = new Set((info.devices ?? []).map((id) => deviceTarget(id).family));
  const chosen = (key: PlatformKey): boolean => PLATFORM_FAMILIES[key].some((f) => families.has(f));
  const ios = ol([
    `Send ${mobile} to the device by AirDrop or mail and open it there. Tap Allow or Close when asked.`,
    'Open Settings and tap <b>Profile Downloaded</b> near the top (or General &gt; VPN &amp; Device Management).',
    'Tap Install and enter the device passcode. &ldquo;Not Verified&rdquo; is expected for a profile from your organisation.',
    'Enter the certificate password you received separately, then tap Next and Done.',
    chosen('ios')
      ? '<b>Trust your organisation&rsquo;s CA</b> (for Wi-Fi, mail and web sites it signed): Settings &gt; General &gt; About &gt; <b>Certificate Trust Settings</b>, switch on full trust for your organisation&rsquo;s root certificate. Without it, the iPhone or iPad installs the certificate but does not trust the servers of your organisation.'
      : 'Only if your administrator asks for it: Settings &gt; General &gt; About &gt; Certificate Trust Settings, switch on full trust for your organisation&rsquo;s root certificate.',
  ]);
  const androidStore = chosen('android')
    ? '<p><b>Which credential store:</b> choose <b>VPN &amp; app user certificate</b> when the certificate is for mail, the browser, apps or a VPN; choose <b>Wi-Fi certificate</b> when it is for joining the Wi-Fi. For both, install the file twice, once as each.</p>\n'
    : '';
  const android = ol([
    `Copy ${pfx} to the device (USB cable, Files app).`,
    'Open Settings &gt; Security &gt; Encryption &amp; credentials &gt; <b>Install a certificate</b>.',
    'Choose <b>VPN &amp; app user certificate</b> (mail, browser, VPN) or <b>Wi-Fi certificate</b> (Wi-Fi). Menu names vary by maker: search Settings for &ldquo;certificate&rdquo;.',
    `Pick the file, enter the password you received separately, and name it <b>${h(name)}</b>.`,
    ...(info.wifiDomain !== undefined
      ? [`Phones joining the Wi-Fi this RADIUS server authenticates (EAP-TLS): in the network&rsquo;s settings choose your organisation&rsquo;s CA certificate, then under <b>Domain</b> enter <code>${h(info.wifiDomain)}</code> (Android 11 and later require it).`]
      : []),
  ]);
  const firefox = ol([
    'Open Settings &gt; Privacy &amp; Security &gt; Certificates &gt; <b>View Certificates</b>.',
    `On the <b>Your Certificates</b> tab choose Import&hellip; and pick ${pfx}.`,
    'Enter the password you received separately (Firefox may first ask for its own Primary Password).',
  ]);
  const note = (text: string): string => (text ? `<p class="small">${text.trim()}</p>` : '');
  const sections: { key: PlatformKey; title: string; body: string }[] = [
    { key: 'windows', title: 'Windows', body: windows + note(old('Windows 10 before version 1709 and Windows Server 2016 or older')) },
    { key: 'macos', title: 'macOS', body: mac + note(old('macOS 14 (Sonoma) and older')) },
    { key: 'ios', title: 'iPhone and iPad (iOS, iPadOS)', body: ios + note(old('Older iPhones and iPads')) },
    { key: 'android', title: 'Android', body: androidStore + android + note(old('Android 13 and older')) },
    { key: 'firefox', title: 'Firefox (all systems; it keeps its own certificates)', body: firefox },
  ];
  // The devices named at delivery first (each marked), then the others in the usual order.
  const ordered = [...sections.filter((x) => chosen(x.key)), ...sections.filter((x) => !chosen(x.key))];
  const madeFor = info.devices?.length ? `<p class="note"><b>Made for:</b> ${h(describeDevices(info.devices))}. The steps for these devices come first.</p>\n` : '';
  return madeFor + ordered.map((x) => section(x.title, x.body, chosen(x.key))).join('\n');
}

/**
 * For Windows domain administrators, when the bundle has ad-mapping.txt: how a domain controller enforcing strong
 * certificate mapping (KB5014754) maps this certificate to the account (SID extension, else one explicit
 * altSecurityIdentities string), and that the issuing CA must be in the NTAuth store.
 */
function adminSection(info: InstallSheetInfo): string {
  if (!info.files.some((f) => f.name === 'ad-mapping.txt')) return '';
  const sid = info.sid
    ? `<p>This certificate carries the account&rsquo;s SID <code>${h(info.sid)}</code> (SID extension): a domain controller maps it to that account with no further step. Check that the SID is the account&rsquo;s.</p>`
    : '<p>This certificate carries no SID: before Windows (NPS Wi-Fi and VPN, smart-card logon, IIS with Active Directory mapping) accepts it, add one strong mapping to the account&rsquo;s <code>altSecurityIdentities</code>.</p>';
  return section(
    'For Windows domain administrators (strong certificate mapping, KB5014754)',
    `${sid}
${ol([
  '<code>ad-mapping.txt</code> lists the mapping strings: <code>X509:&lt;I&gt;&hellip;&lt;SR&gt;&hellip;</code> (issuer and serial, recommended: it names exactly this certificate), <code>X509:&lt;SKI&gt;&hellip;</code> (it follows the key) and <code>X509:&lt;SHA1-PUKEY&gt;&hellip;</code> (the certificate&rsquo;s SHA-1 thumbprint). One of them is enough; a renewed certificate needs its new string.',
  '<code>ad-mapping.ps1</code> adds the issuer-and-serial string with <code>Set-ADUser</code> (people) or <code>Set-ADComputer</code> (devices). Replace <code>REPLACE-WITH-ACCOUNT-NAME</code> with the account name if the script has it, then run it with the ActiveDirectory module.',
  ntAuthStep(info.caCertFileName),
])}`,
  );
}

/** The NTAuth step: with the bundle's own DER file of the issuing CA, else how to write one. */
function ntAuthStep(caFile: string | undefined): string {
  if (caFile === undefined) {
    return 'The issuing CA must be in the domain&rsquo;s NTAuth store, once per CA: <code>certutil -dspublish -f ca.cer NTAuthCA</code> (write ca.cer with <code>certdesk ca cert CA --out ca.cer --der</code>).';
  }
  const f = h(shellWord(caFile));
  return `The issuing CA must be in the domain&rsquo;s NTAuth store, once per CA: <code>certutil -dspublish -f ${f} NTAuthCA</code> (<code>${h(caFile)}</code> in this bundle is the issuing CA&rsquo;s certificate).`;
}

/** A file name as a shell word: double quotes (same in sh and PowerShell) when it has spaces or the like. */
const shellWord = (name: string): string => (/^[\w.+-]+$/.test(name) ? name : `"${name}"`);

function checkInfo(info: InstallSheetInfo): void {
  for (const f of ['holder', 'subject', 'issuer', 'serial', 'pfxFileName', 'cerFileName'] as const) requireText(info[f], f);
  if (info.alias !== null) requireText(info.alias, 'alias');
  if (info.mobileconfigFileName !== undefined) requireText(info.mobileconfigFileName, 'mobileconfigFileName');
  if (info.caCertFileName !== undefined) requireText(info.caCertFileName, 'caCertFileName');
  if (info.wifiDomain !== undefined) requireText(info.wifiDomain, 'wifiDomain');
  if (info.sid !== undefined && info.sid !== null) requireText(info.sid, 'sid');
  if (info.devices !== undefined && (!Array.isArray(info.devices) || info.devices.some((d) => !(DEVICE_IDS as readonly string[]).includes(d)))) {
    throw new CertDeskError('INVALID_INPUT', `devices: must list ids of ${DEVICE_IDS.join(', ')}`, { field: 'devices' });
  }
  if (info.pfxEncryption !== 'modern' && info.pfxEncryption !== 'legacy') {
    throw new CertDeskError('INVALID_INPUT', "pfxEncryption: must be 'modern' or 'legacy'", { field: 'pfxEncryption' });
  }
  if (!Array.isArray(info.files) || info.files.length === 0) {
    throw new CertDeskError('INVALID_INPUT', 'files: list the files in the bundle', { field: 'files' });
  }
  info.files.forEach((f, i) => {
    requireText(f?.name, `files[${i}].name`);
    requireText(f?.purpose, `files[${i}].purpose`);
  });
}

export async function renderInstallSheet(info: InstallSheetInfo): Promise<string> {
  checkInfo(info);
  const sha256 = normalizeHex(info.sha256, 32, 'sha256');
  const sha1 = normalizeHex(info.sha1, 20, 'sha1');
  const notBefore = formatUtc(info.notBefore, 'notBefore');
  const notAfter = formatUtc(info.notAfter, 'notAfter');
  const qr = await qrPngDataUrl(sha256, { scale: 4 });
  const row = (label: string, value: string): string => `<tr><th>${label}</th><td>${value}</td></tr>`;

  const body = `
<h1>Installing your certificate</h1>
<table>
${row('For', h(info.holder))}
${info.alias === null ? '' : row('Name on devices', h(info.alias))}
${row('Subject', `<code>${h(info.subject)}</code>`)}
${row('Issued by', `<code>${h(info.issuer)}</code>`)}
${row('Serial number', `<code>${h(info.serial)}</code>`)}
${row('Valid', `from ${h(notBefore)} until <b>${h(notAfter)}</b>`)}
</table>

<p class="note"><b>The password is not in this bundle.</b> You receive it separately, in person, by phone or on a
separate slip. Never keep it with these files or send it in the same message.</p>

<h2>Files in this bundle</h2>
<table>
${info.files.map((f) => row(`<code>${h(f.name)}</code>`, h(f.purpose))).join('\n')}
</table>

${platforms(info)}
${adminSection(info)}

<section class="platform">
<h2>Check the fingerprint</h2>
<p>After installing, open the certificate on the device and compare its fingerprint with this sheet. If it
differs, do not use the certificate and tell your administrator.</p>
<table>
${row('SHA-256', `<span class="mono fingerprint">${h(groupHex(sha256))}</span>`)}
${row('SHA-1 (Windows: &ldquo;Thumbprint&rdquo;)', `<span class="mono fingerprint">${h(groupHex(sha1))}</span>`)}
</table>
<img class="qr" src="${qr}" alt="QR code of the SHA-256 fingerprint ${h(sha256)}">
<ul>
<li>Windows: certmgr.msc &gt; Personal &gt; Certificates &gt; double-click &gt; Details &gt; Thumbprint (SHA-1).</li>
<li>macOS: Keychain Access &gt; My Certificates &gt; double-click &gt; Fingerprints &gt; SHA-256.</li>
<li>iPhone, iPad: Settings &gt; General &gt; VPN &amp; Device Management &gt; the profile &gt; More Details.</li>
<li>Android: Settings &gt; Security &gt; Encryption &amp; credentials &gt; User credentials &gt; the certificate.</li>
<li>Firefox: View Certificates &gt; Your Certificates &gt; View &gt; SHA-256 Fingerprint.</li>
<li>Administrators: <code>openssl x509 -in ${h(shellWord(info.cerFileName))} -noout -fingerprint -sha256</code></li>
</ul>
</section>
`;
  return printablePage({ title: `Certificate installation: ${info.holder}`, body });
}
