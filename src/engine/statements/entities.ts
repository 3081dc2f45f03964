/**
 * Builders of ksqlDB's REST entities (REST-API.md section 2.4). One function per entity type,
 * so executors never assemble JSON shapes by hand.
 */
import type { KsqlEntity } from '../api.js';
import type { DataSource } from '../metastore/types.js';
import type { PersistentQueryInfo } from '../metastore/query-registry.js';
import type { TopicInfo } from '../metastore/topic-catalog.js';
import type { SqlType } from '../types.js';

export function entity(type: string, statementText: string, body: Record<string, unknown>, warnings: string[] = []): KsqlEntity {
  return { '@type': type, statementText, ...body, warnings: warnings.map((message) => ({ message })) };
}

export interface CommandStatus {
  readonly status: string;
  readonly message: string;
  readonly queryId: string | null;
}

export function currentStatusEntity(
  statementText: string,
  commandId: string,
  status: CommandStatus,
  commandSequenceNumber: number,
): KsqlEntity {
  return entity('currentStatus', statementText, {
    commandId,
    commandStatus: { status: status.status, message: status.message, queryId: status.queryId },
    commandSequenceNumber,
  });
}

export function warningEntity(statementText: string, message: string): KsqlEntity {
  return entity('warning_entity', statementText, { message });
}

export function sourceInfo(source: DataSource): Record<string, unknown> {
  return {
    type: source.type,
    name: source.name,
    topic: source.topic,
    keyFormat: source.keyFormat.format,
    valueFormat: source.valueFormat.format,
    isWindowed: source.window !== undefined,
  };
}

export function sourceListEntity(statementText: string, kind: 'STREAM' | 'TABLE', sources: readonly DataSource[]): KsqlEntity {
  const list = sources
    .filter((s) => s.type === kind)
    .sort((a, b) => a.name.localeCompare(b.name))
    .map(sourceInfo);
  return kind === 'STREAM' ? entity('streams', statementText, { streams: list }) : entity('tables', statementText, { tables: list });
}

export type RunningQueryType = 'PERSISTENT' | 'PUSH' | 'PULL';

export interface RunningQueryInfo {
  readonly id: string;
  readonly queryString: string;
  readonly sinks: readonly string[];
  readonly sinkKafkaTopics: readonly string[];
  readonly queryType: RunningQueryType;
  readonly state: 'RUNNING' | 'ERROR';
}

export function runningQuery(q: RunningQueryInfo): Record<string, unknown> {
  return {
    queryString: q.queryString,
    sinks: [...q.sinks],
    sinkKafkaTopics: [...q.sinkKafkaTopics],
    id: q.id,
    statusCount: { [q.state]: 1 },
    queryType: q.queryType,
    state: q.state,
  };
}

export function persistentRunningQuery(q: PersistentQueryInfo, state: 'RUNNING' | 'ERROR' = 'RUNNING'): RunningQueryInfo {
  return {
    id: q.id,
    queryString: q.statementText,
    sinks: [q.sinkName],
    sinkKafkaTopics: [q.sinkTopic],
    queryType: 'PERSISTENT',
    state,
  };
}

export function queriesEntity(statementText: string, queries: readonly RunningQueryInfo[]): KsqlEntity {
  return entity('queries', statementText, { queries: queries.map(runningQuery) });
}

/** ksqlDB's SchemaInfo: base type name, struct fields, array/map member schema, decimal parameters. */
export function schemaInfo(type: SqlType): Record<string, unknown> {
  switch (type.kind) {
    case 'ARRAY':
      return { type: 'ARRAY', fields: null, memberSchema: schemaInfo(type.item) };
    case 'MAP':
      return { type: 'MAP', fields: null, memberSchema: schemaInfo(type.value) };
    case 'STRUCT':
      return { type: 'STRUCT', fields: type.fields.map((f) => ({ name: f.name, schema: schemaInfo(f.type) })), memberSchema: null };
    case 'DECIMAL':
      return { type: 'DECIMAL', fields: null, memberSchema: null, parameters: { precision: type.precision, scale: type.scale } };
    case 'INTEGER':
      return { type: 'INTEGER', fields: null, memberSchema: null };
    default:
      return { type: type.kind, fields: null, memberSchema: null };
  }
}

export function fieldInfos(source: DataSource): Record<string, unknown>[] {
  const ordered = [
    ...source.schema.columns.filter((c) => c.namespace === 'KEY'),
    ...source.schema.columns.filter((c) => c.namespace !== 'KEY'),
  ];
  return ordered.map((c) => {
    const field: Record<string, unknown> = { name: c.name, schema: schemaInfo(c.type) };
    if (c.namespace === 'KEY') field.type = 'KEY';
    if (c.namespace === 'HEADER') {
      field.type = 'HEADER';
      if (c.headerKey !== undefined) field.headerKey = c.headerKey;
    }
    return field;
  });
}

export interface SourceDescriptionExtras {
  readonly readQueries: readonly RunningQueryInfo[];
  readonly writeQueries: readonly RunningQueryInfo[];
  readonly extended: boolean;
  readonly topic?: TopicInfo;
}

export function sourceDescription(source: DataSource, extras: SourceDescriptionExtras): Record<string, unknown> {
  return {
    name: source.name,
    windowType: source.window?.type ?? null,
    readQueries: extras.readQueries.map(runningQuery),
    writeQueries: extras.writeQueries.map(runningQuery),
    fields: fieldInfos(source),
    type: source.type,
    timestamp: source.timestampColumn?.column ?? '',
    statistics: '',
    errorStats: '',
    extended: extras.extended,
    keyFormat: source.keyFormat.format,
    valueFormat: source.valueFormat.format,
    topic: source.topic,
    partitions: extras.extended ? (extras.topic?.partitions ?? 0) : 0,
    replication: extras.extended ? (extras.topic?.replicas ?? 0) : 0,
    statement: source.sqlText,
    queryOffsetSummaries: [],
    sourceConstraints: [],
    clusterStatistics: [],
    clusterErrorStats: [],
  };
}

export function sourceDescriptionEntity(statementText: string, description: Record<string, unknown>): KsqlEntity {
  return entity('sourceDescription', statementText, { sourceDescription: description });
}

export function sourceDescriptionListEntity(statementText: string, descriptions: Record<string, unknown>[]): KsqlEntity {
  return entity('source_descriptions', statementText, { sourceDescriptions: descriptions });
}

export function kafkaTopicsEntity(statementText: string, topics: readonly TopicInfo[]): KsqlEntity {
  return entity('kafka_topics', statementText, {
    topics: topics.map((t) => ({ name: t.name, replicaInfo: Array.from({ length: t.partitions }, () => t.replicas) })),
  });
}

export function kafkaTopicsExtendedEntity(
  statementText: string,
  topics: readonly { topic: TopicInfo; consumerGroupCount: number; consumerCount: number }[],
): KsqlEntity {
  return entity('kafka_topics_extended', statementText, {
    topics: topics.map(({ topic, consumerCount, consumerGroupCount }) => ({
      name: topic.name,
      replicaInfo: Array.from({ length: topic.partitions }, () => topic.replicas),
      consumerCount,
      consumerGroupCount,
    })),
  });
}

export interface PropertyEntry {
  readonly name: string;
  readonly value: string;
  readonly level: 'QUERY' | 'SERVER';
  readonly editable: boolean;
}

export function propertiesEntity(
  statementText: string,
  properties: readonly PropertyEntry[],
  overwritten: readonly string[],
  defaults: readonly string[],
): KsqlEntity {
  return entity('properties', statementText, {
    properties: properties.map((p) => ({ name: p.name, scope: 'KSQL', value: p.value, editable: p.editable, level: p.level })),
    overwrittenProperties: [...overwritten],
    defaultProperties: [...defaults],
  });
}

export function variablesEntity(statementText: string, variables: ReadonlyMap<string, string>): KsqlEntity {
  return entity('variables', statementText, {
    variables: [...variables.entries()].map(([name, value]) => ({ name, value })),
  });
}

export function terminateQueryEntity(statementText: string, queryId: string, wasTerminated: boolean): KsqlEntity {
  return entity('terminate_query', statementText, { queryId, wasTerminated });
}

export interface QueryDescriptionInput {
  readonly id: string;
  readonly statementText: string;
  readonly sink?: DataSource;
  readonly sourceNames: readonly string[];
  readonly sinkNames: readonly string[];
  readonly queryType: RunningQueryType;
  readonly state: 'RUNNING' | 'ERROR';
  readonly overriddenProperties: Readonly<Record<string, string>>;
}

/** ksqlDB's QueryDescription (EXPLAIN <query id>, SHOW QUERIES EXTENDED). */
export function queryDescription(q: QueryDescriptionInput): Record<string, unknown> {
  return {
    id: q.id,
    statementText: q.statementText,
    windowType: q.sink?.window?.type ?? null,
    fields: q.sink ? fieldInfos(q.sink) : [],
    sources: [...q.sourceNames],
    sinks: [...q.sinkNames],
    topology: '',
    executionPlan: '',
    overriddenProperties: { ...q.overriddenProperties },
    ksqlHostQueryStatus: {},
    queryType: q.queryType,
    queryErrors: [],
    tasksMetadata: [],
    state: q.state,
  };
}

export function queryDescriptionEntity(statementText: string, description: Record<string, unknown>): KsqlEntity {
  return entity('queryDescription', statementText, { queryDescription: description });
}

export function queryDescriptionListEntity(statementText: string, descriptions: Record<string, unknown>[]): KsqlEntity {
  return entity('query_descriptions', statementText, { queryDescriptions: descriptions });
}
