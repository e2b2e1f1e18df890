// How the stand-in shows an app:// page in a real Chromium: one HTTP server on 127.0.0.1 per webContents
// that answers every GET from the app's own protocol handler (so Chromium receives exactly what Electron
// would serve, CSP included) and carries the preload's ipcRenderer.invoke calls to ipcMain as calls from
// that webContents' main frame. Requests need the right Host; IPC and the preload need the per-window token.
// Two changes to what the handler sends, both needed by the bridge itself and nothing else: the preload
// script is added to index.html (Electron injects it without a tag), and the CSP allows connect-src 'self'
// (the bridge's fetch calls; Electron's IPC needs none).
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { invokeFrom } from './ipc-main.js';
import { preloadScript } from './preload-shim.js';
import { fetchThroughProtocol } from './protocol.js';
import type { WebContents } from './windows.js';

const MAX_BODY = 50 * 1024 * 1024;

export interface Bridge {
  /** The http URL Chromium opens for an app:// URL of this webContents (with the token). */
  pageUrl(appUrl: string): string;
  close(): Promise<void>;
}

const bridges = new Map<WebContents, Bridge & { server: Server }>();

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) {
        reject(new Error('request too large'));
        req.destroy();
      } else chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function reply(res: ServerResponse, status: number, type: string, body: string | Buffer, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store', ...headers });
  res.end(body);
}

export async function bridgeFor(contents: WebContents): Promise<Bridge> {
  const existing = bridges.get(contents);
  if (existing) return existing;
  const token = randomBytes(24).toString('hex');
  const expected = Buffer.from(token);
  const tokenOk = (given: string | null | undefined) => {
    const g = Buffer.from(given ?? '');
    return g.length === expected.length && timingSafeEqual(g, expected);
  };
  let origin = '';
  let appBase = ''; // scheme and host of the app:// page this webContents loaded
  const server = createServer((req, res) => {
    void (async () => {
      if (`http://${req.headers.host}` !== origin) return reply(res, 403, 'text/plain', 'forbidden host');
      const url = new URL(req.url ?? '/', origin);
      if (url.pathname.startsWith('/__standin/ipc/')) {
        if (req.method !== 'POST' || !tokenOk(String(req.headers['x-standin-token'] ?? ''))) return reply(res, 403, 'text/plain', 'forbidden');
        const channel = decodeURIComponent(url.pathname.slice('/__standin/ipc/'.length));
        const { args } = JSON.parse(await readBody(req)) as { args: unknown[] };
        const restored = args.map((a) => (a && typeof a === 'object' && (a as { __undefined?: boolean }).__undefined ? undefined : a));
        try {
          const result = await invokeFrom(contents, contents.mainFrame, channel, ...restored);
          return reply(res, 200, 'application/json', JSON.stringify({ result }));
        } catch (e) {
          return reply(res, 500, 'application/json', JSON.stringify({ error: (e as Error).message }));
        }
      }
      if (url.pathname === '/__standin/preload.js') {
        const preload = contents.webPreferences.preload;
        if (!tokenOk(url.searchParams.get('token')) || typeof preload !== 'string') return reply(res, 403, 'text/plain', 'forbidden');
        return reply(res, 200, 'text/javascript; charset=utf-8', preloadScript(preload, token, contents.webPreferences.contextIsolation !== false));
      }
      if (req.method !== 'GET' && req.method !== 'HEAD') return reply(res, 405, 'text/plain', 'method not allowed');
      const { response } = await fetchThroughProtocol(`${appBase}${url.pathname}${url.search}`, { method: req.method });
      const headers = Object.fromEntries(response.headers.entries());
      if (headers['content-security-policy']) headers['content-security-policy'] = headers['content-security-policy'].replace("connect-src 'none'", "connect-src 'self'");
      let body: Buffer = Buffer.from(await response.arrayBuffer());
      const withPreload = tokenOk(url.searchParams.get('token')) && typeof contents.webPreferences.preload === 'string';
      if (withPreload && (headers['content-type'] ?? '').startsWith('text/html')) {
        const tag = `<script src="/__standin/preload.js?token=${token}"></script>`;
        body = Buffer.from(body.toString('utf8').replace(/<head>/i, `<head>\n    ${tag}`));
      }
      delete headers['content-length'];
      res.writeHead(response.status, headers);
      res.end(body);
    })().catch((e: unknown) => reply(res, 500, 'text/plain', `stand-in bridge error: ${(e as Error).message}`));
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  server.unref();
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const bridge = {
    server,
    pageUrl(appUrl: string) {
      const u = new URL(appUrl);
      appBase = `${u.protocol}//${u.host}`;
      const page = new URL(`${u.pathname}${u.search}`, origin);
      page.searchParams.set('token', token);
      return page.href;
    },
    close: async () => {
      bridges.delete(contents);
      server.closeAllConnections();
      await new Promise<void>((ok) => server.close(() => ok()));
    },
  };
  bridges.set(contents, bridge);
  contents.once('destroyed', () => void bridge.close());
  return bridge;
}

/** The bridge of a webContents that showed an app:// page, if any. */
export function existingBridge(contents: WebContents): Bridge | undefined {
  return bridges.get(contents);
}

export async function closeAllBridges(): Promise<void> {
  await Promise.all([...bridges.values()].map((b) => b.close()));
}
