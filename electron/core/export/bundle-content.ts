// The files of a hand-over bundle (all but manifest.json) and its installation sheet, made from the
// certificate's facts and its PFX. Pure: no vault, no disk. So the whole CPU-bound part of an export (the
// PFX, PKCS#7, the Apple profile, IIS snippets, the sheet and its QR code) runs on a worker thread, and the
// calling thread only writes the files and records the export (see export-bundle.ts).
import type { DeviceId } from '../../../shared/devices.js';
import type { PfxEncryption, RecipientKind } from '../../../shared/domain.js';
import type { CertRow } from '../issuance/records.js';
import { thumbprints } from '../pki/certificates.js';
import { toPem } from '../pki/pem.js';
import type { pkijs } from '../pki/provider.js';
import type { BundleEntry } from './bundle-writer.js';
import { iisMappingXmlOf } from './iis.js';
import { renderInstallSheet } from './install-sheet.js';
import { buildMobileconfig } from './mobileconfig.js';
import { bundleBaseName } from './bundle-names.js';
import { chainFiles, type ChainFiles } from './chain-files.js';
import { ParsedCertificate } from './parsed-certificate.js';
import { buildP7bOf } from './pkcs7.js';
import { adMappingOfParsed, type AdMapping } from '../windows/ad-mapping.js';
import { formatAdMappings, type AdMappingSubject } from '../windows/ad-mapping-format.js';
import { accountKindOf } from '../windows/account-kind.js';

/** The certificate's facts a bundle shows: plain data (its row's text columns), so it crosses to a worker. */
export type BundleFacts = Pick<CertRow, 'holder' | 'alias' | 'subject' | 'issuer_dn' | 'serial' | 'sha256' | 'sha1' | 'not_before' | 'not_after'> & {
  /** The profile it was issued under (decides user or computer account in ad-mapping.ps1); absent: a user. */
  profile_id?: string | null;
  /** The recipient's Active Directory account (issuance/recipients.ts), named by ad-mapping.ps1; absent: the SID or a placeholder. */
  account?: string | null;
  /** The recipient's stored kind: a device recipient maps to a computer account whatever the profile (account-kind.ts accountKindOf). */
  recipientKind?: RecipientKind | null;
};

export interface BundleSource {
  facts: BundleFacts;
  /** The certificate, DER. */
  leaf: Uint8Array;
  /** The issuing chain, DER, nearest issuer first. */
  chain: Uint8Array[];
  encryption: PfxEncryption;
  /** The domain Android's Wi-Fi settings need (a RADIUS server's certificate, preflight/wifi-domain.ts); the install sheet names it. */
  wifiDomain?: string | null;
  /** The devices the bundle is for (shared/devices.ts), or null: the install sheet shows their steps first. */
  devices?: DeviceId[] | null;
  /** chainFiles(chain), when the caller made it once for many bundles of the same chain (a batch); else made here. */
  chainFiles?: ChainFiles;
}

export interface BundleContent {
  /** The files in writing order, the PFX first; manifest.json is added when the bundle is written. */
  entries: BundleEntry[];
  /** install.html, also among the entries: for printing without reading it back from the stick. */
  installSheet: string;
}

/**
 * Every file of the bundle for `pfx` (built from the same certificate and chain). The certificate is parsed once
 * (parsed-certificate.ts) and its parsed forms, and one AD mapping (windows/ad-mapping.ts), serve every file; the
 * chain is parsed once per chain (parsedChain) and its files made once per batch (chainFiles). Throws CertDeskError
 * INVALID_INPUT when a certificate or a field cannot be rendered.
 */
export async function bundleContent(src: BundleSource, pfx: Uint8Array): Promise<BundleContent> {
  const { facts: row, leaf: leafDer, chain, encryption } = src;
  const base = bundleBaseName(row);
  const names = { pfx: `${base}.pfx`, pem: `${base}.pem`, cer: `${base}.cer`, p7b: `${base}.p7b`, mobileconfig: `${base}.mobileconfig` };
  const caFile = caCerName(names.cer);
  const issuingCa = chain[0];
  const shared = src.chainFiles ?? chainFiles(chain);
  // Parsed once for every file; refused with the message buildP7b gave it, the first builder that parsed it before.
  const leaf = new ParsedCertificate(leafDer, 'certs[0]');
  const adOpts = issuingCa ? { caFile } : {};
  // One mapping for ad-mapping.txt, ad-mapping.ps1 and the sheet's SID, made where the text file was made before (so errors keep their order).
  let ad: (AdMappingSubject & { mapping: AdMapping }) | undefined;
  const adOnce = () => (ad ??= adSubject(leafDer, row, adMappingOfParsed(leaf)));
  const entries: BundleEntry[] = [
    { name: names.pfx, data: pfx, purpose: `private key, certificate and chain (PKCS#12, ${encryption}); opens with the password handed over separately`, private: true },
    { name: names.pem, data: toPem(leafDer), purpose: 'the certificate (PEM)' },
    { name: names.cer, data: leafDer, purpose: 'the certificate (DER .cer, for Windows)' },
    { name: names.p7b, data: buildP7bOf([leaf.pkijs, ...parsedChain(chain)]), purpose: 'the certificate and its chain (PKCS#7)' },
    { name: 'chain.pem', data: shared.chainPem, purpose: 'the issuing CA chain (PEM), nearest issuer first' },
    ...(issuingCa ? [{ name: caFile, data: issuingCa, purpose: 'the issuing CA certificate (DER), for the NTAuth store: certutil -dspublish -f ' + caFile + ' NTAuthCA' }] : []),
    { name: 'ca-thumbprints.txt', data: shared.trustList, purpose: "the CA certificates' SHA-1 thumbprints (Windows store form) for server trust lists" },
    { name: names.mobileconfig, data: buildMobileconfig({ pfx, pfxFileName: names.pfx, caCertificates: shared.mobileconfigCas, holder: row.holder, organization: shared.organization }), purpose: 'Apple configuration profile for iPhone, iPad and Mac (asks for the password)' },
    { name: 'iis-mapping.xml', data: iisMappingXmlOf(leaf, row.alias ?? row.holder), purpose: 'IIS client certificate mapping snippets (one-to-one and many-to-one), no password' },
    { name: 'ad-mapping.txt', data: formatAdMappings([adOnce()], 'text', adOpts), purpose: "Active Directory altSecurityIdentities strings (KB5014754 strong mapping) for the holder's account" },
    { name: 'ad-mapping.ps1', data: formatAdMappings([adOnce()], 'powershell', adOpts), purpose: 'PowerShell (ActiveDirectory module) adding the mapping to the account: Set-ADUser or Set-ADComputer' },
  ];
  const installSheet = await renderInstallSheet({
    holder: row.holder,
    alias: row.alias,
    subject: row.subject,
    issuer: row.issuer_dn,
    serial: row.serial,
    sha256: row.sha256,
    sha1: row.sha1,
    notBefore: row.not_before,
    notAfter: row.not_after,
    pfxEncryption: encryption,
    files: [...entries.map((e) => ({ name: e.name, purpose: e.purpose })), { name: 'manifest.json', purpose: 'the list of files with their SHA-256 checksums' }],
    pfxFileName: names.pfx,
    cerFileName: names.cer,
    caCertFileName: issuingCa ? caFile : undefined,
    mobileconfigFileName: names.mobileconfig,
    wifiDomain: src.wifiDomain ?? undefined,
    sid: adOnce().mapping.sid,
    devices: src.devices ?? undefined,
  });
  entries.push({ name: 'install.html', data: installSheet, purpose: 'printable installation sheet with the fingerprint' });
  return { entries, installSheet };
}

/** The last chain parsed by pkijs, kept for the next bundle: a worker builds a batch's bundles, all of one chain. */
let lastChain: { chain: Uint8Array[]; parsed: pkijs.Certificate[] } | null = null;

/** `chain` (DER) parsed by pkijs for the PKCS#7 file, reusing the last chain's objects when its bytes are the same. */
function parsedChain(chain: Uint8Array[]): pkijs.Certificate[] {
  const same = lastChain !== null && lastChain.chain.length === chain.length && chain.every((c, i) => Buffer.from(c).equals(lastChain!.chain[i]!));
  if (!same) lastChain = { chain: chain.map((c) => new Uint8Array(c)), parsed: chain.map((c, i) => new ParsedCertificate(c, `certs[${i + 1}]`).pkijs) };
  return lastChain!.parsed;
}

/**
 * The issuing CA's DER file: `ca.cer`, the name the NTAuth instructions use, unless the holder's own certificate
 * is already called that (a holder named "ca"): then `issuing-ca.cer`.
 */
function caCerName(leafCer: string): string {
  return leafCer.toLowerCase() === 'ca.cer' ? 'issuing-ca.cer' : 'ca.cer';
}

/**
 * The certificate as ad-mapping.ts maps it: a computer account for a device recipient or a machine profile, else a
 * user account (account-kind.ts accountKindOf); the recipient's account when stored, else the script names the SID
 * or a placeholder.
 */
function adSubject(leaf: Uint8Array, row: BundleFacts, mapping: AdMapping): AdMappingSubject & { mapping: AdMapping } {
  return { der: leaf, holder: row.alias ?? row.holder, kind: accountKindOf(row.profile_id ?? null, row.recipientKind), account: row.account ?? null, mapping };
}
