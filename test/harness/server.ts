// The test harness: the built renderer and the same handler table the Electron main process registers,
// served on 127.0.0.1 with a random token, plus a bridge script that gives the page the same
// window.certdesk API object the preload does. The host channels (dialogs, printing, the clipboard)
// are stand-ins whose answers a test can queue and whose calls it can read back. It never ships.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { mkdirSync, readFileSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, resolve, sep } from 'node:path';
import type { HostHandlers } from '../../shared/api.js';
import { CHANNEL_NAMES } from '../../shared/channels.js';
import type { VaultOptions } from '../../electron/core/vault/vault.js';
import { CSP as APP_CSP } from '../../electron/main/csp.js';
import { dispatch } from '../../electron/service/dispatch.js';
import { ServiceSession } from '../../electron/service/session.js';
import { createHandlerTable } from '../../electron/service/table.js';

const TYPES: Record<string, string> = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.css': 'text/css', '.map': 'application/json', '.svg': 'image/svg+xml', '.png': 'image/png' };
// The app's own policy, with connect-src 'self' for the bridge's fetch calls (the app itself has none).
const CSP = APP_CSP.replace("connect-src 'none'", "connect-src 'self'");
if (CSP === APP_CSP) throw new Error("the app's CSP no longer says connect-src 'none': update the harness");
const MAX_BODY = 50 * 1024 * 1024;

export interface HarnessOptions {
  vaultPath: string;
  /** Folder for the stand-in dialogs' default answers (export folder, saved files). */
  workDir: string;
  uiDir?: string;
  port?: number;
  vault?: VaultOptions;
}

export interface HostRecord {
  prints: { title: string; pdf: boolean; html: string }[];
  clipboard: string[];
  dialogs: string[];
}

export interface Harness {
  url: string;
  token: string;
  session: ServiceSession;
  record: HostRecord;
  /** Queues the path the next dialog of this kind answers (null: the officer cancels). */
  answer(kind: 'openVault' | 'chooseFolder' | 'saveFile', path: string | null): void;
  close(): Promise<void>;
}

function bridgeScript(): string {
  // Runs before the app's module script; the token comes from the URL once and then from sessionStorage.
  return `(() => {
  const params = new URLSearchParams(location.search);
  const token = params.get('token') || sessionStorage.getItem('certdesk-harness-token') || '';
  sessionStorage.setItem('certdesk-harness-token', token);
  const call = async (channel, request) => {
    const res = await fetch('/api/' + channel, { method: 'POST', headers: { 'content-type': 'application/json', 'x-certdesk-token': token }, body: JSON.stringify(request ?? {}) });
    if (res.status !== 200) return { ok: false, code: 'INTERNAL', message: 'harness: HTTP ' + res.status };
    return res.json();
  };
  const api = {};
  for (const channel of ${JSON.stringify(CHANNEL_NAMES)}) api[channel] = (request) => call(channel, request);
  window.certdesk = Object.freeze(api);
})();\n`;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolveBody, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) {
        reject(new Error('request too large'));
        req.destroy();
      } else chunks.push(c);
    });
    req.on('end', () => resolveBody(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function send(res: ServerResponse, status: number, type: string, body: string | Buffer): void {
  res.writeHead(status, { 'content-type': type, 'content-security-policy': CSP, 'x-content-type-options': 'nosniff', 'cache-control': 'no-store' });
  res.end(body);
}

export async function startHarness(opts: HarnessOptions): Promise<Harness> {
  const uiDir = resolve(opts.uiDir ?? join(import.meta.dirname, '..', '..', 'ui'));
  const token = randomBytes(24).toString('hex');
  const session = new ServiceSession({ vaultPath: opts.vaultPath, vault: opts.vault });
  const service = createHandlerTable(session);
  const record: HostRecord = { prints: [], clipboard: [], dialogs: [] };
  const queued: Record<string, (string | null)[]> = { openVault: [], chooseFolder: [], saveFile: [] };
  const next = (kind: string, fallback: string | null) => (queued[kind]!.length ? queued[kind]!.shift()! : fallback);
  const exportDir = join(opts.workDir, 'export');
  mkdirSync(exportDir, { recursive: true });
  const host: HostHandlers = {
    'dialog.openVault': () => {
      record.dialogs.push('openVault');
      const path = next('openVault', null);
      return path === null ? null : { path };
    },
    'dialog.chooseFolder': () => {
      record.dialogs.push('chooseFolder');
      const path = next('chooseFolder', exportDir);
      return path === null ? null : { path };
    },
    'dialog.saveFile': ({ defaultName }) => {
      record.dialogs.push('saveFile');
      const path = next('saveFile', join(opts.workDir, defaultName));
      return path === null ? null : { path };
    },
    // No printer here: the request is recorded for the test, and the page is told nothing was printed.
    'print.html': ({ html, title, pdf }) => {
      record.prints.push({ html, title, pdf });
      return { done: false, pdfPath: null };
    },
    'clipboard.write': ({ text }) => {
      record.clipboard.push(text);
      return { done: true as const };
    },
  };
  const handlers = { ...service, ...host };
  const bridge = bridgeScript();
  const expected = Buffer.from(token);

  const server = createServer((req, res) => {
    void (async () => {
      const port = (server.address() as AddressInfo).port;
      // Only this origin: a page elsewhere (or a DNS-rebound name) cannot reach the vault.
      if (req.headers.host !== `127.0.0.1:${port}`) return send(res, 403, 'text/plain', 'forbidden host');
      const url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`);
      if (url.pathname.startsWith('/api/')) {
        const given = Buffer.from(String(req.headers['x-certdesk-token'] ?? ''));
        if (req.method !== 'POST' || given.length !== expected.length || !timingSafeEqual(given, expected)) return send(res, 403, 'text/plain', 'forbidden');
        let request: unknown;
        try {
          request = JSON.parse(await readBody(req));
        } catch {
          return send(res, 400, 'text/plain', 'bad request body');
        }
        const result = await dispatch(handlers, decodeURIComponent(url.pathname.slice(5)), request);
        return send(res, 200, 'application/json', JSON.stringify(result));
      }
      if (url.pathname === '/__harness/bridge.js') return send(res, 200, TYPES['.js']!, bridge);
      const rel = normalize(decodeURIComponent(url.pathname === '/' ? '/index.html' : url.pathname)).replace(/^([/\\])+/, '');
      const file = join(uiDir, rel);
      if (!file.startsWith(uiDir + sep)) return send(res, 404, 'text/plain', 'not found');
      try {
        if (!statSync(file).isFile()) throw new Error('not a file');
      } catch {
        return send(res, 404, 'text/plain', 'not found');
      }
      let body: string | Buffer = readFileSync(file);
      if (rel === 'index.html') body = body.toString('utf8').replace('<head>', '<head>\n    <script src="/__harness/bridge.js"></script>');
      return send(res, 200, TYPES[extname(file)] ?? 'application/octet-stream', body);
    })().catch((e: unknown) => send(res, 500, 'text/plain', `harness error: ${(e as Error).message}`));
  });
  await new Promise<void>((ok) => server.listen(opts.port ?? 0, '127.0.0.1', ok));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/?token=${token}`,
    token,
    session,
    record,
    answer: (kind, path) => queued[kind]!.push(path),
    close: async () => {
      await Promise.all([...session.jobs.values()].map((j) => j.finished));
      session.close();
      server.closeAllConnections();
      await new Promise<void>((ok) => server.close(() => ok()));
    },
  };
}
