// What was delivered before (issue 14, delivery chosen by the device): Renew and Export again preselect the devices
// and PKCS#12 form of a certificate's latest bundle delivery, and the issue wizard those of the recipient's. The
// same functions serve the screens (cert.get, recipient.get) and main's defaults for a renewal or export that names
// neither devices nor an encryption, so the form the screen shows is the form main makes.
import { describeDevices, deviceTarget, parseStoredDevices, pkcs12FormFor, preselectFromDelivery, resolveDeliveryForm, type DeliveryChoice, type DeliveryForm, type DeliveryFormRequest } from '../../../shared/devices.js';
import { CertDeskError } from '../../../shared/errors.js';
import type { PfxEncryption } from '../../../shared/domain.js';
import type { Vault } from '../vault/vault.js';
import { deliveryHolds, type DeliveryRow } from './store.js';

/** How far back a renewal chain is followed (a certificate renewed more often than this is not a real vault). */
const MAX_CHAIN = 64;

/**
 * The form of the newest delivered bundle among `where`'s certificates whose MAC holds (its authenticated
 * `encryption`, with the stored devices when they agree with it); else of the newest "exports" row (a vault from
 * before deliveries, schema < 5: the encryption only, 'unknown' devices for legacy); else null.
 */
function newestChoice(vault: Vault, where: { certificate: number } | { recipient: number }): DeliveryChoice | null {
  const [filter, value] = 'certificate' in where ? ['certificate_id = ?', where.certificate] : ['certificate_id IN (SELECT id FROM certificates WHERE recipient_id = ?)', where.recipient];
  const rows = vault.db.prepare(`SELECT * FROM deliveries WHERE ${filter} AND kind = 'bundle' AND state = 'delivered' ORDER BY id DESC LIMIT 8`).all(value) as DeliveryRow[];
  const row = rows.find((r) => r.encryption !== null && deliveryHolds(vault, r));
  if (row) return preselectFromDelivery(parseStoredDevices(row.devices), row.encryption);
  const exported = vault.db.prepare(`SELECT encryption FROM exports WHERE ${filter} ORDER BY id DESC LIMIT 1`).get(value) as { encryption: PfxEncryption } | undefined;
  return exported ? preselectFromDelivery(null, exported.encryption) : null;
}

/**
 * What Renew and Export again preselect for certificate `id`: its latest delivered bundle's devices and form, else
 * its predecessor's (renewed_from, back along the chain), else null (nothing delivered: the profile's default
 * applies). A certificate first delivered in the legacy form with no devices recorded (an older vault) gives
 * legacy with the device 'unknown', never the AES form. Reads only; no error for an unknown id (null).
 */
export function certificateDeliveryChoice(vault: Vault, id: number): DeliveryChoice | null {
  let current: number | null = id;
  for (let i = 0; current !== null && i < MAX_CHAIN; i++) {
    const choice = newestChoice(vault, { certificate: current });
    if (choice) return choice;
    const row = vault.db.prepare('SELECT renewed_from FROM certificates WHERE id = ?').get(current) as { renewed_from: number | null } | undefined;
    current = row?.renewed_from ?? null;
  }
  return null;
}

/**
 * What the issue wizard preselects for an earlier recipient: the devices and form of the newest delivered bundle
 * of any of its certificates (checked as for certificateDeliveryChoice), or null when none was delivered.
 */
export function recipientDeliveryChoice(vault: Vault, recipientId: number): DeliveryChoice | null {
  return newestChoice(vault, { recipient: recipientId });
}

/**
 * The form of a renewal's or an export's bundle for certificate `certId`: the request's (resolveDeliveryForm:
 * INVALID_INPUT "<field>: ..." when its encryption contradicts its devices), else when it names neither what
 * certificateDeliveryChoice preselects, else undefined encryption (the profile's default applies).
 */
export function formForCertificate(vault: Vault, certId: number, req: DeliveryFormRequest, field: string): DeliveryForm {
  const form = resolveDeliveryForm(req, field);
  const choice = certificateDeliveryChoice(vault, certId);
  if (form.encryption !== undefined) {
    // An explicit form without devices does not quietly override devices that need legacy (an old iPhone): the
    // AES form would fail there, and this delivery would become the one the next export remembers.
    const needLegacy = form.devices === null && form.encryption === 'modern' && choice ? choice.devices.filter((d) => d !== 'unknown' && deviceTarget(d).needs === 'legacy') : [];
    if (needLegacy.length) {
      throw new CertDeskError(
        'INVALID_INPUT',
        `${field}: certificate ${certId} was last delivered for ${describeDevices(needLegacy)}, which cannot open the modern (AES) form. ${pkcs12FormFor(needLegacy).reasons.join(' ')} Name the devices it goes to now (--devices on the command line) to change that, or use the legacy form.`,
        { field, id: certId, devices: needLegacy },
      );
    }
    return form;
  }
  return choice ? { encryption: choice.encryption, devices: choice.devices.length ? choice.devices : null } : form;
}
