// A window.certdesk stand-in for renderer unit tests: each channel answers from a script (one answer per call,
// in order) and records each request, so a test sees exactly what the renderer sent and when it sent it again.
import type { CertDeskApi } from '../../shared/api.js';
import type { ErrorResult } from '../../shared/errors.js';

export type Answer = { ok: true; data: unknown } | ErrorResult;

/** A bridge whose channels answer from `script` (one answer per call, in order) and record each request. */
export function fakeBridge(script: Record<string, Answer[]>) {
  const calls: { channel: string; request: unknown }[] = [];
  const bridge = new Proxy({} as CertDeskApi, {
    get: (_t, channel: string) => async (request: unknown) => {
      calls.push({ channel, request: structuredClone(request) });
      const next = script[channel]?.shift();
      if (!next) throw new Error(`no answer scripted for ${channel}`);
      return next;
    },
  });
  return { bridge, calls };
}
