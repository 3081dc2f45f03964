/**
 * The topics a request sees: a snapshot of the log's topics that the sandbox pass can change
 * without touching the log, and that the execution pass keeps in step with the log.
 */
import type { TopicDescription, TopicLog } from '../../log/topic-log.js';

export interface TopicInfo {
  readonly name: string;
  readonly partitions: number;
  readonly replicas: number;
}

export class TopicCatalog {
  private readonly topics: Map<string, TopicInfo>;

  constructor(topics: Iterable<TopicInfo>) {
    this.topics = new Map([...topics].map((t) => [t.name, t]));
  }

  static async load(log: TopicLog): Promise<TopicCatalog> {
    const list: TopicDescription[] = await log.listTopics();
    return new TopicCatalog(list.map((t) => ({ name: t.name, partitions: t.partitions, replicas: t.replicas })));
  }

  copy(): TopicCatalog {
    return new TopicCatalog(this.topics.values());
  }

  get(name: string): TopicInfo | undefined {
    return this.topics.get(name);
  }

  has(name: string): boolean {
    return this.topics.has(name);
  }

  put(info: TopicInfo): void {
    this.topics.set(info.name, info);
  }

  delete(name: string): void {
    this.topics.delete(name);
  }

  list(): TopicInfo[] {
    return [...this.topics.values()].sort((a, b) => a.name.localeCompare(b.name));
  }
}
