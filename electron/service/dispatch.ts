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
    // The message names the channel for logs and scripts; `schema` lets the window say it in plain words
    // (renderer/src/state/plain-errors.ts). Only the rule is copied, never the refused input (a password may be).
    return { ok: false, code: 'INVALID_INPUT', message: `${channel}: ${where}: ${issue.message}`, details: { field: where, schema: schemaRule(issue as unknown as Record<string, unknown>) } };
  }
  try {
    const handler = handlers[channel] as (request: unknown) => unknown;
    return { ok: true, data: await handler(parsed.data) };
  } catch (e) {
    return toErrorResult(e);
  }
}

/** What a zod issue's rule was, without the input it refused: code and bounds, expected type, format, allowed values. */
function schemaRule(issue: Record<string, unknown>): Record<string, unknown> {
  const rule: Record<string, unknown> = { code: issue.code };
  for (const k of ['origin', 'minimum', 'maximum', 'inclusive', 'expected', 'format', 'values', 'keys']) {
    const v = issue[k];
    if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') rule[k] = v;
    else if (typeof v === 'bigint') rule[k] = Number(v);
    else if (Array.isArray(v)) rule[k] = v.filter((x) => typeof x === 'string' || typeof x === 'number').slice(0, 20);
  }
  return rule;
}
