// Certificate authorities: list, create a root or an intermediate, import one from PFX or PEM.
import type { Handlers } from '../../../shared/api.js';
import { createCa, importCa } from '../../core/issuance/cas.js';
import { listCas } from '../../core/issuance/records.js';
import { fromBase64 } from '../payload.js';
import type { ServiceSession } from '../session.js';

const utf8 = (text: string) => new Uint8Array(Buffer.from(text, 'utf8'));

export function authorityHandlers(s: ServiceSession): Handlers<'ca.list' | 'ca.create' | 'ca.import'> {
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
  };
}
