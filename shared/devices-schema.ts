// The zod schema of a request's device list (shared/devices.ts), apart from the device table so that the engine
// and the CLI read the table without loading zod; the IPC contract (api.ts) and the CLI's --devices parser use it.
import { z } from 'zod';
import { DEVICE_IDS } from './devices.js';

/** A request's device list: 1 to DEVICE_IDS.length known ids, each at most once. */
export const devicesSchema = z
  .array(z.enum(DEVICE_IDS))
  .min(1, 'choose at least one device')
  .max(DEVICE_IDS.length)
  .refine((ids) => new Set(ids).size === ids.length, 'a device is listed twice');
