// certdesk issue-batch: validation report, progress line on a terminal, Ctrl-C stops cleanly (resumable).
import { resolve } from 'node:path';
import type { KeyType, PfxEncryption } from '../../shared/domain.js';
import { CertDeskError } from '../../shared/errors.js';
import { runBatch, type BatchProgress } from '../core/batch/run-batch.js';
import type { CommandContext, CommandResult } from './context.js';
import { checkOutside, devicesOption } from './handover.js';
import { escapeTerminal } from './terminal-text.js';
import { UsageError } from './usage.js';

function bar(p: BatchProgress): string {
  const width = 24;
  const filled = p.total ? Math.round((p.done / p.total) * width) : width;
  const eta = p.etaSeconds === null ? '' : ` ${Math.floor(p.etaSeconds / 60)}m${String(p.etaSeconds % 60).padStart(2, '0')}s left`;
  const who = p.current ? `  ${escapeTerminal([...p.current].slice(0, 30).join(''))}` : '';
  return `\r[${'#'.repeat(filled)}${' '.repeat(width - filled)}] ${p.done}/${p.total}${eta}${who}\x1b[K`;
}

export async function issueBatch(ctx: CommandContext, keyType: KeyType | undefined): Promise<CommandResult> {
  const csvPath = ctx.required('csv');
  const out = ctx.required('out');
  const passwords = ctx.required('passwords');
  checkOutside(out, passwords, '--passwords');
  const pfx = ctx.str('pfx');
  if (pfx !== undefined && pfx !== 'modern' && pfx !== 'legacy') throw new UsageError('--pfx is modern or legacy');
  const devices = await devicesOption(ctx, pfx);
  const workers = ctx.int('workers');
  if (workers !== undefined && (workers < 1 || workers > 64)) throw new UsageError('--workers takes 1 to 64');
  const csv = ctx.readInput(csvPath, 'csv');
  const ca = ctx.required('ca');
  const profile = ctx.required('profile');
  const vault = await ctx.vault();

  const controller = new AbortController();
  const onSigint = () => {
    ctx.io.stderr.write('\nStopping after the rows in progress; run the same command again to resume.\n');
    controller.abort();
  };
  process.on('SIGINT', onSigint);
  const tty = ctx.io.stderr.isTTY === true && !ctx.json;
  try {
    const report = await runBatch(vault, {
      ca,
      profile,
      csv,
      sourceName: resolve(csvPath),
      outDir: out,
      passwordsFile: passwords,
      keyType,
      encryption: pfx as PfxEncryption | undefined,
      devices,
      dryRun: ctx.flag('dry-run'),
      workers,
      signal: controller.signal,
      onProgress: tty ? (p) => ctx.io.stderr.write(bar(p)) : undefined,
    });
    if (tty) ctx.io.stderr.write('\n');
    if (report.problems.length) {
      const lines = report.problems.map((p) => `  line ${p.line}${p.column ? `, ${p.column}` : ''}: ${p.reason}`).join('\n');
      throw new CertDeskError('INVALID_INPUT', `${csvPath}: ${report.problems.length} problem(s); nothing was issued:\n${lines}`, { problems: report.problems });
    }
    if (report.dryRun) {
      return { data: { batch: report }, text: `${csvPath}: all ${report.total} row(s) are valid for profile ${profile} at CA ${ca}. Nothing was issued (dry run).\n` };
    }
    const summary =
      `Issued ${report.issued} certificate(s)` +
      (report.alreadyDone ? `; ${report.alreadyDone} were done by an earlier run` : '') +
      (report.redelivered ? `; ${report.redelivered} bundle(s) written again after an interruption` : '') +
      '.\n' +
      (report.remaining ? `Stopped with ${report.remaining} row(s) to go: run the same command again to resume.\n` : '') +
      `Bundles: ${out}\nPasswords: ${passwords} (keep it apart from the bundles)\n` +
      `Batch ${report.batchId.slice(0, 16)} (Windows account mappings: certdesk ad-mapping --batch ${report.batchId.slice(0, 16)})\n`;
    if (report.remaining) throw new CertDeskError('INVALID_INPUT', summary.trimEnd(), { batch: report });
    return { data: { batch: report }, text: summary };
  } finally {
    process.off('SIGINT', onSigint);
  }
}
