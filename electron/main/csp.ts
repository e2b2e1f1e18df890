// The renderer's Content-Security-Policy, in its own module (no electron import) so the test harness
// serves the very same policy. Styles may be inline: the print previews show the bundle's own
// self-contained HTML pages in a sandboxed iframe. Scripts come only from the app's own files, and
// nothing is fetched from anywhere.
// Set by assigning the literal policy to a header name: that is the form Electronegativity's CSP check
// recognises (it looks for `x['content-security-policy'] = '...'`), so it finds this policy and evaluates
// it, instead of reporting that the app has none (test/security/electronegativity.test.ts).
export const SECURITY_HEADERS = { 'content-security-policy': '' };
SECURITY_HEADERS['content-security-policy'] =
  "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self'; connect-src 'none'; frame-src 'self'; child-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'self'";
export const CSP = SECURITY_HEADERS['content-security-policy'];
