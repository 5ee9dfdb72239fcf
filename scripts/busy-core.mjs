#!/usr/bin/env node
// Runs a command while another process keeps one CPU core busy, to show that tests wait for
// conditions and not for time (issue 10, item 11): a test that passes only on an idle machine fails
// here.
//
//   node scripts/busy-core.mjs npm test -- test/api test/delivery
//   HERALD_BUSY_CORES=2 node scripts/busy-core.mjs npm test -- test/crash
//
// The spinner is a child process in a tight loop (HERALD_BUSY_CORES of them, default 1); it is
// ended when the command ends, and the command's exit code is this script's.
import { spawn } from 'node:child_process';

const [command, ...args] = process.argv.slice(2);
if (!command) {
  process.stderr.write('usage: node scripts/busy-core.mjs <command> [args…]\n');
  process.exit(2);
}
const cores = Number(process.env.HERALD_BUSY_CORES ?? '1');
if (!Number.isInteger(cores) || cores < 1) {
  process.stderr.write('HERALD_BUSY_CORES must be a whole number of at least 1\n');
  process.exit(2);
}

const SPIN = 'for (;;) { for (let i = 0; i < 1e7; i++); }';
const spinners = Array.from({ length: cores }, () => spawn(process.execPath, ['-e', SPIN], { stdio: 'ignore' }));
const stopSpinners = () => {
  for (const spinner of spinners) if (spinner.exitCode === null && spinner.signalCode === null) spinner.kill('SIGKILL');
};
process.stderr.write(`busy-core: ${cores} spinning process(es) (pid ${spinners.map((s) => s.pid).join(', ')}) while running: ${[command, ...args].join(' ')}\n`);

const started = Date.now();
const child = spawn(command, args, { stdio: 'inherit' });
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    child.kill(signal);
  });
}
child.on('error', (error) => {
  stopSpinners();
  process.stderr.write(`busy-core: cannot run ${command}: ${error.message}\n`);
  process.exit(127);
});
child.on('exit', (code, signal) => {
  stopSpinners();
  process.stderr.write(`busy-core: the command ended (${signal ?? `exit ${code}`}) after ${((Date.now() - started) / 1000).toFixed(1)} s under load\n`);
  process.exit(code ?? 1);
});
