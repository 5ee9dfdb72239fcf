/**
 * Herald servers for tests: in process (fast, with inject()) or as a real child process (for
 * crash tests and CLI tests), each on its own temporary data directory.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { loadConfig } from '../../src/server/config.js';
import { startServer, type RunningServer } from '../../src/server/start.js';

export const ROOT = new URL('../../', import.meta.url).pathname;

export function tempDir(prefix = 'herald-test-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Starts Herald in this process on a free port; flags as `herald start` takes them. */
export async function startTestServer(flags: Record<string, string> = {}): Promise<RunningServer> {
  const config = loadConfig({ port: '0', 'log-level': 'silent', 'data-dir': tempDir(), ...flags }, {});
  return startServer(config, { log: false });
}

export interface HeraldProcess {
  child: ChildProcess;
  url: string;
  /** Resolves with the exit code (or signal) when the process ends. */
  exited: Promise<number | string>;
}

/** Runs `herald start` as a real process and resolves once it listens. */
export async function spawnHerald(dataDir: string, flags: string[] = []): Promise<HeraldProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'src/cli/main.ts'), 'start', '--port', '0', '--data-dir', dataDir, ...flags], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, HERALD_LOG_LEVEL: 'info' },
  });
  const exited = new Promise<number | string>((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal ?? -1)));
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`herald did not start in 20 s: ${stderr}`)), 20_000);
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const match = /"url":"(http:\/\/[^"]+)"/.exec(line);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`herald exited (${code}) before listening: ${stderr}`));
    });
  });
  return { child, url, exited };
}
