// Issuing end-entity certificates: from a generated key (issue) or from a PKCS#10 request (sign-csr).
// Slow work (key generation, signing) happens first; the vault writes then commit in one transaction.
import { SAN_WORD, SAN_WORDS, wordList } from './san-words.js';
import type { CertificateRecord, KeyType, PreflightFinding, Profile, San } from '../../../shared/domain.js';
import { CertDeskError } from '../../../shared/errors.js';
import { buildCertificate, keyUsageFor, randomSerial, type Signer } from '../pki/certificates.js';
import { exportPkcs8, exportSpki, generateKey, keyTypeOfSpki } from '../pki/keys.js';
import { commonName, commonNameOf, dnFromName, formatDn, readSubject, toX509Name, type Rdn } from '../pki/names.js';
import { checkHolder } from '../pki/holder-name.js';
import { x509 } from '../pki/provider.js';
import type { GeneratedKey } from '../workers/engine-jobs.js';
import { dedupeSans, normalizeSan } from '../pki/sans.js';
import type { Vault } from '../vault/vault.js';
import type { CsrInfo } from '../pki/csr.js';
import { readCsrOffThread, signCertificateOffThread } from '../workers/off-thread.js';
import { preflightAudit } from '../preflight/run.js';
import { plannedValidity } from '../preflight/validity.js';
import { preflightGate, previewFindings, sidOf } from '../preflight/vault-plan.js';
import { refuseCaSubject } from './ca-subjects.js';
import { loadSigner } from './cas.js';
import { profileDecidesSubject } from './profiles.js';
import { checkRecipientWindowsIds, upsertRecipient, type RecipientInput } from './recipients.js';
import { getCertRow, getProfile, resolveCa, toCertificateRecord } from './records.js';
import { checkSigningChain } from './signing-chain.js';
import { insertCertificate } from './store.js';
import { profileEkus, sidFor, windowsSans } from './windows-rules.js';
import { accountKindOf } from '../windows/account-kind.js';

export type { RecipientInput } from './recipients.js';

export interface IssueRequest {
  ca: string;
  profile: string;
  /** The holder: the subject's common name. */
  name: string;
  sans: San[];
  keyType?: KeyType;
  days?: number;
  alias?: string | null;
  recipient?: RecipientInput;
  /** The reason to issue despite preflight errors (recorded in the audit entry with them); see preflight/run.ts. */
  override?: string | null;
  /**
   * The holder's Windows SID (user and device profiles): the certificate carries it in the SID extension
   * (KB5014754 strong mapping) and, with the profile's sidUri option, as a SAN URI. See windows-rules.ts.
   */
  sid?: string | null;
}

export interface IssueResult {
  record: CertificateRecord;
  /** DER PKCS#8. For the caller to put in a bundle at once; it never crosses to the renderer. */
  privateKeyPkcs8: Uint8Array;
  /** What preflight found (warnings, and errors the override let through). */
  findings: PreflightFinding[];
}

export interface IssueOptions {
  /**
   * A key pair generated elsewhere (a batch's worker threads: engine-jobs.ts key.generate, which exports both halves
   * of one generated pair), as DER; its type, read from the SPKI, must be the requested one. Its bytes are copied and
   * used as they are: the private key is not loaded here (a load costs OpenSSL 3 about a millisecond, and signing the
   * certificate needs only the public key, whose type is checked); that the halves pair is the job's guarantee, and
   * buildPfx checks it again (KEY_MISMATCH) before any export. The caller keeps its bytes and may zero them.
   */
  key?: GeneratedKey;
  /** The CA, already loaded (a batch signs many certificates with it). */
  signer?: Required<Signer>;
  /** Runs inside the issuing transaction, so what it writes commits with the certificate or not at all (a batch's resume marker, a pending delivery that may seal the key). */
  inTransaction?: (certificateId: number, privateKeyPkcs8: Uint8Array) => void;
}

export async function issueCertificate(vault: Vault, req: IssueRequest, opts: IssueOptions = {}): Promise<IssueResult> {
  const prepared = await prepareIssue(vault, req, opts);
  vault.transaction(() => prepared.commit());
  return prepared.result();
}

/** A certificate signed but not yet stored: commit() stores it (call inside a transaction; it returns the id), result() reads it back after. */
export interface PreparedIssue {
  /** The new key, DER PKCS#8 (the caller zeroes it when done). */
  privateKeyPkcs8: Uint8Array;
  commit(): number;
  result(): IssueResult;
}

/**
 * issueCertificate's slow part (checks, preflight, key, signature) without its vault writes, so a batch commits
 * many certificates in one transaction: `commit()` writes what issueCertificate's transaction writes (key,
 * recipient, certificate, audit entry, then opts.inTransaction), `result()` is issueCertificate's result once it
 * committed. Throws what issueCertificate throws before its transaction.
 */
export async function prepareIssue(vault: Vault, req: IssueRequest, opts: IssueOptions = {}): Promise<PreparedIssue> {
  vault.requireUnlocked();
  const profile = getProfile(vault, req.profile);
  const ca = resolveCa(vault, req.ca);
  const sid = sidFor(profile, req.sid);
  // The recipient's SID and account are checked before any key is made (stored in the transaction below).
  checkRecipientWindowsIds(req.recipient, accountKindOf(profile.id, req.recipient?.kind));
  const sans = windowsSans(profile, applyProfileToSans(profile, dedupeSans(req.sans.map(normalizeSan)), 'strict').kept, sid);
  const holder = checkHolder(req.name);
  const alias = checkAlias(req.alias);
  const signer = opts.signer ?? (await loadSigner(vault, ca));
  // Every signature is preceded by the chain check; a batch's signer had the full one (revoked sets above it) when it was loaded.
  if (opts.signer) checkSigningChain(vault, ca.id, 'certificate', { revokedSets: false });
  // Cut to the CA's end when the days reach past it: preflight's rfc5280 rule reports the cut (a warning). One `now`
  // for both, so the days preflight says were asked are the days asked.
  const now = vault.now();
  const { notBefore, notAfter, requestedNotAfter } = plannedValidity(req.days ?? profile.validityDays, now, signer.certificate);
  const keyType = req.keyType ?? profile.defaultKey;
  const subject = endEntitySubject(holder, sans, signer.certificate);
  refuseCaSubject(vault, formatDn(subject), 'name');
  const serial = randomSerial();
  const keyUsage = keyUsageFor(profile.keyUsage, keyType);
  // Before the key is generated: a certificate preflight refuses costs nothing.
  const preflight = preflightGate(
    vault,
    profile,
    { subject, sans, keyType, keyUsage, extendedKeyUsage: profileEkus(profile), notBefore, notAfter, requestedNotAfter, now, issuer: signer.certificate, crlUrl: ca.crlUrl, sid: sid ?? null, serial },
    req.override,
  );
  const generated = opts.key ? null : await generateKey(keyType);
  const spki = opts.key ? new Uint8Array(opts.key.spki) : await exportSpki(generated!.publicKey);
  // A supplied key is checked from its public half (a public-key load is cheap): the type the batch asked for, and
  // never a weak or unsupported one (keyTypeOfSpki throws WEAK_KEY, UNSUPPORTED_KEY).
  if (opts.key && keyTypeOfSpki(spki) !== keyType) throw new CertDeskError('INTERNAL', `the supplied key is not a ${keyType} key`, {});
  const cert = await buildCertificate({
    subject: toX509Name(subject),
    publicKey: new x509.PublicKey(spki),
    serial,
    notBefore,
    notAfter,
    signer,
    keyUsage,
    extendedKeyUsage: profileEkus(profile),
    sans,
    crlUrl: ca.crlUrl,
    sid,
  });
  // The private key's bytes only once the certificate is signed: nothing to zero if signing fails.
  const pkcs8 = opts.key ? new Uint8Array(opts.key.pkcs8) : await exportPkcs8(generated!.privateKey);
  let id = 0;
  const commit = () => {
    const keyId = profile.keepKey ? vault.storeKey(keyType, pkcs8, spki) : null;
    const recipientId = upsertRecipient(vault, holder, sans, profile, req.recipient, sid ?? null);
    const certId = insertCertificate(vault, {
      cert,
      kind: 'end-entity',
      issuerCaId: ca.id,
      holder,
      sans,
      profile: profile.id,
      recipientId,
      source: 'issued',
      alias,
      autoRenew: profile.autoRenew,
      keyType,
      keyId,
    });
    vault.audit('cert.issue', `cert:${certId}`, {
      ca: ca.name,
      profile: profile.id,
      holder,
      serial: cert.serialNumber,
      notAfter: notAfter.toISOString(),
      keyKept: profile.keepKey,
      ...(sid ? { sid } : {}),
      ...preflightAudit(preflight),
    });
    opts.inTransaction?.(certId, pkcs8);
    return (id = certId);
  };
  return { privateKeyPkcs8: pkcs8, commit, result: () => ({ record: toCertificateRecord(vault, getCertRow(vault, id)!), privateKeyPkcs8: pkcs8, findings: preflight.findings }) };
}

export interface SignCsrRequest {
  ca: string;
  profile: string;
  csr: Uint8Array;
  days?: number;
  alias?: string | null;
  /** The reason to sign despite preflight errors (audited with them). */
  override?: string | null;
}

export interface SignCsrOptions {
  /** Runs inside the transaction that stores the certificate (sign-csr --out records its pending delivery here). */
  inTransaction?: (certificateId: number, named: { alias: string | null; holder: string; serial: string }) => void;
}

export interface SignCsrResult {
  record: CertificateRecord;
  /** SANs the request asked for that the profile does not allow; they were left out. */
  droppedSans: San[];
  /**
   * Attributes of the request's subject left out because the profile decides the subject (profiles.ts
   * profileDecidesSubject), each as RFC 4514 `type=value` in the request's order; empty otherwise.
   */
  droppedSubject: string[];
  /** What preflight found (warnings, and errors the override let through). */
  findings: PreflightFinding[];
}

/** What signing a request under a profile makes of it: the subject and SANs kept, and what is left out. */
export interface CsrPlan {
  /** The certificate's subject, DER. */
  subjectDer: Uint8Array;
  /** The certificate's subject as text (RFC 4514). */
  subject: string;
  kept: San[];
  droppedSans: San[];
  droppedSubject: string[];
}

/**
 * Decides the subject and SANs of a certificate for request `parsed` under `profile`, issued by the CA whose
 * certificate is `issuer`: the profile filters the SANs (applyProfileToSans 'filter') and, for the person
 * profiles, decides the subject (endEntitySubject); the subject may not be a vault CA's (ca-subjects.ts).
 * Signs nothing. Throws PROFILE_VIOLATION (no holder, or nothing the profile allows) and INVALID_NAME.
 */
function planCsr(vault: Vault, profile: Profile, parsed: CsrInfo, issuer: x509.X509Certificate): CsrPlan {
  const requested = dedupeSans(parsed.sans.map((s) => normalizeSan(s)));
  const { kept, dropped } = applyProfileToSans(profile, requested, 'filter');
  let subjectDer = parsed.subjectDer;
  let droppedSubject: string[] = [];
  if (profileDecidesSubject(profile)) {
    const holder = commonName(parsed.subjectRdns) ?? kept[0]?.value;
    if (holder === undefined) {
      throw new CertDeskError('PROFILE_VIOLATION', `csr: the ${profile.id} profile names the holder from the request's CN or first allowed SAN, and the request has neither`, { field: 'csr', profile: profile.id });
    }
    const subject = endEntitySubject(checkHolder(holder, 'csr subject CN'), kept, issuer);
    const built = new Set(subject.flat().map((a) => `${a.oid}=${a.value}`));
    droppedSubject = parsed.subjectRdns.flat().filter((a) => !built.has(`${a.oid}=${a.value}`)).map((a) => formatDn([[a]]));
    subjectDer = new Uint8Array(toX509Name(subject).toArrayBuffer());
  } else if (parsed.subjectRdns.length === 0 && kept.length === 0) {
    throw new CertDeskError('PROFILE_VIOLATION', 'csr: the request has neither a subject nor a subject alternative name the profile allows', { field: 'csr' });
  }
  const subject = dnFromName(subjectDer);
  refuseCaSubject(vault, subject, 'csr subject');
  return { subjectDer, subject, kept, droppedSans: dropped, droppedSubject };
}

/**
 * What signCsr would make of the request with this CA and profile, before anything is signed (the wizard
 * shows it): the subject and SANs the certificate will carry and what is left out. Reads and checks the
 * request as signCsr does; needs no CA key. Throws the errors signCsr throws before signing.
 */
export async function previewCsr(vault: Vault, req: Pick<SignCsrRequest, 'ca' | 'profile' | 'csr' | 'days'>): Promise<Omit<CsrPlan, 'subjectDer'> & { request: CsrInfo; findings: PreflightFinding[] }> {
  vault.requireUnlocked();
  const profile = getProfile(vault, req.profile);
  const ca = resolveCa(vault, req.ca);
  const parsed = await readCsrOffThread(req.csr);
  const issuer = new x509.X509Certificate(checkSigningChain(vault, ca.id, 'certificate').chain[0]!.cert.der);
  const { subjectDer, ...plan } = planCsr(vault, profile, parsed, issuer);
  const now = vault.now();
  // Preflight as signCsr runs it (same SANs, usages and validity), without a serial: the findings to show beside the fields.
  const findings = previewFindings(vault, profile, {
    subject: readSubject(subjectDer, 'csr subject'),
    sans: windowsSans(profile, plan.kept, null),
    keyType: parsed.keyType,
    keyUsage: keyUsageFor(profile.keyUsage, parsed.keyType),
    extendedKeyUsage: profileEkus(profile),
    ...plannedValidity(req.days ?? profile.validityDays, now, issuer),
    now,
    issuer,
    crlUrl: ca.crlUrl,
    sid: null,
  });
  return { ...plan, request: parsed, findings };
}

/**
 * Signs a PKCS#10 request with a vault CA under a profile. The request is read and checked by readCsr (key,
 * signature, subject and SAN rules); the profile filters its SANs (applyProfileToSans 'filter') and, for the
 * person profiles, decides its subject (endEntitySubject); the resulting subject may not be a vault CA's
 * (ca-subjects.ts). Returns the stored record and what was left out. Throws CertDeskError CSR_INVALID,
 * CSR_BAD_SIGNATURE, WEAK_KEY, UNSUPPORTED_KEY, INVALID_NAME, PROFILE_VIOLATION, and the CA and vault errors.
 */
export async function signCsr(vault: Vault, req: SignCsrRequest, opts: SignCsrOptions = {}): Promise<SignCsrResult> {
  vault.requireUnlocked();
  const profile = getProfile(vault, req.profile);
  const ca = resolveCa(vault, req.ca);
  const parsed = await readCsrOffThread(req.csr);
  const alias = checkAlias(req.alias);
  const signer = await loadSigner(vault, ca);
  // Cut to the CA's end when the days reach past it: preflight's rfc5280 rule reports the cut (a warning).
  const now = vault.now();
  const { notBefore, notAfter, requestedNotAfter } = plannedValidity(req.days ?? profile.validityDays, now, signer.certificate);
  const { kept: planned, droppedSans: dropped, droppedSubject, subjectDer } = planCsr(vault, profile, parsed, signer.certificate);
  const kept = windowsSans(profile, planned, null);
  const serial = randomSerial();
  const keyUsage = keyUsageFor(profile.keyUsage, parsed.keyType);
  const preflight = preflightGate(
    vault,
    profile,
    { subject: readSubject(subjectDer, 'csr subject'), sans: kept, keyType: parsed.keyType, keyUsage, extendedKeyUsage: profileEkus(profile), notBefore, notAfter, requestedNotAfter, now, issuer: signer.certificate, crlUrl: ca.crlUrl, sid: sidOf(req), serial },
    req.override,
  );
  // On a worker thread, as the request was read: a request may carry thousands of names.
  const der = await signCertificateOffThread({
    subjectDer,
    spki: parsed.spki,
    serial,
    notBefore,
    notAfter,
    signer: { certificateDer: new Uint8Array(signer.certificate.rawData), privateKey: signer.privateKey, keyType: signer.keyType },
    keyUsage,
    extendedKeyUsage: profileEkus(profile),
    sans: kept,
    crlUrl: ca.crlUrl,
  });
  const cert = new x509.X509Certificate(der);
  const holder = commonNameOf(cert.subjectName) ?? kept[0]?.value ?? parsed.subject;
  const id = vault.transaction(() => {
    const certId = insertCertificate(vault, {
      cert,
      kind: 'end-entity',
      issuerCaId: ca.id,
      holder,
      sans: kept,
      profile: profile.id,
      recipientId: upsertRecipient(vault, holder, kept, profile, undefined),
      source: 'csr',
      alias,
      autoRenew: false,
      keyType: parsed.keyType,
      keyId: null,
    });
    vault.audit('cert.sign-csr', `cert:${certId}`, {
      ca: ca.name,
      profile: profile.id,
      subject: dnFromName(cert.subjectName),
      serial: cert.serialNumber,
      notAfter: notAfter.toISOString(),
      droppedSans: dropped,
      droppedSubject,
      ...preflightAudit(preflight),
    });
    opts.inTransaction?.(certId, { alias, holder, serial: cert.serialNumber.toLowerCase() });
    return certId;
  });
  return { record: toCertificateRecord(vault, getCertRow(vault, id)!), droppedSans: dropped, droppedSubject, findings: preflight.findings };
}

/**
 * Checks SANs against the profile. 'strict' refuses a SAN type the profile does not allow (the officer typed it);
 * 'filter' leaves it out (a CSR asked for it: the profile decides). Either way a required SAN must remain.
 */
export function applyProfileToSans(profile: Profile, sans: San[], mode: 'strict' | 'filter'): { kept: San[]; dropped: San[] } {
  const kept: San[] = [];
  const dropped: San[] = [];
  for (const s of sans) {
    if (profile.sanAllowed.includes(s.type)) kept.push(s);
    else if (mode === 'filter') dropped.push(s);
    else {
      throw new CertDeskError(
        'PROFILE_VIOLATION',
        `the ${profile.name} profile does not allow ${SAN_WORDS[s.type]} (it allows ${wordList(profile.sanAllowed.map((t) => SAN_WORDS[t]), 'and') || 'no names'})`,
        { field: s.type, profile: profile.id },
      );
    }
  }
  if (profile.sanRequireOneOf.length && !kept.some((s) => profile.sanRequireOneOf.includes(s.type))) {
    throw new CertDeskError('PROFILE_VIOLATION', `the ${profile.name} profile needs at least one ${wordList(profile.sanRequireOneOf.map((t) => SAN_WORD[t]), 'or')}`, {
      field: profile.sanRequireOneOf[0],
      profile: profile.id,
    });
  }
  return { kept, dropped };
}

/** An alias is a short single-line label (it names files and appears on printed sheets). */
export function checkAlias(alias: string | null | undefined): string | null {
  const text = alias?.trim().normalize('NFC') || null;
  if (text === null) return null;
  if (/\p{Cc}/u.test(text)) throw new CertDeskError('INVALID_INPUT', 'alias: must be one line without control characters', { field: 'alias' });
  if ([...text].length > 64) throw new CertDeskError('INVALID_INPUT', `alias: at most 64 characters, got ${[...text].length}`, { field: 'alias' });
  return text;
}

export { checkHolder } from '../pki/holder-name.js';

/**
 * The subject of an end-entity certificate: the issuing CA's C and O (the organisation vouching for it),
 * the device identifier as the X.520 serialNumber attribute, and the holder as CN.
 */
export function endEntitySubject(holder: string, sans: San[], issuer: x509.X509Certificate): Rdn[] {
  const out: Rdn[] = [];
  const c = issuer.subjectName.getField('C')[0];
  const o = issuer.subjectName.getField('O')[0];
  if (c) out.push([{ type: 'C', oid: '2.5.4.6', value: c }]);
  if (o) out.push([{ type: 'O', oid: '2.5.4.10', value: o }]);
  const device = sans.find((s) => s.type === 'device');
  if (device) out.push([{ type: 'serialNumber', oid: '2.5.4.5', value: device.value }]);
  out.push([{ type: 'CN', oid: '2.5.4.3', value: holder }]);
  return out;
}
