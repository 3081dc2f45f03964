/**
 * Consumer groups' committed offsets for the file log: one small JSON file per group, replaced
 * atomically on every commit, so a crash leaves either the old or the new offsets.
 */
import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { CommittedOffsets } from './committed-offsets.js';
import { TEMP_PREFIX, writeFileAtomic } from './durable-file.js';
import type { TopicPartitionOffset } from './topic-log.js';

const GROUP_FILE_SUFFIX = '.json';
const MAX_READABLE_FILE_NAME = 200;

interface GroupFile {
  readonly groupId: string;
  readonly offsets: readonly TopicPartitionOffset[];
}

export class GroupOffsetStore {
  private readonly groups = new CommittedOffsets();
  /** Per group, the last write, so writes of one group land in commit order. */
  private readonly writes = new Map<string, Promise<void>>();
  /** Per group, a write queued but not started: later commits ride along with it. */
  private readonly queuedWrites = new Map<string, Promise<void>>();

  private constructor(
    private readonly dir: string,
    private readonly sync: boolean,
  ) {}

  static async open(
    dir: string,
    sync: boolean,
    onUnreadable: (path: string) => void,
  ): Promise<GroupOffsetStore> {
    await mkdir(dir, { recursive: true });
    const store = new GroupOffsetStore(dir, sync);
    for (const name of await readdir(dir)) {
      const path = join(dir, name);
      if (name.startsWith(TEMP_PREFIX)) {
        await rm(path, { force: true });
        continue;
      }
      if (!name.endsWith(GROUP_FILE_SUFFIX)) continue;
      const file = parseGroupFile(await readFile(path, 'utf8'));
      if (file === undefined) {
        // Only possible without fsync (policy 'never') after a power loss. Losing committed
        // offsets means reprocessing from the reset position, which at-least-once allows.
        onUnreadable(path);
        continue;
      }
      store.groups.load(file.groupId, file.offsets);
    }
    return store;
  }

  committed(groupId: string, topic: string): TopicPartitionOffset[] {
    return this.groups.committed(groupId, topic);
  }

  commit(groupId: string, offsets: readonly TopicPartitionOffset[]): Promise<void> {
    this.groups.commit(groupId, offsets);
    return this.persist(groupId);
  }

  /** Forgets a deleted topic's offsets, as Kafka does. */
  async dropTopic(topic: string): Promise<void> {
    const changed = this.groups.dropTopic(topic);
    await Promise.all(changed.map((groupId) => this.persist(groupId)));
  }

  /** Waits for writes in flight. */
  async flush(): Promise<void> {
    await Promise.allSettled(this.writes.values());
  }

  private persist(groupId: string): Promise<void> {
    const queued = this.queuedWrites.get(groupId);
    if (queued !== undefined) return queued;
    const previous = this.writes.get(groupId) ?? Promise.resolve();
    const write = previous
      .catch(() => undefined)
      .then(() => {
        this.queuedWrites.delete(groupId);
        // Written at its turn, so it carries every commit made before it.
        const file: GroupFile = {
          groupId,
          offsets: this.groups.ofGroup(groupId),
        };
        return writeFileAtomic(join(this.dir, groupFileName(groupId)), JSON.stringify(file), this.sync);
      });
    this.writes.set(groupId, write);
    this.queuedWrites.set(groupId, write);
    void write.finally(() => {
      if (this.writes.get(groupId) === write) this.writes.delete(groupId);
    }).catch(() => undefined);
    return write;
  }
}

function parseGroupFile(text: string): GroupFile | undefined {
  try {
    const file = JSON.parse(text) as Partial<GroupFile>;
    if (typeof file.groupId !== 'string' || !Array.isArray(file.offsets)) return undefined;
    return file as GroupFile;
  } catch {
    return undefined;
  }
}

/** A readable, file-system-safe name; long ids fall back to a hash (the file holds the real id). */
function groupFileName(groupId: string): string {
  const readable = encodeURIComponent(groupId).replace(
    /[.!~*'()]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  const stem =
    readable.length <= MAX_READABLE_FILE_NAME
      ? readable
      : createHash('sha256').update(groupId).digest('hex');
  return stem + GROUP_FILE_SUFFIX;
}
