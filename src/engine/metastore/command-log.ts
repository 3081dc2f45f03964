/**
 * The command topic (ksqlDB's CommandStore): every executed DDL/DML statement with the
 * property overrides it ran under, so an engine restarted over a durable log can replay its
 * catalogue and queries.
 */
import type { TopicLog } from '../../log/topic-log.js';

/** ksqlDB's command topic name for a ksql.service.id (default 'default_'). */
export function commandTopicName(serviceId: string): string {
  return `_confluent-ksql-${serviceId}_command_topic`;
}

export const COMMAND_TOPIC = commandTopicName('default_');

export interface CommandRecord {
  readonly statement: string;
  readonly streamsProperties: Readonly<Record<string, string>>;
}

export class CommandLog {
  /** Engines with different ksql.service.id values keep apart on one cluster, as ksqlDB servers do. */
  readonly topic: string;

  constructor(
    private readonly log: TopicLog,
    serviceId = 'default_',
  ) {
    this.topic = commandTopicName(serviceId);
  }

  async record(command: CommandRecord): Promise<void> {
    await this.log.ensureTopic(this.topic, { partitions: 1, replicas: 1 });
    await this.log.append(this.topic, [{ key: null, value: Buffer.from(JSON.stringify(command)) }]);
  }

  /** Every recorded command, oldest first; [] when the topic does not exist. */
  async readAll(): Promise<CommandRecord[]> {
    if (!(await this.log.describeTopic(this.topic))) return [];
    const ends = await this.log.endOffsets(this.topic);
    const reader = await this.log.openReader({ topics: [this.topic], start: 'earliest' });
    const commands: CommandRecord[] = [];
    try {
      while (!reader.positions().every((p) => p.offset >= (ends[p.partition] ?? 0))) {
        const records = await reader.poll({ maxRecords: 1000, maxWaitMs: 0 });
        if (records.length === 0) break;
        for (const r of records) if (r.value) commands.push(JSON.parse(r.value.toString('utf8')) as CommandRecord);
      }
    } finally {
      await reader.close();
    }
    return commands;
  }
}
