// Certificate authorities: list, create a root or an intermediate, import one from PFX or PEM; and the CA's own
// lifecycle (issue 14): details, save as PEM/DER/p7b or export with its key, renew, revoke an intermediate, CRL settings.
import type { Handlers } from '../../../shared/api.js';
import { createCa, importCa } from '../../core/issuance/cas.js';
import { listCas } from '../../core/issuance/records.js';
import { fromBase64 } from '../payload.js';
import type { ServiceSession } from '../session.js';

const utf8 = (text: string) => new Uint8Array(Buffer.from(text, 'utf8'));

type AuthorityChannel = 'ca.list' | 'ca.create' | 'ca.import' | 'ca.get' | 'ca.export' | 'ca.renew' | 'ca.revoke' | 'ca.update';

export function authorityHandlers(s: ServiceSession): Handlers<AuthorityChannel> {
  return {
    'ca.list': () => listCas(s.unlocked()),
    'ca.create': (r) =>
      createCa(s.unlocked(), {
        name: r.name,
        subject: r.subject,
        keyType: r.keyType,
        days: r.days,
        issuer: r.issuer === undefined ? undefined : String(r.issuer),
        pathLength: r.pathLength,
        crlUrl: r.crlUrl || null,
        crlDays: r.crlDays,
      }),
    'ca.import': (r) =>
      importCa(s.unlocked(), {
        name: r.name,
        pfx: r.pfx ? { data: fromBase64(r.pfx.data), password: r.pfx.password } : undefined,
        pem: r.pem ? { cert: utf8(r.pem.cert), key: utf8(r.pem.key), keyPassword: r.pem.keyPassword || undefined } : undefined,
        crlUrl: r.crlUrl || null,
        crlDays: r.crlDays,
      }),
    'ca.get': async ({ id }) => (await import('../../core/ca/ca-details.js')).showCa(s.unlocked(), String(id)),
    'ca.export': async ({ id, format, file, password, encryption }) => {
      const vault = s.unlocked();
      // Only the file the officer chose in the save dialog (a CA key never goes anywhere else).
      s.grants.check(file, 'file', 'exact-file');
      const { exportCaFile } = await import('../../core/ca/ca-export.js');
      return exportCaFile(vault, String(id), { format, out: file, password, encryption });
    },
    'ca.renew': async ({ id, days, newKey, name, crlUrl, keyType }) =>
      (await import('../../core/ca/ca-renew.js')).renewCa(s.unlocked(), String(id), { days, newKey, name, crlUrl, keyType }),
    'ca.revoke': async ({ id, reason }) => (await import('../../core/ca/ca-revoke.js')).revokeCa(s.unlocked(), String(id), reason),
    'ca.update': async ({ id, crlUrl, crlDays }) => (await import('../../core/ca/ca-settings.js')).setCaCrl(s.unlocked(), String(id), { crlUrl, crlDays }),
  };
}
