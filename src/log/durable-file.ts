/**
 * Small files that must survive a crash whole or not at all (topic metadata, committed offsets,
 * segment indexes): write a temporary file, fsync it, rename it over the target, fsync the
 * directory so the rename itself is durable.
 */
import { open, rename, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { randomBytes } from 'node:crypto';

/** Prefix of temporary files; anything carrying it in a data directory is leftover from a crash. */
export const TEMP_PREFIX = '.tmp-';

export async function writeFileAtomic(path: string, data: Buffer | string, sync = true): Promise<void> {
  const dir = dirname(path);
  const temp = `${dir}/${TEMP_PREFIX}${randomBytes(6).toString('hex')}`;
  const handle = await open(temp, 'w');
  try {
    await handle.writeFile(data);
    if (sync) await handle.sync();
  } catch (err) {
    await handle.close();
    await rm(temp, { force: true });
    throw err;
  }
  await handle.close();
  await rename(temp, path);
  if (sync) await syncDirectory(dir);
}

/** Makes entries created, renamed or removed in `dir` durable. */
export async function syncDirectory(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
