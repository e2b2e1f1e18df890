// Issuing: profiles, recipients, the issue wizard (check as typed, then issue and hand over in one
// step), and signing a CSR.
import { join } from 'node:path';
import type { Handlers, ParsedRequestOf } from '../../../shared/api.js';
import type { RecipientKind } from '../../../shared/domain.js';
import { CertDeskError } from '../../../shared/errors.js';
import { checkParentFolder } from '../../core/export/bundle-writer.js';
import { safeName } from '../../core/file-names.js';
import { issueWithBundle, signCsrWithPem } from '../../core/delivery/issue-deliver.js';
import { previewCsr, type IssueRequest } from '../../core/issuance/issue.js';
import { checkIssueRequest } from '../../core/issuance/issue-check.js';
import { updateProfile } from '../../core/issuance/profiles.js';
import { getProfileTargets, setProfileTargets } from '../../core/preflight/profile-targets.js';
import { listRecipients } from '../../core/issuance/recipients.js';
import { listProfiles } from '../../core/issuance/records.js';
import { readCsrOffThread } from '../../core/workers/off-thread.js';
import { handoverOf } from '../handover.js';
import { fromBase64 } from '../payload.js';
import type { ServiceSession } from '../session.js';

type Draft = ParsedRequestOf<'issue.check'>;

const KIND: Record<Draft['mode'], RecipientKind> = { 'per-user': 'person', 'per-device': 'device', shared: 'person' };

/** The wizard's draft as the engine's request. A shared certificate says so in its recipient's description. */
function toIssueRequest(d: Draft): IssueRequest {
  const description = d.mode === 'shared' ? ['Shared by several users', d.recipient.description].filter(Boolean).join('; ') : d.recipient.description || null;
  return {
    ca: String(d.ca),
    profile: d.profile,
    name: d.recipient.name,
    sans: d.sans,
    keyType: d.keyType,
    days: d.days,
    alias: d.alias || null,
    recipient: { kind: KIND[d.mode], email: d.recipient.email || null, phone: d.recipient.phone || null, description, sid: d.recipient.sid || null, account: d.recipient.account || null },
    override: d.override,
    sid: d.sid || null,
  };
}

export function issuingHandlers(s: ServiceSession): Handlers<'profile.list' | 'profile.update' | 'profile.targets' | 'profile.setTargets' | 'recipient.list' | 'issue.check' | 'issue.run' | 'csr.inspect' | 'csr.sign'> {
  return {
    'profile.list': () => listProfiles(s.unlocked()),
    'profile.update': ({ id, changes }) => updateProfile(s.unlocked(), id, changes),
    'profile.targets': ({ id }) => getProfileTargets(s.unlocked(), id),
    'profile.setTargets': ({ id, targets }) => setProfileTargets(s.unlocked(), id, targets),
    'recipient.list': ({ search }) => listRecipients(s.unlocked(), search),
    'issue.check': (draft) => checkIssueRequest(s.unlocked(), toIssueRequest(draft)),
    'issue.run': async ({ delivery, ...draft }) => {
      const vault = s.unlocked();
      s.grants.check(delivery.folder, 'delivery.folder');
      // Everything that can be checked before the certificate exists is checked first, so a typo never leaves a certificate without its bundle.
      checkParentFolder(delivery.folder);
      const check = checkIssueRequest(vault, toIssueRequest(draft));
      if (check.problems.length) throw new CertDeskError('INVALID_INPUT', check.problems.map((p) => p.message).join('; '), { field: check.problems[0]!.field });
      // The certificate and its pending delivery commit together; a bundle that cannot be written stays pending (the banner offers it).
      const { bundle } = await issueWithBundle(vault, toIssueRequest(draft), { outDir: delivery.folder, encryption: delivery.encryption, devices: delivery.devices, password: delivery.password });
      return handoverOf(bundle);
    },
    'csr.inspect': async ({ csr, ca, profile, days }) => {
      // With a CA and a profile: also what signing will keep and leave out, before anything is signed.
      if (ca !== undefined && profile !== undefined) {
        const { request, subject, kept, droppedSans, droppedSubject, findings } = await previewCsr(s.unlocked(), { ca: String(ca), profile, csr: fromBase64(csr), days });
        return { subject: request.subject, keyType: request.keyType, sans: request.sans, signatureValid: true as const, plan: { subject, sans: kept, droppedSans, droppedSubject, findings } };
      }
      const parsed = await readCsrOffThread(fromBase64(csr));
      return { subject: parsed.subject, keyType: parsed.keyType, sans: parsed.sans, signatureValid: true as const, plan: null };
    },
    'csr.sign': async ({ csr, ca, profile, days, alias, override, folder }) => {
      const vault = s.unlocked();
      s.grants.check(folder, 'folder');
      checkParentFolder(folder);
      // The certificate and its pending PEM delivery (with the CA chain) commit together; a file that cannot be
      // written stays pending (the banner offers it) instead of the request being signed twice.
      const signed = await signCsrWithPem(vault, { ca: String(ca), profile, csr: fromBase64(csr), days, alias: alias || null, override }, (r) => join(folder, `${safeName(r.alias ?? r.holder)}-${r.serial.slice(0, 8)}.pem`), { withChain: true });
      return { certificate: signed.record, droppedSans: signed.droppedSans, droppedSubject: signed.droppedSubject, findings: signed.findings, file: signed.file };
    },
  };
}
