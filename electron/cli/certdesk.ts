#!/usr/bin/env node
// certdesk: the scripting interface to the CertDesk engine. Exit 0 on success, 1 on an error, 2 on a usage error.
// The commands run in run.ts (runCli); this file gives them the process's arguments and streams.
import { terminalSafe } from './terminal-text.js';
import { runCli } from './run.js';

// A reader that stops early (`certdesk list | head`) closes the pipe: the output it did not read is not an
// error, and the command's work is already done when its one result is written. Other write errors still throw.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code !== 'EPIPE') throw e;
});

runCli(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr }).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(terminalSafe(`certdesk: internal error: ${(e as Error).message}\n`));
    process.exitCode = 1;
  },
);
