// test/helpers/nginx.ts under parallel test files: a port taken between freePort() and nginx's bind is
// reported as taken (so startNginx retries on another port), and nginx on a free port answers over TLS.
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { test } from 'node:test';
import { startNginx, startNginxOnce } from '../helpers/nginx.js';
import { needTools, run, runOk } from '../helpers/tools.js';
import { tempDir } from '../helpers/tmp.js';

/** A self-signed P-256 server certificate for 127.0.0.1, also used as the client CA file (nginx only parses it). */
function serverFiles(dir: string): { certFile: string; keyFile: string; clientCaFile: string } {
  const certFile = join(dir, 'server.pem');
  const keyFile = join(dir, 'server.key');
  runOk('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', keyFile, '-out', certFile,
    '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1']);
  return { certFile, keyFile, clientCaFile: certFile };
}

test('a port another process holds is reported as taken, with nginx\'s bind error; startNginx then serves on a free port', { timeout: 120_000 }, async (t) => {
  if (!needTools(t, 'openssl', 'nginx', 'curl')) return;
  const dir = tempDir(t);
  const files = serverFiles(dir);

  const holder: Server = createServer();
  await new Promise<void>((ok) => holder.listen(0, '127.0.0.1', ok));
  t.after(() => holder.close());
  const taken = (holder.address() as { port: number }).port;

  const once = await startNginxOnce(t, join(dir, 'taken'), files, taken);
  assert.ok(!('port' in once), `nginx claimed port ${taken}, which another server holds`);
  assert.equal(once.portTaken, true, once.error);
  assert.match(once.error, new RegExp(`^nginx did not start on 127\\.0\\.0\\.1:${taken}\\n[^]*Address already in use`));

  const nginx = await startNginx(t, dir, files);
  assert.notEqual(nginx.port, taken);
  // Without a client certificate nginx answers 400 ("No required SSL certificate was sent"): it is our TLS server.
  const r = run('curl', ['-sS', '-o', '/dev/null', '-w', '%{http_code}', '--cacert', files.certFile, nginx.url]);
  assert.equal(r.stdout, '400', r.stderr);
});
