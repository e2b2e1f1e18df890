// Publishing CRLs from an offline CA: every CA's fresh CRL (DER and PEM) and one combined PEM file of all
// of them, to a folder that goes to the servers. nginx's ssl_crl and Apache's SSLCARevocationFile need the
// CRL of every CA in the chain in one file, or they refuse valid clients.
import { join } from 'node:path';
import { CertDeskError } from '../../../shared/errors.js';
import { checkParentFolder, safeName } from '../export/bundle-writer.js';
import { nodeFileSink, writeFileAtomic, type FileSink } from '../files.js';
import { listCas } from '../issuance/records.js';
import { generateCrl } from '../issuance/revocation.js';
import type { Vault } from '../vault/vault.js';

export const COMBINED_CRL_FILE = 'crl-chain.pem';

export interface PublishedCrl {
  ca: string;
  crlNumber: number;
  entries: number;
  thisUpdate: string;
  nextUpdate: string;
  derFile: string;
  pemFile: string;
}

export interface PublishResult {
  folder: string;
  crls: PublishedCrl[];
  combinedFile: string;
  /** The earliest next update: when the stick must go to the servers again. */
  publishBy: string;
}

export async function publishCrls(vault: Vault, outDir: string, sink: FileSink = nodeFileSink): Promise<PublishResult> {
  vault.requireUnlocked();
  checkParentFolder(outDir);
  const cas = listCas(vault).filter((ca) => ca.hasKey && ca.status === 'valid');
  if (cas.length === 0) throw new CertDeskError('CA_NOT_FOUND', 'no CA in this vault can sign a CRL (none has its key, or all are expired or revoked)', {});
  // Sign all first, write after: a failure while signing leaves the folder untouched.
  const signed = [];
  for (const ca of cas) signed.push({ ca, crl: await generateCrl(vault, String(ca.id)) });
  const crls: PublishedCrl[] = [];
  for (const { ca, crl } of signed) {
    const base = safeName(ca.name, `ca-${ca.id}`);
    const derFile = join(outDir, `${base}.crl`);
    const pemFile = join(outDir, `${base}.crl.pem`);
    writeFileAtomic(derFile, crl.der, 0o644, sink);
    writeFileAtomic(pemFile, crl.pem, 0o644, sink);
    crls.push({ ca: ca.name, crlNumber: crl.crlNumber, entries: crl.entries, thisUpdate: crl.thisUpdate, nextUpdate: crl.nextUpdate, derFile, pemFile });
  }
  const combinedFile = join(outDir, COMBINED_CRL_FILE);
  writeFileAtomic(combinedFile, signed.map((s) => s.crl.pem).join(''), 0o644, sink);
  const publishBy = crls.map((c) => c.nextUpdate).sort()[0]!;
  vault.transaction(() => vault.audit('crl.publish', null, { folder: outDir, cas: crls.map((c) => ({ ca: c.ca, crlNumber: c.crlNumber })), publishBy }));
  return { folder: outDir, crls, combinedFile, publishBy };
}
