// The delivery part of Renew and Export again (issue 14): the devices preselected from the certificate's latest
// delivery (cert.get's lastDelivery, which main also falls back to), and what is sent.
import type { DeliveryChoice } from '../../../shared/api.js';
import type { DeviceId } from '../../../shared/devices.js';
import type { PfxEncryption } from '../../../shared/domain.js';

/** What the device picker starts with, and the form that applies while no device is ticked (with why, for the hint). */
export function initialDelivery(last: DeliveryChoice | null, defaultEncryption: PfxEncryption): { devices: DeviceId[]; fallback: { encryption: PfxEncryption; why: string } } {
  return {
    devices: last ? [...last.devices] : [],
    fallback: last ? { encryption: last.encryption, why: 'as its last delivery' } : { encryption: defaultEncryption, why: 'the profile’s default' },
  };
}

/** The request's delivery form: the devices when some are ticked (main derives the form), else the fallback's encryption. */
export function deliveryRequest(devices: readonly DeviceId[], fallback: { encryption: PfxEncryption }): { devices: DeviceId[] } | { encryption: PfxEncryption } {
  return devices.length ? { devices: [...devices] } : { encryption: fallback.encryption };
}
