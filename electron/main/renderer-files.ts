// Serving the built renderer (dist/ui) for the app:// protocol handler: which file a request names, its
// content type, and the response with the security headers. Plain Node (fs, the WHATWG Request/Response
// that Electron's protocol.handle uses), so the tests run exactly this code.
import { readFile } from 'node:fs/promises';
import { extname, join, resolve, sep } from 'node:path';
import { isAppUrl } from './app-url.js';
import { SECURITY_HEADERS } from './csp.js';

/** Content types of what Vite emits into dist/ui; anything else is served as opaque bytes. */
const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.map': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.txt': 'text/plain; charset=utf-8',
};

export function contentTypeOf(file: string): string {
  return CONTENT_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream';
}

/**
 * The file inside `rootDir` that an app://certdesk/ URL names, or null when it names none: another
 * scheme or host, an empty, `.` or `..` segment, a segment that decodes to a separator (`%2f`, `%5c`),
 * a backslash, a NUL, a colon (Windows drive letters and alternate data streams), or bad percent
 * encoding. `/` is index.html. Query and fragment are ignored. Literal and `%2e%2e` dot segments are
 * already collapsed by the URL parser (WHATWG URL, path state), which keeps them inside the root.
 */
export function rendererFileFor(rootDir: string, url: string): string | null {
  if (!isAppUrl(url)) return null;
  const root = resolve(rootDir);
  const pathname = new URL(url).pathname;
  const raw = pathname === '/' ? ['index.html'] : pathname.slice(1).split('/');
  const segments: string[] = [];
  for (const part of raw) {
    let seg: string;
    try {
      seg = decodeURIComponent(part);
    } catch {
      return null;
    }
    if (seg === '' || seg === '.' || seg === '..' || /[/\\:\0]/.test(seg)) return null;
    segments.push(seg);
  }
  const file = join(root, ...segments);
  return file.startsWith(root + sep) ? file : null;
}

function refuse(status: number, text: string): Response {
  return new Response(text, { status, headers: { 'content-type': 'text/plain; charset=utf-8', ...SECURITY_HEADERS, 'x-content-type-options': 'nosniff' } });
}

/**
 * The protocol handler's answer to one request: the file with its content type, the renderer's
 * Content-Security-Policy and nosniff; 404 for anything outside `rootDir` or missing, 405 for a method
 * other than GET or HEAD. Electron: https://www.electronjs.org/docs/latest/api/protocol#protocolhandlescheme-handler
 */
export async function serveRendererRequest(rootDir: string, request: Request): Promise<Response> {
  if (request.method !== 'GET' && request.method !== 'HEAD') return refuse(405, 'method not allowed');
  const file = rendererFileFor(rootDir, request.url);
  if (!file) return refuse(404, 'not found');
  let body: Buffer;
  try {
    body = await readFile(file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'EISDIR' || code === 'ENOTDIR') return refuse(404, 'not found');
    throw e;
  }
  const headers = { 'content-type': contentTypeOf(file), ...SECURITY_HEADERS, 'x-content-type-options': 'nosniff', 'cache-control': 'no-store' };
  return new Response(request.method === 'HEAD' ? null : body, { status: 200, headers });
}
