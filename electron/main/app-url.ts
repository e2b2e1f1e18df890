// The renderer's own URL scheme, app://certdesk/, and the one check main uses for it (the protocol handler
// and the IPC sender check both call isAppUrl).
//
// Why not `new URL(u).origin === 'app://certdesk'`: in the main process `URL` is Node's WHATWG URL, and
// for a scheme that is not one of the spec's special schemes (http, https, ws, wss, ftp, file) `origin`
// is the string "null" (https://url.spec.whatwg.org/#concept-url-origin). Chromium knows that `app` is
// registered as a standard scheme (protocol.registerSchemesAsPrivileged); Node does not. So the scheme
// and host are compared explicitly. No `electron` import: this runs under plain Node in the tests.

export const APP_SCHEME = 'app';
export const APP_HOST = 'certdesk';
/** The renderer's base, for building URLs (never for comparing them). */
export const APP_BASE = `${APP_SCHEME}://${APP_HOST}`;

/**
 * True when `url` is exactly on app://certdesk: scheme `app`, host `certdesk` (lower case, as Chromium
 * canonicalises a standard scheme's host before main sees it), and no user, password or port.
 * Look-alikes are false: app://certdesk.evil/, app://CERTDESK/ (Node keeps a non-special host's case),
 * app:certdesk (no authority), app://user@certdesk/, app://certdesk:1/, file:, http://certdesk/.
 * Never throws: an unparsable URL is false.
 */
export function isAppUrl(url: string): boolean {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return false;
  }
  return u.protocol === `${APP_SCHEME}:` && u.hostname === APP_HOST && u.port === '' && u.username === '' && u.password === '';
}

/** app://certdesk/<path> for a path inside the renderer, e.g. appUrl('index.html'). */
export function appUrl(path: string): string {
  return `${APP_BASE}/${path.replace(/^\/+/, '')}`;
}
