// Publishing CRLs from an offline CA: every CA's fresh CRL (DER and PEM) and one combined PEM file of all
// of them, to a folder that goes to the servers. nginx's ssl_crl and Apache's SSLCARevocationFile need the
// CRL of every CA in the chain in one file, or they refuse valid clients.
// A publish is a delivery (core/delivery): it is recorded with the first CRL number it commits, and marked
// delivered once every file is written; a run killed in between is finished by "pending resume", which
// publishes fresh CRLs to the same folder.
import { CertDeskError, toErrorResult } from '../../../shared/errors.js';
import { abandonDelivery } from '../delivery/abandon.js';
import { claimDelivery, isInFlight } from '../delivery/in-flight.js';
import { removeTmpSiblings } from '../delivery/leftovers.js';
import { deliveryHolds, finishDelivery, rawDelivery, recordCrlSigned } from '../delivery/store.js';
import { checkParentFolder } from '../export/bundle-writer.js';
import { nodeFileSink, writeFileAtomicAsync, type FileSink } from '../files.js';
import { listCas, resolveCa } from '../issuance/records.js';
import { generateCrl, type CrlResult } from '../issuance/revocation.js';
import { requireQuorumKeys } from '../quorum/require.js';
import { requireTokenSessions } from '../pkcs11/require.js';
import { maySignCrl } from '../issuance/signing-chain.js';
import type { Vault } from '../vault/vault.js';
import { allCrlFiles, COMBINED_CRL_FILE, crlBaseNames, crlFilesOf } from './crl-files.js';
import { join, resolve } from 'node:path';

export { COMBINED_CRL_FILE } from './crl-files.js';

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
  /** The delivery this publish was recorded as. */
  delivery: number;
}

export interface PublishOptions {
  /** Said in the audit entry: this publish finishes an interrupted one ("pending resume"). */
  resumed?: boolean;
}

/**
 * Signs every CA's CRL and writes them to `outDir`. Throws IO_ERROR when the folder is missing (nothing is
 * signed) or a file cannot be written (what was written is removed, and the publish is abandoned: the CRL
 * numbers used are simply skipped by the next one), CA_NOT_FOUND when no CA can sign.
 */
export async function publishCrls(vault: Vault, outDir: string, sink: FileSink = nodeFileSink, opts: PublishOptions = {}): Promise<PublishResult> {
  vault.requireUnlocked();
  checkParentFolder(outDir);
  // A revoked CA still publishes its CRL while certificates it issued run (signing-chain.ts); an expired one does not.
  // Each CA's records are checked first: one changed outside CertDesk (say its key reference removed) is
  // refused with VAULT_TAMPERED, never silently left out of the published chain.
  const cas = listCas(vault).filter((ca) => {
    resolveCa(vault, String(ca.id));
    return ca.hasKey && maySignCrl(vault, ca.id);
  });
  if (cas.length === 0) throw new CertDeskError('CA_NOT_FOUND', 'no CA in this vault can sign a CRL (none has its key, or all are expired or revoked)', {});
  // A CA under K-of-N control without its shares: refused before any CRL is signed (issue 15).
  requireQuorumKeys(vault, cas);
  // A CA whose key is on a PKCS#11 token: logged in (its PIN asked) before any CRL is signed (issue 15).
  await requireTokenSessions(vault, cas);
  let delivery: number | null = null;
  let release: (() => void) | null = null;
  try {
    // Sign all first, write after: a failure while signing leaves the folder untouched. Each CRL number is
    // committed with the pending delivery, so a run killed from here on is offered again.
    const signed: { ca: (typeof cas)[number]; crl: CrlResult }[] = [];
    for (const ca of cas) {
      const crl = await generateCrl(vault, String(ca.id), undefined, {
        inTransaction: (caId, crlNumber) => {
          const first = delivery === null;
          delivery = recordCrlSigned(vault, delivery, outDir, { caId, crlNumber });
          if (first) release = claimDelivery(vault, delivery);
        },
      });
      signed.push({ ca, crl });
    }
    const id = delivery!;
    let crls: PublishedCrl[];
    let combinedFile: string;
    try {
      for (const file of allCrlFiles(vault, outDir)) removeTmpSiblings(file, sink);
      // File names from every CA of the vault, not only those signing now: a CA's name never depends on which others publish.
      const bases = crlBaseNames(listCas(vault));
      // One file after the other, each written, flushed, renamed and its folder flushed off this thread
      // (writeFileAtomicAsync): the window's next call is answered meanwhile (test/service/event-loop.test.ts).
      crls = [];
      for (const { ca, crl } of signed) {
        const { derFile, pemFile } = crlFilesOf(outDir, bases.get(ca.id)!);
        await writeFileAtomicAsync(derFile, crl.der, 0o644, sink);
        await writeFileAtomicAsync(pemFile, crl.pem, 0o644, sink);
        crls.push({ ca: ca.name, crlNumber: crl.crlNumber, entries: crl.entries, thisUpdate: crl.thisUpdate, nextUpdate: crl.nextUpdate, derFile, pemFile });
      }
      combinedFile = join(outDir, COMBINED_CRL_FILE);
      await writeFileAtomicAsync(combinedFile, signed.map((s) => s.crl.pem).join(''), 0o644, sink);
    } catch (e) {
      release!();
      release = null;
      try {
        abandonDelivery(vault, id, `the publish failed: ${toErrorResult(e).message}`);
      } catch {
        // The write error is the one to report; the delivery then stays pending and is listed.
      }
      throw e;
    }
    const publishBy = crls.map((c) => c.nextUpdate).sort()[0]!;
    vault.transaction(() => {
      vault.audit('crl.publish', null, { folder: outDir, cas: crls.map((c) => ({ ca: c.ca, crlNumber: c.crlNumber })), publishBy, delivery: id, ...(opts.resumed ? { resumed: true } : {}) });
      finishDelivery(vault, id, 'delivered');
      // Earlier publishes to this folder that were interrupted are done now: their files are the ones just written.
      const earlier = vault.db.prepare(`SELECT id FROM deliveries WHERE kind = 'crls' AND state = 'pending' AND target = ? AND id <> ?`).all(resolve(outDir), id) as { id: number }[];
      // One whose MAC does not hold is left for the officer to abandon ("pending" names it).
      for (const e of earlier) if (!isInFlight(vault, e.id) && deliveryHolds(vault, rawDelivery(vault, e.id)!)) finishDelivery(vault, e.id, 'delivered', { outcome: `published again by delivery ${id}` });
    });
    return { folder: outDir, crls, combinedFile, publishBy, delivery: id };
  } finally {
    (release as (() => void) | null)?.();
  }
}
