/**
 * One process owns a data directory: a lock file holding the owner's pid. A lock whose pid is
 * no longer alive (the owner crashed) is taken over.
 */
import { link, readFile, realpath, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { LogLockedError } from './errors.js';
import { TEMP_PREFIX } from './durable-file.js';

export const LOCK_FILE_NAME = '.lock';

/** Directories locked by this process, so that a lock carrying our own pid can be told apart. */
const lockedHere = new Set<string>();

export interface DirectoryLock {
  release(): Promise<void>;
}

export async function lockDirectory(dir: string): Promise<DirectoryLock> {
  // The real path, so that two spellings of one directory in this process are one lock.
  const path = join(await realpath(dir), LOCK_FILE_NAME);
  // The pid is written first and the lock appears by link(), which fails if it exists: the lock
  // file is never seen empty, and of two processes racing for it exactly one wins.
  const candidate = join(dir, `${TEMP_PREFIX}lock-${randomBytes(6).toString('hex')}`);
  await writeFile(candidate, `${process.pid}\n`);
  try {
    return await takeLock(dir, path, candidate);
  } finally {
    await rm(candidate, { force: true });
  }
}

async function takeLock(dir: string, path: string, candidate: string): Promise<DirectoryLock> {
  // A few rounds: another process may take over the same stale lock at the same moment.
  for (let attempt = 0; attempt < 5; attempt++) {
    try {
      await link(candidate, path);
      lockedHere.add(path);
      return {
        release: async () => {
          lockedHere.delete(path);
          await rm(path, { force: true });
        },
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    const owner = await readOwner(path);
    if (owner !== undefined && isHeldByLiveProcess(path, owner)) throw new LogLockedError(dir, owner);
    await rm(path, { force: true });
  }
  throw new Error(`Could not lock '${dir}': the lock file keeps changing hands.`);
}

async function readOwner(path: string): Promise<number | undefined> {
  try {
    const pid = Number.parseInt(await readFile(path, 'utf8'), 10);
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

function isHeldByLiveProcess(path: string, pid: number): boolean {
  // Our own pid in a lock we did not take is a leftover of an earlier process that had our pid
  // (common in containers, where the server is often pid 1).
  if (pid === process.pid) return lockedHere.has(path);
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
