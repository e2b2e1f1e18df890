// The one check main makes of app://certdesk URLs (the protocol handler and the IPC sender check both use
// it), and which renderer file a request names. Plain functions: no Electron, no stand-in.
import assert from 'node:assert/strict';
import { join, sep } from 'node:path';
import { test } from 'node:test';
import { appUrl, isAppUrl } from '../../electron/main/app-url.js';
import { contentTypeOf, rendererFileFor } from '../../electron/main/renderer-files.js';

test('isAppUrl accepts app://certdesk and nothing that only looks like it', () => {
  for (const good of ['app://certdesk/', 'app://certdesk/index.html', 'app://certdesk/assets/x.js?v=1#top', appUrl('index.html')]) {
    assert.equal(isAppUrl(good), true, good);
  }
  // Node's URL gives "null" as the origin of every one of these: comparing origins would accept none of
  // them, and none of the real ones either (the launch bug this replaces).
  assert.equal(new URL('app://certdesk/index.html').origin, 'null');
  const lookAlikes = [
    'app://certdesk.evil/',
    'app://certdesk.evil/index.html',
    'app://evil.certdesk/',
    'app://CERTDESK/', // Node keeps a non-special host's case; Chromium lower-cases it before main sees it
    'app:certdesk', // no authority: host '' and path 'certdesk'
    'app:/certdesk/index.html',
    'app:///certdesk/index.html',
    'app://user@certdesk/',
    'app://user:pw@certdesk/',
    'app://certdesk:8080/',
    'apps://certdesk/',
    'file:///certdesk/index.html',
    'file://certdesk/index.html',
    'http://certdesk/',
    'https://certdesk/index.html',
    'null',
    '',
    'not a url',
  ];
  for (const bad of lookAlikes) assert.equal(isAppUrl(bad), false, bad);
});

test('rendererFileFor maps app:// paths into the renderer folder and refuses every way out', () => {
  const root = join(sep, 'opt', 'certdesk', 'dist', 'ui');
  assert.equal(rendererFileFor(root, 'app://certdesk/'), join(root, 'index.html'));
  assert.equal(rendererFileFor(root, 'app://certdesk/index.html?x=1#y'), join(root, 'index.html'));
  assert.equal(rendererFileFor(root, 'app://certdesk/assets/index-abc.js'), join(root, 'assets', 'index-abc.js'));
  assert.equal(rendererFileFor(root, 'app://certdesk/assets/a%20b.css'), join(root, 'assets', 'a b.css'));
  // Dot segments, literal or encoded, are collapsed by the URL parser and stay inside the root.
  assert.equal(rendererFileFor(root, 'app://certdesk/../../etc/passwd'), join(root, 'etc', 'passwd'));
  assert.equal(rendererFileFor(root, 'app://certdesk/%2e%2e/%2E%2E/package.json'), join(root, 'package.json'));
  assert.equal(rendererFileFor(root, 'app://certdesk/assets/.%2e/index.html'), join(root, 'index.html'));
  const refused = [
    'app://certdesk/..%2f..%2fpackage.json', // an encoded slash inside a segment
    'app://certdesk/%2e%2e%2f%2e%2e%2fpackage.json',
    'app://certdesk/..%5c..%5cpackage.json', // an encoded backslash
    'app://certdesk/assets\\..\\..\\package.json', // a literal backslash (a separator on Windows)
    'app://certdesk/%2fetc%2fpasswd', // an absolute path in one segment
    'app://certdesk//etc/passwd', // an empty segment
    'app://certdesk/C:%5cWindows%5cwin.ini', // a drive letter
    'app://certdesk/index.html:stream', // an alternate data stream
    'app://certdesk/index.html%00.png', // a NUL
    'app://certdesk/%E0%A4%A', // bad percent encoding
    'app://certdesk/assets/', // a folder (empty last segment)
    'app://other/index.html',
    'app://certdesk.evil/index.html',
    'app://CERTDESK/index.html',
    'file:///opt/certdesk/dist/ui/index.html',
  ];
  for (const url of refused) assert.equal(rendererFileFor(root, url), null, url);
});

test('content types of what Vite emits', () => {
  assert.equal(contentTypeOf('index.html'), 'text/html; charset=utf-8');
  assert.equal(contentTypeOf('a/B.JS'), 'text/javascript; charset=utf-8');
  assert.equal(contentTypeOf('x.css'), 'text/css; charset=utf-8');
  assert.equal(contentTypeOf('icon.png'), 'image/png');
  assert.equal(contentTypeOf('x.js.map'), 'application/json');
  assert.equal(contentTypeOf('unknown.bin'), 'application/octet-stream');
});

test('the renderer\'s Content-Security-Policy allows only the app\'s own files and nothing remote', async () => {
  const { CSP } = await import('../../electron/main/csp.js');
  const directives = new Map(CSP.split(';').map((d) => d.trim().split(/\s+/)).map(([name, ...values]) => [name!, values.sort()]));
  assert.deepEqual(Object.fromEntries(directives), {
    'default-src': ["'none'"],
    'script-src': ["'self'"], // no 'unsafe-inline', no 'unsafe-eval', no remote origin
    'style-src': ["'self'", "'unsafe-inline'"], // the print previews' self-contained HTML
    'img-src': ["'self'", 'data:'],
    'font-src': ["'self'"],
    'connect-src': ["'none'"], // the renderer fetches nothing; IPC is not a fetch
    'frame-src': ["'self'"],
    'child-src': ["'self'"],
    'object-src': ["'none'"],
    'base-uri': ["'none'"],
    'form-action': ["'none'"],
    'frame-ancestors': ["'self'"],
  });
});
