// The messages between a WorkerPool (main thread) and serveJobs (worker thread), and how an error crosses
// between them: a CertDeskError keeps its code, message and details; any other error keeps its name and
// message and stays "unexpected" (the service reports it as INTERNAL), exactly as if it had been thrown in
// the calling thread.
import { CertDeskError, ERROR_CODES, type ErrorCode } from '../../../shared/errors.js';

/** A table of the jobs one worker script serves: job kind to its input and output (both structured-cloneable). */
export type JobTable = Record<string, { input: unknown; output: unknown }>;

export interface JobRequest {
  id: number;
  kind: string;
  input: unknown;
}

export interface WireError {
  certdesk: boolean;
  code: string;
  name: string;
  message: string;
  details?: Record<string, unknown>;
}

export type JobReply = { id: number; value: unknown } | { id: number; error: WireError };

/** An error as plain data for postMessage. */
export function toWire(e: unknown): WireError {
  if (e instanceof CertDeskError) return { certdesk: true, code: e.code, name: e.name, message: e.message, details: e.details ? { ...e.details } : undefined };
  if (e instanceof Error) return { certdesk: false, code: 'INTERNAL', name: e.name, message: e.message };
  return { certdesk: false, code: 'INTERNAL', name: 'Error', message: String(e) };
}

/** The error again, on the receiving side: a CertDeskError with a known code, or else a plain Error. */
export function fromWire(w: WireError): Error {
  if (w.certdesk && (ERROR_CODES as readonly string[]).includes(w.code)) return new CertDeskError(w.code as ErrorCode, w.message, w.details);
  const e = new Error(w.message);
  e.name = w.name;
  return e;
}

/**
 * A copy of the bytes in an ArrayBuffer of their own, safe to put in a transfer list: a Node Buffer may be
 * a view into a shared pool that must not be transferred (Node 21+ and Electron throw on it).
 */
export function ownedCopy(bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  return new Uint8Array(bytes);
}
