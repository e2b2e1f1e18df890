// One call through the typed API: the channel must exist, the request must match its schema, and
// whatever the handler throws comes back as { ok: false, code, message } so it crosses any transport.
import { API, isChannel, type ChannelName, type Result } from '../../shared/api.js';
import { toErrorResult } from '../../shared/errors.js';

type AnyHandlers = Partial<Record<ChannelName, (request: never) => unknown>>;

export async function dispatch(handlers: AnyHandlers, channel: string, request: unknown): Promise<Result<unknown>> {
  if (!isChannel(channel) || !handlers[channel]) {
    return { ok: false, code: 'INVALID_INPUT', message: `unknown channel "${channel.slice(0, 64)}"` };
  }
  const parsed = API[channel].request.safeParse(request ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const where = issue.path.length ? issue.path.join('.') : 'request';
    return { ok: false, code: 'INVALID_INPUT', message: `${channel}: ${where}: ${issue.message}`, details: { field: where } };
  }
  try {
    const handler = handlers[channel] as (request: unknown) => unknown;
    return { ok: true, data: await handler(parsed.data) };
  } catch (e) {
    return toErrorResult(e);
  }
}
