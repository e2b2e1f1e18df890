// shared/devices.ts (issue 14, delivery chosen by the device): every rule that turns the devices an officer names
// into the PKCS#12 form, the empty-password rule, the request schema, and what a stored delivery preselects.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  allowsEmptyPassword,
  DEVICE_FAMILIES,
  DEVICE_IDS,
  DEVICE_TARGETS,
  isDeviceList,
  parseStoredDevices,
  pkcs12FormFor,
  preselectFromDelivery,
  resolveDeliveryForm,
  type DeviceId,
} from '../../shared/devices.js';
import { devicesSchema } from '../../shared/devices-schema.js';
import { CertDeskError } from '../../shared/errors.js';

const LEGACY: DeviceId[] = ['apple-old', 'android-old', 'windows-old', 'java-old', 'appliance', 'unknown'];
const MODERN: DeviceId[] = ['apple', 'android', 'windows', 'java'];

test('every id has exactly one target, every target a known family, and the lists agree', () => {
  assert.deepEqual(
    DEVICE_TARGETS.map((t) => t.id),
    [...DEVICE_IDS],
  );
  assert.deepEqual([...LEGACY, ...MODERN].sort(), [...DEVICE_IDS].sort());
  const families = new Set(DEVICE_FAMILIES.map((f) => f.family));
  for (const t of DEVICE_TARGETS) assert.ok(families.has(t.family), `${t.id}: family ${t.family} has no label`);
  // A ticked family starts with one of its own versions: the older Apple and Android (they install on both), the current Windows and Java.
  assert.deepEqual(
    DEVICE_FAMILIES.map((f) => [f.family, f.first]),
    [['apple', 'apple-old'], ['android', 'android-old'], ['windows', 'windows'], ['java', 'java'], ['appliance', 'appliance'], ['unknown', 'unknown']],
  );
  for (const f of DEVICE_FAMILIES) assert.equal(DEVICE_TARGETS.find((t) => t.id === f.first)!.family, f.family, f.family);
  // A legacy target says why; a modern one has nothing to say.
  for (const t of DEVICE_TARGETS) assert.equal(t.reason === null, t.needs === 'modern', t.id);
});

test('each device alone: the old Apple, Android, Windows, Java, appliances and unknown need legacy; the current ones modern', () => {
  for (const id of LEGACY) {
    const form = pkcs12FormFor([id]);
    assert.equal(form.encryption, 'legacy', id);
    assert.equal(form.reasons.length, 1, id);
  }
  for (const id of MODERN) assert.deepEqual(pkcs12FormFor([id]), { encryption: 'modern', reasons: [] }, id);
  assert.deepEqual(pkcs12FormFor(['apple-old']).reasons, ['An iPhone or iPad up to iOS 17, or a Mac up to macOS 14, cannot open the AES form.']);
  assert.deepEqual(pkcs12FormFor(['android-old']).reasons, ['Android 13 and older cannot open the AES form.']);
  assert.deepEqual(pkcs12FormFor(['windows-old']).reasons, ['Windows before 10 1709, and Windows Server 2016, cannot open the AES form.']);
});

test('legacy wherever ANY device needs it, with one reason per device that forced it, in list order', () => {
  assert.deepEqual(pkcs12FormFor(['windows', 'android', 'apple']), { encryption: 'modern', reasons: [] });
  const mixed = pkcs12FormFor(['windows', 'appliance', 'apple', 'android-old']);
  assert.equal(mixed.encryption, 'legacy');
  assert.deepEqual(mixed.reasons, ['Android 13 and older cannot open the AES form.', 'Many network appliances cannot open the AES form.']);
  assert.deepEqual(pkcs12FormFor([]), { encryption: 'modern', reasons: [] });
});

test('an empty password is never allowed for an Apple device or unknown devices, nor for nothing chosen', () => {
  for (const id of ['apple-old', 'apple', 'unknown'] as const) {
    assert.equal(allowsEmptyPassword([id]), false, id);
    assert.equal(allowsEmptyPassword(['windows', id]), false, `windows + ${id}`);
  }
  for (const id of ['android-old', 'android', 'windows', 'windows-old', 'java', 'java-old', 'appliance'] as const) assert.equal(allowsEmptyPassword([id]), true, id);
  assert.equal(allowsEmptyPassword([]), false);
});

test('the schema takes 1 to all known ids once each, and names what is wrong', () => {
  assert.deepEqual(devicesSchema.parse(['apple-old', 'windows']), ['apple-old', 'windows']);
  assert.deepEqual(devicesSchema.parse([...DEVICE_IDS]), [...DEVICE_IDS]);
  const issue = (v: unknown) => devicesSchema.safeParse(v).error?.issues[0];
  assert.equal(issue([])?.message, 'choose at least one device');
  assert.equal(issue(['apple', 'apple'])?.message, 'a device is listed twice');
  assert.deepEqual(issue(['iphone'])?.path, [0]);
  assert.equal(issue(['iphone'])?.code, 'invalid_value');
});

test('stored devices: parsed when valid JSON of known ids, else null', () => {
  assert.deepEqual(parseStoredDevices('["apple-old","android"]'), ['apple-old', 'android']);
  assert.equal(parseStoredDevices(null), null);
  assert.equal(parseStoredDevices(''), null);
  assert.equal(parseStoredDevices('not json'), null);
  assert.equal(parseStoredDevices('["iphone"]'), null);
  assert.equal(parseStoredDevices('[]'), null);
  assert.equal(parseStoredDevices('["apple","apple"]'), null);
});

test('isDeviceList (which needs no zod) and the schema accept exactly the same lists', () => {
  const inputs: unknown[] = [
    [], ['apple'], [...DEVICE_IDS], [...DEVICE_IDS, 'apple'], ['apple', 'apple'], ['iphone'], ['windows', 'java-old'], 'apple', null, {}, [1], [['apple']], ['Apple'], ['apple', undefined], new Array(1), Object.assign(new Array(2), { 0: 'windows' }),
  ];
  for (const v of inputs) assert.equal(isDeviceList(v), devicesSchema.safeParse(v).success, JSON.stringify(v));
});

test('preselection: the stored devices when they agree with the authenticated encryption; a legacy delivery without devices stays legacy', () => {
  assert.deepEqual(preselectFromDelivery(['apple-old'], 'legacy'), { devices: ['apple-old'], encryption: 'legacy' });
  assert.deepEqual(preselectFromDelivery(['windows'], 'modern'), { devices: ['windows'], encryption: 'modern' });
  // A certificate first delivered legacy from an older vault (no devices stored): legacy, never the AES form.
  assert.deepEqual(preselectFromDelivery(null, 'legacy'), { devices: ['unknown'], encryption: 'legacy' });
  assert.deepEqual(preselectFromDelivery(null, 'modern'), { devices: [], encryption: 'modern' });
  // Devices edited outside CertDesk to say "modern" while the MACed encryption says legacy: the encryption wins.
  assert.deepEqual(preselectFromDelivery(['windows'], 'legacy'), { devices: ['unknown'], encryption: 'legacy' });
  assert.equal(preselectFromDelivery(['windows'], null), null);
});

test('a request: devices decide, an explicit encryption must agree, neither leaves the default', () => {
  assert.deepEqual(resolveDeliveryForm({ devices: ['apple-old'] }, 'delivery'), { encryption: 'legacy', devices: ['apple-old'] });
  assert.deepEqual(resolveDeliveryForm({ devices: ['windows'], encryption: 'modern' }, 'delivery'), { encryption: 'modern', devices: ['windows'] });
  assert.deepEqual(resolveDeliveryForm({ encryption: 'legacy' }, 'delivery'), { encryption: 'legacy', devices: null });
  assert.deepEqual(resolveDeliveryForm({}, 'delivery'), { encryption: undefined, devices: null });
  assert.deepEqual(resolveDeliveryForm({ devices: [] }, 'delivery'), { encryption: undefined, devices: null });

  assert.throws(
    () => resolveDeliveryForm({ devices: ['windows', 'apple-old'], encryption: 'modern' }, '--devices'),
    (e: unknown) =>
      e instanceof CertDeskError &&
      e.code === 'INVALID_INPUT' &&
      e.message === '--devices: the encryption "modern" contradicts the devices. An iPhone or iPad up to iOS 17, or a Mac up to macOS 14, cannot open the AES form. The legacy form is needed.',
  );
  assert.throws(
    () => resolveDeliveryForm({ devices: ['windows'], encryption: 'legacy' }, 'delivery'),
    (e: unknown) =>
      e instanceof CertDeskError &&
      e.code === 'INVALID_INPUT' &&
      e.message ===
        'delivery: the encryption "legacy" contradicts the devices. The devices chosen (Windows 10 1709 or later, Windows 11, Windows Server 2019 or later) all read the modern form; choose "Several or unknown devices" for the legacy one.',
  );
});
