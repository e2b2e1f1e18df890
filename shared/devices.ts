// Delivery chosen by the device (issue 14): the officer says what will install the certificate, and the
// PKCS#12 form follows from it. Pure (no I/O): the renderer's delivery steps and main's handlers and CLI use
// the same rules, so the form a screen preselects is the form main makes.
//
// The cut-offs are the project's own findings (shared/field-notes.md "PKCS#12 (PFX)", README "Encryption"):
// the AES form (PBES2, AES-256-CBC, PBKDF2-HMAC-SHA256, HMAC-SHA256 MAC, RFC 8018 / RFC 7292) is reported
// failing on iOS/iPadOS and the macOS Keychain up to macOS 14 (Sonoma; iOS/iPadOS 17 is the same release), so
// iOS/iPadOS 18 and macOS 15 (Sequoia) are the first that read it; Android reads it from Android 14; Windows
// from Windows 10 1709 and Windows Server 2019; Java from 8u301, 11.0.12 and 17. Everything older needs the
// legacy form (pbeWithSHAAnd3-KeyTripleDES-CBC with a SHA-1 MAC, RFC 7292 Appendix C), which every device
// listed here reads.
import type { PfxEncryption } from './domain.js';
import { CertDeskError } from './errors.js';

export const DEVICE_IDS = [
  'apple-old',
  'apple',
  'android-old',
  'android',
  'windows',
  'windows-old',
  'java',
  'java-old',
  'appliance',
  'unknown',
] as const;

/** What will install the certificate. */
export type DeviceId = (typeof DEVICE_IDS)[number];

/** A device family: the screens show one checkbox per family and, for a family with versions, a version choice. */
export type DeviceFamily = 'apple' | 'android' | 'windows' | 'java' | 'appliance' | 'unknown';

export interface DeviceTarget {
  id: DeviceId;
  family: DeviceFamily;
  /** The checkbox or version label, in the words a helpdesk uses. */
  label: string;
  /** The form this device needs: 'legacy' when it cannot open the AES form. */
  needs: PfxEncryption;
  /** Why it needs the legacy form, in plain words (only for legacy devices). */
  reason: string | null;
  /** Whether the device installs a PFX without a password (Apple devices never do). */
  emptyPasswordOk: boolean;
}

export const DEVICE_TARGETS: readonly DeviceTarget[] = [
  {
    id: 'apple-old',
    family: 'apple',
    label: 'iPhone/iPad up to iOS 17, Mac up to macOS 14 (Sonoma)',
    needs: 'legacy',
    reason: 'An iPhone or iPad up to iOS 17, or a Mac up to macOS 14, cannot open the AES form.',
    emptyPasswordOk: false,
  },
  { id: 'apple', family: 'apple', label: 'iPhone/iPad on iOS 18 or later, Mac on macOS 15 (Sequoia) or later', needs: 'modern', reason: null, emptyPasswordOk: false },
  { id: 'android-old', family: 'android', label: 'Android 13 or older', needs: 'legacy', reason: 'Android 13 and older cannot open the AES form.', emptyPasswordOk: true },
  { id: 'android', family: 'android', label: 'Android 14 or later', needs: 'modern', reason: null, emptyPasswordOk: true },
  { id: 'windows', family: 'windows', label: 'Windows 10 1709 or later, Windows 11, Windows Server 2019 or later', needs: 'modern', reason: null, emptyPasswordOk: true },
  {
    id: 'windows-old',
    family: 'windows',
    label: 'Older Windows, or Windows Server 2016',
    needs: 'legacy',
    reason: 'Windows before 10 1709, and Windows Server 2016, cannot open the AES form.',
    emptyPasswordOk: true,
  },
  { id: 'java', family: 'java', label: 'Java 17 or later, 11.0.12 or later, 8u301 or later', needs: 'modern', reason: null, emptyPasswordOk: true },
  { id: 'java-old', family: 'java', label: 'Older Java 8 or 11', needs: 'legacy', reason: 'Java 8 before 8u301 and Java 11 before 11.0.12 cannot open the AES form.', emptyPasswordOk: true },
  {
    id: 'appliance',
    family: 'appliance',
    label: 'A network appliance (firewall, VPN gateway, printer, Wi-Fi controller)',
    needs: 'legacy',
    reason: 'Many network appliances cannot open the AES form.',
    emptyPasswordOk: true,
  },
  {
    id: 'unknown',
    family: 'unknown',
    label: 'Several or unknown devices',
    needs: 'legacy',
    reason: 'The devices are not known: the legacy form installs on all of them.',
    // An unknown device may be an iPhone.
    emptyPasswordOk: false,
  },
];

/**
 * The device families in screen order, with their labels and the version a ticked family starts with: for Apple
 * and Android the older one (it installs on old and new devices alike, and many phones in use are older), for
 * Windows and Java the current one (the older ones are out of support).
 */
export const DEVICE_FAMILIES: readonly { family: DeviceFamily; label: string; first: DeviceId }[] = [
  { family: 'apple', label: 'iPhone, iPad or Mac', first: 'apple-old' },
  { family: 'android', label: 'Android', first: 'android-old' },
  { family: 'windows', label: 'Windows', first: 'windows' },
  { family: 'java', label: 'Java (keytool, Tomcat)', first: 'java' },
  { family: 'appliance', label: 'A network appliance (firewall, VPN gateway, printer, Wi-Fi controller)', first: 'appliance' },
  { family: 'unknown', label: 'Several or unknown devices', first: 'unknown' },
];

const BY_ID = new Map(DEVICE_TARGETS.map((t) => [t.id, t]));

/** The target with this id (DEVICE_IDS are the only ids; the zod schema checks input first). */
export function deviceTarget(id: DeviceId): DeviceTarget {
  return BY_ID.get(id)!;
}

export interface Pkcs12Form {
  encryption: PfxEncryption;
  /** Which chosen devices forced the legacy form, one sentence each; empty for the modern form. */
  reasons: string[];
}

/**
 * The PKCS#12 form for the devices that will install it: 'legacy' (3DES, SHA-1 MAC; RFC 7292 Appendix C)
 * when ANY of them needs it, else 'modern' (PBES2 AES-256; RFC 8018). `reasons` names each device that
 * forced legacy, in the order of DEVICE_TARGETS. An empty list gives modern with no reasons (nothing chosen).
 */
export function pkcs12FormFor(targets: readonly DeviceId[]): Pkcs12Form {
  const chosen = new Set(targets);
  const reasons = DEVICE_TARGETS.filter((t) => chosen.has(t.id) && t.needs === 'legacy').map((t) => t.reason!);
  return { encryption: reasons.length ? 'legacy' : 'modern', reasons };
}

/**
 * Whether a PFX without a password may be offered for these devices: never when one of them is an iPhone,
 * iPad or Mac (iOS and the macOS Keychain refuse to import a PKCS#12 without one) or unknown; false for
 * an empty list.
 */
export function allowsEmptyPassword(targets: readonly DeviceId[]): boolean {
  return targets.length > 0 && targets.every((id) => deviceTarget(id).emptyPasswordOk);
}

/** The chosen devices' labels, joined for a sentence ("Android 13 or older; Windows 10 1709 or later, ..."). */
export function describeDevices(targets: readonly DeviceId[]): string {
  return DEVICE_TARGETS.filter((t) => targets.includes(t.id))
    .map((t) => t.label)
    .join('; ');
}

/**
 * Whether `value` is a device list a request may carry: 1 to DEVICE_IDS.length known ids, each at most once. The
 * same rule as devices-schema.ts (which says what is wrong, for the IPC contract and the CLI); this one needs no zod.
 */
export function isDeviceList(value: unknown): value is DeviceId[] {
  if (!Array.isArray(value) || value.length < 1 || value.length > DEVICE_IDS.length) return false;
  const known: readonly unknown[] = DEVICE_IDS;
  // By index, not every(): every() skips the holes of a sparse array, which the schema refuses.
  for (let i = 0; i < value.length; i++) if (!known.includes(value[i])) return false;
  return new Set(value).size === value.length;
}

/**
 * Parses a stored or typed device list (JSON text from the vault, or null): the known ids in it, or null
 * when it is absent, not JSON, or names an unknown id (an older or edited vault: the caller falls back to
 * the stored encryption).
 */
export function parseStoredDevices(text: string | null | undefined): DeviceId[] | null {
  if (!text) return null;
  try {
    const parsed: unknown = JSON.parse(text);
    return isDeviceList(parsed) ? [...parsed] : null;
  } catch {
    return null;
  }
}

/** A remembered delivery: the devices it was made for and its form (electron/core/delivery/last-delivery.ts). */
export interface DeliveryChoice {
  devices: DeviceId[];
  encryption: PfxEncryption;
}

/**
 * The delivery form a screen or main preselects from what was delivered before: the stored devices when they
 * agree with the stored encryption (which is what the vault authenticated), else only the encryption, with
 * 'unknown' as the device for a legacy delivery. `encryption` null (nothing delivered yet): null.
 */
export function preselectFromDelivery(devices: readonly DeviceId[] | null, encryption: PfxEncryption | null): DeliveryChoice | null {
  if (encryption === null) return null;
  if (devices && devices.length && pkcs12FormFor(devices).encryption === encryption) return { devices: [...devices], encryption };
  return { devices: encryption === 'legacy' ? ['unknown'] : [], encryption };
}

/** What a delivery request says about its form: the devices, the explicit encryption, or neither. */
export interface DeliveryFormRequest {
  devices?: readonly DeviceId[] | null;
  encryption?: PfxEncryption | null;
}

/** The form a request resolves to: the encryption (undefined: the caller's default applies) and the devices to remember (null: none named). */
export interface DeliveryForm {
  encryption: PfxEncryption | undefined;
  devices: DeviceId[] | null;
}

/**
 * Resolves a delivery request's form: with devices, the encryption pkcs12FormFor gives (an explicit encryption
 * must be the same: INVALID_INPUT "<field>: ..." naming the devices and the form they need); without, the
 * explicit encryption or undefined. `field` names the request part in the message ("delivery", "--pfx").
 */
export function resolveDeliveryForm(req: DeliveryFormRequest, field: string): DeliveryForm {
  const devices = req.devices && req.devices.length ? [...req.devices] : null;
  const explicit = req.encryption ?? undefined;
  if (!devices) return { encryption: explicit, devices: null };
  const form = pkcs12FormFor(devices);
  if (explicit !== undefined && explicit !== form.encryption) {
    const why =
      form.encryption === 'legacy'
        ? `${form.reasons.join(' ')} The legacy form is needed`
        : `The devices chosen (${describeDevices(devices)}) all read the modern form; choose ${field.startsWith('--') ? '--devices unknown' : '"Several or unknown devices"'} for the legacy one`;
    throw new CertDeskError('INVALID_INPUT', `${field}: the encryption "${explicit}" contradicts the devices. ${why}.`, { field, encryption: explicit, devices, needs: form.encryption });
  }
  return { encryption: form.encryption, devices };
}
