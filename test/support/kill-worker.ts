/**
 * The crash tests' child process: runs a worker script under tsx and, unless it is to run to
 * its end, kills it with SIGKILL a random moment after it printed its ready line. A worker
 * that runs to its end must exit 0 having printed "done".
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';

const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));

export interface WorkerRun {
  /** The worker script and its arguments. */
  readonly script: string;
  readonly args: readonly string[];
  /** The line the worker prints once there is something to interrupt. */
  readonly readyLine: string;
  /** How long after the ready line to kill it. */
  readonly killAfterMs: () => number;
  /** A worker that hangs is killed after this long. */
  readonly timeoutMs: number;
  readonly toEnd: boolean;
}

export async function runWorker(run: WorkerRun): Promise<'killed' | 'done'> {
  const child = spawn(process.execPath, ['--import', 'tsx', run.script, ...run.args], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const exited = once(child, 'exit');
  const ready = new Promise<void>((resolve) => {
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      if (stdout.includes(`${run.readyLine}\n`) || stdout.includes('done\n')) resolve();
    });
  });
  const limit = setTimeout(() => child.kill('SIGKILL'), run.timeoutMs);
  try {
    if (!run.toEnd) {
      await Promise.race([ready, exited]);
      await new Promise((resolve) => setTimeout(resolve, run.killAfterMs()));
      child.kill('SIGKILL');
    }
    const [code, signal] = await exited;
    if (signal === 'SIGKILL') return 'killed';
    expect(code, stderr).toBe(0);
    expect(stdout).toContain('done\n');
    return 'done';
  } finally {
    clearTimeout(limit);
  }
}
