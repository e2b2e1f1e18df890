// The typed API over an in-memory transport: requests and responses are structuredClone'd (as Electron
// IPC does) and also required to survive JSON (as the harness's HTTP does), so a payload that could not
// cross either fails here. `call` unwraps a result or throws it as an ApiCallError.
import { CHANNELS, type CertDeskApi, type ChannelName, type RequestOf, type ResponseOf, type Result } from '../../shared/api.js';
import type { ErrorResult } from '../../shared/errors.js';
import { dispatch } from '../../electron/service/dispatch.js';

type AnyHandlers = Parameters<typeof dispatch>[0];

function cross<T>(value: T): T {
  const cloned = structuredClone(value);
  const json = JSON.parse(JSON.stringify(cloned)) as T;
  return json;
}

export function inMemoryApi(handlers: AnyHandlers): CertDeskApi {
  const api: Record<string, (req: unknown) => Promise<Result<unknown>>> = {};
  for (const channel of CHANNELS) api[channel] = async (req) => cross(await dispatch(handlers, channel, cross(req)));
  return api as unknown as CertDeskApi;
}

export class ApiCallError extends Error {
  constructor(readonly result: ErrorResult) {
    super(`${result.code}: ${result.message}`);
  }
}

export async function call<K extends ChannelName>(api: CertDeskApi, channel: K, req: RequestOf<K>): Promise<ResponseOf<K>> {
  const result = (await api[channel](req)) as Result<ResponseOf<K>>;
  if (!result.ok) throw new ApiCallError(result);
  return result.data;
}

/**
 * The refusal a call ends in: its code and message, and its details when `withDetails` and it has some. Fails the
 * test when the call succeeds or throws anything but an ApiCallError.
 */
export async function refusalOf(p: Promise<unknown>, withDetails = false): Promise<{ code: string; message: string; details?: Record<string, unknown> }> {
  try {
    await p;
  } catch (e) {
    if (!(e instanceof ApiCallError)) throw e;
    const { code, message, details } = e.result;
    return withDetails && details ? { code, message, details } : { code, message };
  }
  throw new Error('the call succeeded');
}
