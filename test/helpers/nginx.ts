// A real nginx for client-certificate tests: started on 127.0.0.1 on a free port with a configuration
// written to the test's temporary folder, stopped by its pid when the test ends.
import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync, mkdirSync, readFileSync, existsSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { join } from 'node:path';
import type { TestContext } from 'node:test';

export interface NginxOptions {
  /** Server certificate chain (PEM: leaf first) and key (PEM). */
  certFile: string;
  keyFile: string;
  /** CA certificates clients must chain to (PEM). */
  clientCaFile: string;
  /** Optional CRL file (PEM, every CA of the chain). */
  crlFile?: string;
}

export interface RunningNginx {
  port: number;
  pid: number;
  url: string;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => (typeof addr === 'object' && addr ? resolve(addr.port) : reject(new Error('no port'))));
    });
  });
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect({ host: '127.0.0.1', port }, () => {
      s.end();
      resolve(true);
    });
    s.on('error', () => resolve(false));
  });
}

export async function startNginx(t: TestContext, dir: string, opts: NginxOptions): Promise<RunningNginx> {
  const port = await freePort();
  const root = join(dir, 'nginx');
  mkdirSync(join(root, 'tmp'), { recursive: true });
  const errorLog = join(root, 'error.log');
  // As root, nginx would switch workers to "nobody", who cannot read the test's private temporary folder.
  const user = process.getuid?.() === 0 ? 'user root;' : '';
  const conf = `${user}
daemon off;
master_process off;
worker_processes 1;
pid ${join(root, 'nginx.pid')};
error_log ${errorLog} info;
events { worker_connections 32; }
http {
  access_log off;
  client_body_temp_path ${join(root, 'tmp')};
  proxy_temp_path ${join(root, 'tmp')};
  fastcgi_temp_path ${join(root, 'tmp')};
  uwsgi_temp_path ${join(root, 'tmp')};
  scgi_temp_path ${join(root, 'tmp')};
  server {
    listen 127.0.0.1:${port} ssl;
    ssl_certificate ${opts.certFile};
    ssl_certificate_key ${opts.keyFile};
    ssl_client_certificate ${opts.clientCaFile};
    ssl_verify_client on;
    ssl_verify_depth 4;
    ${opts.crlFile ? `ssl_crl ${opts.crlFile};` : ''}
    location / { default_type text/plain; return 200 "hello $ssl_client_s_dn\\n"; }
  }
}
`;
  const confFile = join(root, 'nginx.conf');
  writeFileSync(confFile, conf);
  const child: ChildProcess = spawn('nginx', ['-p', root, '-e', errorLog, '-c', confFile], { stdio: 'ignore' });
  let exited = false;
  child.on('exit', () => (exited = true));
  t.after(async () => {
    if (!exited && child.pid) {
      process.kill(child.pid, 'SIGTERM');
      await new Promise<void>((resolve) => (exited ? resolve() : child.once('exit', () => resolve())));
    }
  });
  for (let i = 0; i < 100 && !exited; i++) {
    if (await canConnect(port)) return { port, pid: child.pid!, url: `https://127.0.0.1:${port}/` };
    await new Promise((r) => setTimeout(r, 50));
  }
  const log = existsSync(errorLog) ? readFileSync(errorLog, 'utf8') : '';
  throw new Error(`nginx did not start on 127.0.0.1:${port}\n${log}`);
}
