/**
 * The command topic (ksqlDB's CommandStore): every executed DDL/DML statement with the
 * property overrides it ran under, so an engine restarted over a durable log can replay its
 * catalogue and queries.
 */
import type { TopicLog } from '../../log/topic-log.js';

export const COMMAND_TOPIC = '_confluent-ksql-default__command_topic';

export interface CommandRecord {
  readonly statement: string;
  readonly streamsProperties: Readonly<Record<string, string>>;
}

export class CommandLog {
  constructor(private readonly log: TopicLog) {}

  async record(command: CommandRecord): Promise<void> {
    await this.log.ensureTopic(COMMAND_TOPIC, { partitions: 1, replicas: 1 });
    await this.log.append(COMMAND_TOPIC, [{ key: null, value: Buffer.from(JSON.stringify(command)) }]);
  }

  /** Every recorded command, oldest first; [] when the topic does not exist. */
  async readAll(): Promise<CommandRecord[]> {
    if (!(await this.log.describeTopic(COMMAND_TOPIC))) return [];
    const ends = await this.log.endOffsets(COMMAND_TOPIC);
    const reader = await this.log.openReader({ topics: [COMMAND_TOPIC], start: 'earliest' });
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
