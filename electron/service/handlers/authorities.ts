// Certificate authorities: list, create a root or an intermediate, import one from PFX or PEM; and the CA's own
// lifecycle (issue 14): details, save as PEM/DER/p7b or export with its key, renew, revoke an intermediate, CRL settings.
import type { Handlers } from '../../../shared/api.js';
import { createCa, importCa } from '../../core/issuance/cas.js';
import { listCas } from '../../core/issuance/records.js';
import { fromBase64 } from '../payload.js';
import type { ServiceSession } from '../session.js';
import { checkModulePath } from './tokens.js';

const utf8 = (text: string) => new Uint8Array(Buffer.from(text, 'utf8'));

type AuthorityChannel = 'ca.list' | 'ca.create' | 'ca.import' | 'ca.get' | 'ca.export' | 'ca.renew' | 'ca.revoke' | 'ca.update';

export function authorityHandlers(s: ServiceSession): Handlers<AuthorityChannel> {
  return {
    'ca.list': () => listCas(s.unlocked()),
    'ca.create': async (r) => {
      // A key on a PKCS#11 token (issue 15): only a known module or the one chosen in the module dialog is loaded.
      if (r.pkcs11) await checkModulePath(s, r.pkcs11.module, 'pkcs11.module');
      return createCa(s.unlocked(), {
        name: r.name,
        subject: r.subject,
        keyType: r.keyType,
        days: r.days,
        issuer: r.issuer === undefined ? undefined : String(r.issuer),
        pathLength: r.pathLength,
        crlUrl: r.crlUrl || null,
        crlDays: r.crlDays,
        pkcs11: r.pkcs11 ? { module: r.pkcs11.module, token: r.pkcs11.token, ...(r.pkcs11.keyLabel ? { keyLabel: r.pkcs11.keyLabel } : {}), pin: r.pkcs11.pin } : undefined,
      });
    },
    'ca.import': async (r) => {
      if (r.pkcs11) await checkModulePath(s, r.pkcs11.module, 'pkcs11.module');
      return importCa(s.unlocked(), {
        name: r.name,
        pfx: r.pfx ? { data: fromBase64(r.pfx.data), password: r.pfx.password } : undefined,
        pem: r.pem ? { cert: utf8(r.pem.cert), key: utf8(r.pem.key), keyPassword: r.pem.keyPassword || undefined } : undefined,
        pkcs11: r.pkcs11 ? { module: r.pkcs11.module, token: r.pkcs11.token, keyLabel: r.pkcs11.keyLabel, pin: r.pkcs11.pin, cert: utf8(r.pkcs11.cert) } : undefined,
        crlUrl: r.crlUrl || null,
        crlDays: r.crlDays,
      });
    },
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
