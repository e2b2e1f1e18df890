// Certificates: the paged list behind the virtualised table, details, and the actions of the details
// panel (export again, renew, revoke, delete, copy the IIS mapping).
import { previewRenewal } from '../../core/preflight/renew-plan.js';
import type { Handlers } from '../../../shared/api.js';
import { CertDeskError } from '../../../shared/errors.js';
import { checkParentFolder } from '../../core/export/bundle-writer.js';
import { exportBundle } from '../../core/export/export-bundle.js';
import { caChain } from '../../core/issuance/cas.js';
import { getCertRow, getProfile, resolveCa, toCertificateRecord, type CertificateFilter } from '../../core/issuance/records.js';
import { certificatePage } from '../../core/query/cert-pages.js';
import { revokeCertificates } from '../../core/issuance/revocation.js';
import { deleteCertificates } from '../../core/lifecycle/delete.js';
import { releaseHold } from '../../core/lifecycle/unhold.js';
import { isExportable } from '../../../shared/cert-actions.js';
import { renewWithBundle } from '../../core/delivery/renew-deliver.js';
import { certificateDeliveryChoice } from '../../core/delivery/last-delivery.js';
import { dnFromName } from '../../core/pki/names.js';
import type { Vault } from '../../core/vault/vault.js';
import { describeExtensionsOffThread, iisOneToOneSnippetOffThread } from '../../core/workers/off-thread.js';
import { handoverOf } from '../handover.js';
import type { ServiceSession } from '../session.js';
import { adMappingReport } from '../../core/windows/ad-mapping-format.js';
import { selectForAdMapping } from '../../core/windows/ad-mapping-select.js';

function record(vault: Vault, id: number) {
  const row = getCertRow(vault, id);
  if (!row) throw new CertDeskError('CERT_NOT_FOUND', `no certificate ${id}`, { id });
  return { row, cert: toCertificateRecord(vault, row) };
}

export function certificateHandlers(s: ServiceSession): Handlers<'cert.list' | 'cert.get' | 'cert.export' | 'cert.renewCheck' | 'cert.renew' | 'cert.revoke' | 'cert.delete' | 'cert.iisMapping' | 'cert.adMapping' | 'cert.unhold'> {
  return {
    // A page at any row position is an index seek from the nearest anchor (core/query/cert-pages.ts), not an OFFSET.
    'cert.list': ({ offset, limit, ca, sort, direction, ...f }) => {
      const filter: CertificateFilter = { ...f, caId: ca, kind: 'end-entity' };
      const page = certificatePage(s.unlocked(), filter, { sort: sort ?? 'expiry', direction: direction ?? 'asc', position: offset, limit });
      return { total: page.total, offset, rows: page.rows };
    },
    'cert.get': async ({ id }) => {
      const vault = s.unlocked();
      const { row, cert } = record(vault, id);
      const chain = cert.issuerCaId === null ? [] : caChain(vault, resolveCa(vault, String(cert.issuerCaId))).map((c) => dnFromName(c.subjectName));
      const profile = cert.profile ? getProfile(vault, cert.profile) : null;
      return {
        certificate: cert,
        chain: [cert.subject, ...chain],
        // On a worker thread: a certificate signed from a CSR may carry thousands of names.
        extensions: await describeExtensionsOffThread(new Uint8Array(row.der)),
        exportable: isExportable(cert),
        defaultEncryption: profile?.pfxEncryption ?? 'modern',
        // What Renew and Export again preselect; the same function decides a renewal's or export's form when the request names none.
        lastDelivery: certificateDeliveryChoice(vault, id),
      };
    },
    'cert.export': async ({ id, folder, encryption, devices, password }) => {
      const vault = s.unlocked();
      s.grants.check(folder, 'folder');
      checkParentFolder(folder);
      return handoverOf(await exportBundle(vault, { cert: String(id), outDir: folder, encryption, devices, password }));
    },
    'cert.renewCheck': ({ id, days }) => previewRenewal(s.unlocked(), String(id), days),
    'cert.renew': async ({ id, sameKey, revokeOld, days, override, folder, encryption, devices, password }) => {
      const vault = s.unlocked();
      s.grants.check(folder, 'folder');
      checkParentFolder(folder);
      // The successor and its pending delivery commit together; renewing again after an interruption finishes that delivery.
      const r = await renewWithBundle(vault, String(id), { sameKey, revokeOld, days, override }, { outDir: folder, encryption, devices, password });
      // The renewed certificate as it now is (superseded; revoked with revokeOld): the details panel re-renders from it.
      return { ...(await handoverOf(r.bundle!)), renewed: record(vault, id).cert };
    },
    'cert.revoke': ({ ids, reason }) => revokeCertificates(s.unlocked(), ids.map(String), reason),
    'cert.delete': ({ ids }) => deleteCertificates(s.unlocked(), ids.map(String)),
    'cert.unhold': ({ id }) => releaseHold(s.unlocked(), String(id)),
    'cert.iisMapping': async ({ id }) => {
      const { row } = record(s.unlocked(), id);
      return { oneToOne: await iisOneToOneSnippetOffThread(new Uint8Array(row.der)) };
    },
    'cert.adMapping': ({ id }) => {
      // What `certdesk ad-mapping id:N --format powershell` gives: the authenticated row and recipient, the account
      // checked against the certificate's kind, a revoked or expired certificate's strings removed, with its warnings.
      const report = adMappingReport(selectForAdMapping(s.unlocked(), { certificates: [`id:${id}`] }), 'powershell');
      const m = report.mappings[0]!;
      const strings = [m.altSecurityIdentities.issuerSerial, m.altSecurityIdentities.ski, m.altSecurityIdentities.sha1PublicKey].filter((v): v is string => v !== null);
      return { sid: m.sid, strings, powershell: report.output, state: m.state, warnings: report.warnings };
    },
  };
}
