/**
 * The topics the harness creates before running a test (TestCaseBuilderUtil.getAllTopics):
 * declared `topics`; the topic of every CREATE STREAM/TABLE statement that declares columns
 * (partitions from its PARTITIONS property, default 1); and every topic named by an input or
 * output record (1 partition). Declared topics win over inferred ones.
 */
import type { QttTopic, TestVariant } from './qtt-model.js';

export interface TopicToCreate {
  readonly name: string;
  readonly partitions: number;
  readonly replicas: number;
}

const CREATE_WITH_COLUMNS =
  /^\s*CREATE\s+(?:OR\s+REPLACE\s+)?(?:SOURCE\s+)?(?:STREAM|TABLE)\s+(?:IF\s+NOT\s+EXISTS\s+)?(?:`(?:[^`]|``)*`|"(?:[^"]|"")*"|[^\s(]+)\s*\(/i;

function stripLineComments(sql: string): string {
  return sql
    .split('\n')
    .map((line) => line.replace(/^\s*--.*$/, ''))
    .join('\n');
}

/** The topic of a `CREATE STREAM|TABLE name (columns...) WITH (...)` statement, if any. */
export function topicOfCreateStatement(sql: string): TopicToCreate | undefined {
  const text = stripLineComments(sql);
  if (!CREATE_WITH_COLUMNS.test(text)) return undefined;
  const topic = /\bKAFKA_TOPIC\s*=\s*'((?:[^']|'')*)'/i.exec(text);
  if (!topic) return undefined;
  const partitions = /\bPARTITIONS\s*=\s*(\d+)/i.exec(text);
  const replicas = /\bREPLICAS\s*=\s*(\d+)/i.exec(text);
  return {
    name: topic[1]!.replace(/''/g, "'"),
    partitions: partitions ? Number(partitions[1]) : 1,
    replicas: replicas ? Number(replicas[1]) : 1,
  };
}

function declared(topic: QttTopic): TopicToCreate {
  return { name: topic.name, partitions: topic.partitions ?? 1, replicas: topic.replicas ?? 1 };
}

export function topicsToCreate(variant: TestVariant): TopicToCreate[] {
  const byName = new Map<string, TopicToCreate>();
  for (const topic of variant.topics) byName.set(topic.name, declared(topic));
  for (const sql of variant.statements) {
    const topic = topicOfCreateStatement(sql);
    if (topic && !byName.has(topic.name)) byName.set(topic.name, topic);
  }
  for (const record of [...variant.inputs, ...variant.outputs]) {
    if (!byName.has(record.topic)) byName.set(record.topic, { name: record.topic, partitions: 1, replicas: 1 });
  }
  return [...byName.values()];
}
