// Stand-in for Electron's `protocol` (https://www.electronjs.org/docs/latest/api/protocol): privileged
// schemes registered before 'ready', handlers registered after it, and requests for a handled scheme
// answered by the handler with the WHATWG Request/Response Node provides (as Electron's main process does).
import { app } from './app.js';

interface Privileges {
  standard?: boolean;
  secure?: boolean;
  supportFetchAPI?: boolean;
  [key: string]: boolean | undefined;
}
type Handler = (request: Request) => Response | Promise<Response>;

const privileged = new Map<string, Privileges>();
const handlers = new Map<string, Handler>();

export const protocol = {
  /** "This method can only be used before the ready event of the app module gets emitted and can be called only once." */
  registerSchemesAsPrivileged(schemes: { scheme: string; privileges?: Privileges }[]): void {
    if (app.isReady()) throw new Error('protocol.registerSchemesAsPrivileged should be called before app is ready');
    if (privileged.size > 0) throw new Error('protocol.registerSchemesAsPrivileged can be called only once');
    for (const s of schemes) privileged.set(s.scheme, { ...s.privileges });
  },
  /** "All methods unless specified can only be used after the ready event"; a second handler for a scheme throws. */
  handle(scheme: string, handler: Handler): void {
    if (!app.isReady()) throw new Error('protocol.handle can only be used after the app is ready');
    if (handlers.has(scheme)) throw new Error(`Failed to register protocol: ${scheme}`);
    handlers.set(scheme, handler);
  },
  unhandle(scheme: string): void {
    handlers.delete(scheme);
  },
  isProtocolHandled(scheme: string): boolean {
    return handlers.has(scheme);
  },
};

/** What the app registered with registerSchemesAsPrivileged, for tests. */
export function privilegesOf(scheme: string): Privileges | undefined {
  return privileged.get(scheme);
}

function schemeOf(url: string): string {
  return /^([a-z][a-z0-9+.-]*):/i.exec(url)?.[1]?.toLowerCase() ?? '';
}

export function isHandledScheme(url: string): boolean {
  return handlers.has(schemeOf(url));
}

/**
 * Chromium canonicalises the URL of a standard scheme before a handler sees it (GURL: lower-case scheme
 * and host, dot segments resolved, as the WHATWG parser does); other schemes arrive as written.
 */
export function canonicalUrl(url: string): string {
  const scheme = schemeOf(url);
  if (!privileged.get(scheme)?.standard) return url;
  const u = new URL(url);
  u.hostname = u.hostname.toLowerCase();
  return u.href;
}

/** A request for a handled scheme, as the renderer (or loadURL) would make it: the handler's Response. */
export async function fetchThroughProtocol(url: string, init?: RequestInit): Promise<{ url: string; response: Response }> {
  const canonical = canonicalUrl(url);
  const handler = handlers.get(schemeOf(canonical));
  if (!handler) throw new Error(`stand-in: no protocol handler for ${schemeOf(url)}:`);
  const response = await handler(new Request(canonical, init));
  if (!(response instanceof Response)) throw new Error('the protocol handler must return a Response');
  return { url: canonical, response };
}
