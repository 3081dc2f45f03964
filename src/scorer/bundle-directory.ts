/**
 * Watches a model bundle directory and offers each new version to the model slot. saveBundle
 * replaces the directory by a rename, so the parent is watched (fs.watch, for speed) and the
 * manifest polled as well (watch events are unreliable on network and container volumes). A
 * bundle read while it was being replaced is detected by reading its manifest again afterwards.
 */
import { watch, type FSWatcher } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from 'pino';
import { readBundleArtifacts } from '../model/bundle.js';
import type { ModelSlot } from './model-slot.js';

export class BundleDirectoryWatcher {
  private timer: NodeJS.Timeout | undefined;
  private watcher: FSWatcher | undefined;
  private lastVersion: string | undefined;
  private checking: Promise<void> | undefined;
  private again = false;
  private stopped = false;

  constructor(
    private readonly dir: string,
    private readonly slot: ModelSlot,
    private readonly logger: Logger,
    private readonly pollMs = 2000,
  ) {}

  /** Offers what the directory holds now, then keeps watching. */
  async start(): Promise<void> {
    await this.check();
    this.timer = setInterval(() => void this.check(), this.pollMs).unref();
    try {
      this.watcher = watch(path.dirname(path.resolve(this.dir)), { persistent: false }, (_event, file) => {
        if (file === null || file.toString() === path.basename(path.resolve(this.dir))) void this.check();
      });
      this.watcher.on('error', () => this.watcher?.close());
    } catch {
      // The parent may not exist yet; polling covers it.
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.watcher?.close();
    await this.checking;
  }

  /** One check at a time; a check asked for meanwhile runs once more afterwards. */
  check(): Promise<void> {
    if (this.checking) {
      this.again = true;
      return this.checking;
    }
    this.checking = (async () => {
      do {
        this.again = false;
        await this.checkOnce();
      } while (this.again && !this.stopped);
    })().finally(() => (this.checking = undefined));
    return this.checking;
  }

  private async checkOnce(): Promise<void> {
    const version = await this.manifestVersion();
    if (version === undefined || version === this.lastVersion) return;
    try {
      const artifacts = await readBundleArtifacts(this.dir);
      // Replaced while we read it: the next check reads the new one whole.
      if (artifacts.manifest.version !== version || (await this.manifestVersion()) !== version) return;
      this.lastVersion = version;
      await this.slot.offer(artifacts, 'directory', this.dir);
    } catch (err) {
      this.lastVersion = version;
      this.logger.error({ err, dir: this.dir }, 'cannot read the model bundle directory');
    }
  }

  private async manifestVersion(): Promise<string | undefined> {
    try {
      const manifest = JSON.parse(await readFile(path.join(this.dir, 'bundle.json'), 'utf8')) as { version?: unknown };
      return typeof manifest.version === 'string' ? manifest.version : undefined;
    } catch {
      return undefined; // absent, or half replaced
    }
  }
}
