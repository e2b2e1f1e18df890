// Issuing with files: the certificate and its pending delivery commit together, then the files are written
// and the delivery marked delivered. Shared by the CLI (issue --out) and the window's issue wizard.
import { dirname, resolve } from 'node:path';
import { resolveDeliveryForm, type DeviceId } from '../../../shared/devices.js';
import type { CertificateRecord, PfxEncryption, PreflightFinding } from '../../../shared/domain.js';
import type { ExportResult } from '../export/bundle-make.js';
import { checkParentFolder } from '../export/bundle-writer.js';
import { checkPassword } from '../export/passwords.js';
import { issueCertificate, signCsr, type IssueRequest, type SignCsrRequest, type SignCsrResult } from '../issuance/issue.js';
import { getProfile } from '../issuance/records.js';
import type { Vault } from '../vault/vault.js';
import { deliverPem } from './deliver-pem.js';
import { recordBundleDelivery, recordPemDelivery, type PasswordSinks } from './store.js';
import { undeliveredError } from './undelivered.js';

/** Where a bundle goes and how it is protected. */
export interface BundleTarget {
  outDir: string;
  /** Default: from `devices`, else the profile's. */
  encryption?: PfxEncryption;
  /** The devices that will install the bundle (shared/devices.ts): they decide the encryption (an explicit one must agree) and are remembered with the delivery. */
  devices?: readonly DeviceId[] | null;
  /** A password the officer sets (checked against the profile's rule before anything is issued); default: generated. */
  password?: string;
  sinks?: PasswordSinks;
}

/**
 * Records the pending bundle delivery of `certificateId` to `target` (recordBundleDelivery), the key sealed in it
 * when given. Call inside the transaction that commits the certificate; returns the delivery id.
 */
export function recordTargetDelivery(vault: Vault, operation: 'issue' | 'renew', certificateId: number, target: BundleTarget, privateKeyPkcs8?: Uint8Array): number {
  const form = resolveDeliveryForm(target, 'devices');
  return recordBundleDelivery(vault, {
    operation,
    certificateId,
    outDir: target.outDir,
    encryption: form.encryption,
    devices: form.devices,
    passwordSet: target.password !== undefined,
    sinks: target.sinks,
    privateKeyPkcs8,
  });
}

/**
 * Issues a certificate and writes its bundle into `target.outDir`. The folder, the devices against an explicit
 * encryption and a set password are checked before anything is issued (IO_ERROR, INVALID_INPUT); issuing throws its own errors with nothing committed.
 * If the bundle cannot be written once the certificate exists, the error (same code) names the certificate
 * and the pending delivery to finish.
 */
export async function issueWithBundle(vault: Vault, req: IssueRequest, target: BundleTarget): Promise<{ record: CertificateRecord; bundle: ExportResult; findings: PreflightFinding[] }> {
  checkParentFolder(target.outDir);
  resolveDeliveryForm(target, 'devices');
  if (target.password !== undefined) checkPassword(target.password, getProfile(vault, req.profile).passwordRule);
  // Loaded here, before anything is issued, so that a command writing a PEM never loads the bundle's builders.
  const { deliverBundle } = await import('./deliver-bundle.js');
  let delivery = 0;
  const { record, privateKeyPkcs8, findings } = await issueCertificate(vault, req, {
    inTransaction: (certificateId, pkcs8) => {
      delivery = recordTargetDelivery(vault, 'issue', certificateId, target, pkcs8);
    },
  });
  try {
    return { record, bundle: await deliverBundle(vault, delivery, { privateKeyPkcs8, password: target.password, leftoversCleared: true }), findings };
  } catch (e) {
    throw undeliveredError(record, 'issued', delivery, e);
  } finally {
    privateKeyPkcs8.fill(0);
  }
}

/** Issues a certificate and writes it as a PEM file (no key leaves the vault). Errors as issueWithBundle; the file's folder is checked first. */
export async function issueWithPem(vault: Vault, req: IssueRequest, file: string): Promise<{ record: CertificateRecord; file: string; findings: PreflightFinding[] }> {
  checkParentFolder(dirname(resolve(file)));
  let delivery = 0;
  const { record, privateKeyPkcs8, findings } = await issueCertificate(vault, req, {
    inTransaction: (certificateId) => {
      delivery = recordPemDelivery(vault, 'issue', certificateId, file);
    },
  });
  privateKeyPkcs8.fill(0);
  try {
    return { record, file: deliverPem(vault, delivery), findings };
  } catch (e) {
    throw undeliveredError(record, 'issued', delivery, e);
  }
}

/**
 * Signs a CSR and writes the certificate as a PEM file (sign-csr --out; the CSR screen, which names the file
 * after the certificate and adds the CA chain): the certificate and its pending PEM delivery commit together, so a run killed before the file is written is finished by "pending resume"
 * instead of signing the request twice. Errors as signCsr; the file's folder is checked first (IO_ERROR);
 * a file that cannot be written once the certificate exists names the certificate and its pending delivery.
 */
export async function signCsrWithPem(vault: Vault, req: SignCsrRequest, file: string | ((record: { alias: string | null; holder: string; serial: string }) => string), opts: { withChain?: boolean } = {}): Promise<SignCsrResult & { file: string }> {
  if (typeof file === 'string') checkParentFolder(dirname(resolve(file)));
  let delivery = 0;
  const signed = await signCsr(vault, req, {
    inTransaction: (certificateId, named) => {
      delivery = recordPemDelivery(vault, 'issue', certificateId, typeof file === 'string' ? file : file(named), opts.withChain);
    },
  });
  try {
    return { ...signed, file: deliverPem(vault, delivery) };
  } catch (e) {
    throw undeliveredError(signed.record, 'signed', delivery, e);
  }
}
