/**
 * CREATE [OR REPLACE] [SOURCE] STREAM|TABLE [IF NOT EXISTS] name (columns) WITH (...):
 * registers a source over an existing topic, or creates the topic when PARTITIONS is given.
 * Checks and messages follow ksqlDB's CreateSourceFactory, TopicCreateInjector and MetaStoreImpl.
 */
import type { KsqlEntity } from '../api.js';
import { KsqlError, KsqlStatementError, UnsupportedError } from '../errors.js';
import type { DataSource, TimestampColumn } from '../metastore/types.js';
import type { TopicInfo } from '../metastore/topic-catalog.js';
import { sourceTypeLower } from '../metastore/metastore.js';
import type { CreateSource, Properties } from '../parser/ast.js';
import { formatType } from '../parser/format.js';
import { type Column, type LogicalSchema, type SqlType, type WindowInfo } from '../types.js';
import type { FormatInfo } from '../serde/types.js';
import type { StatementContext } from './context.js';
import { currentStatusEntity, warningEntity } from './entities.js';
import { resolveSourceFormats, validateFormatProperties, validateSerdes } from './formats.js';
import { SCHEMA_REGISTRY_FORMATS } from '../serde/formats.js';
import { formatWithClause, intProp, stringProp } from './with-properties.js';
import { commandId } from './command-ids.js';
import { validateTimestampColumn } from './timestamp-column.js';
import { windowFromProperties } from './window-properties.js';
import { assertUpgradeable } from './source-upgrade.js';

export async function executeCreateSource(stmt: CreateSource, ctx: StatementContext): Promise<KsqlEntity> {
  const { metastore, topics } = ctx.state;
  const typeLower = sourceTypeLower(stmt.sourceType);
  const existing = metastore.getSource(stmt.name);

  if (stmt.orReplace && (stmt.isSource || existing?.isSource)) {
    throw new KsqlError(`Cannot add ${typeLower} '${stmt.name}': CREATE OR REPLACE is not supported on source ${typeLower}s.`);
  }
  if (existing && stmt.ifNotExists) {
    return warningEntity(
      stmt.text,
      `Cannot add ${typeLower} '${stmt.name}': A ${sourceTypeLower(existing.type)} with the same name already exists`,
    );
  }
  if (existing && !stmt.orReplace) {
    throw new KsqlError(
      `Cannot add ${typeLower} '${stmt.name}': A ${sourceTypeLower(existing.type)} with the same name already exists`,
    );
  }
  if (existing && existing.type !== stmt.sourceType) {
    throw new KsqlError(
      `Incompatible data source type is ${existing.type}, but statement was CREATE ${stmt.sourceType}`,
    );
  }

  const props = stmt.properties;
  const window = windowFromProperties(props);
  if (props.KEY_SCHEMA_ID !== undefined || props.VALUE_SCHEMA_ID !== undefined) {
    throw new UnsupportedError('schema registry ids (KEY_SCHEMA_ID/VALUE_SCHEMA_ID)', stmt.text);
  }

  const topicName = stringProp(props, 'KAFKA_TOPIC');
  if (topicName === undefined) {
    throw new KsqlError('Missing required property "KAFKA_TOPIC" which has no default value.');
  }
  const named = validateFormatProperties(props, ctx.config);
  for (const format of [named.keyFormat.format, named.valueFormat.format]) {
    if (SCHEMA_REGISTRY_FORMATS.has(format)) {
      throw new UnsupportedError(`${format} format (needs Schema Registry, not available in the local engine)`, stmt.text);
    }
  }
  const schema = schemaFromElements(stmt);
  if (existing) assertUpgradeable(existing, schema);
  if (window && !schema.columns.some((c) => c.namespace === 'KEY')) {
    throw new KsqlStatementError('Windowed sources require a key column.');
  }
  const formats = resolveSourceFormats(props, ctx.config, schema);
  validateSerdes(schema, formats);
  const timestampColumn = timestampFromProps(props, schema);

  const partitions = intProp(props, 'PARTITIONS');
  const replicas = intProp(props, 'REPLICAS') ?? 1;
  const topic = topics.get(topicName);
  let createTopic = false;
  if (!topic) {
    if (partitions === undefined) throw missingTopicError(stmt, topicName);
    createTopic = true;
  } else if (partitions !== undefined && partitions !== topic.partitions) {
    throw topicConfigMismatchError(topicName, { partitions, replicas }, topic);
  }

  const source = declaredSource(stmt, {
    schema,
    topic: topicName,
    formats,
    timestampColumn,
    window,
    isSource: stmt.isSource,
  });

  if (createTopic) {
    const creation = { name: topicName, partitions: partitions!, replicas };
    topics.put(creation);
    await ctx.effects.createTopic(creation);
  }
  metastore.putSource(source, stmt.orReplace);
  const seq = ctx.state.commandSequence++;
  await ctx.effects.recordCommand(stmt.text, ctx.overrides);
  return currentStatusEntity(
    stmt.text,
    commandId(stmt.sourceType, stmt.name, 'create'),
    { status: 'SUCCESS', message: stmt.sourceType === 'STREAM' ? 'Stream created' : 'Table created', queryId: null },
    seq,
  );
}

function schemaFromElements(stmt: CreateSource): LogicalSchema {
  if (stmt.elements.length === 0) throw new KsqlError('No columns supplied.');
  const keys: Column[] = [];
  const values: Column[] = [];
  const seen = new Set<string>();
  for (const el of stmt.elements) {
    if (seen.has(el.name)) throw new KsqlError(`Duplicate column names:\n - ${el.name}`);
    seen.add(el.name);
    const c = el.constraint;
    if (c === 'KEY' || c === 'PRIMARY KEY') {
      if (stmt.sourceType === 'TABLE' && c === 'KEY') {
        throw new KsqlError(`Column ${quote(el.name)} is a 'KEY' column: please use 'PRIMARY KEY' for tables.`);
      }
      if (stmt.sourceType === 'STREAM' && c === 'PRIMARY KEY') {
        throw new KsqlError(`Column ${quote(el.name)} is a 'PRIMARY KEY' column: please use 'KEY' for streams.`);
      }
      keys.push({ name: el.name, type: el.type, namespace: 'KEY' });
    } else if (c === 'HEADERS' || (typeof c === 'object' && c !== null)) {
      throw new UnsupportedError('header columns', stmt.text);
    } else {
      values.push({ name: el.name, type: el.type, namespace: 'VALUE' });
    }
  }
  if (stmt.sourceType === 'TABLE' && keys.length === 0) {
    throw new KsqlError('Tables require a PRIMARY KEY. Please define the PRIMARY KEY.');
  }
  for (const key of keys) assertKeyTypeAllowed(key.name, key.type);
  return { columns: [...keys, ...values] };
}

function quote(name: string): string {
  return '`' + name + '`';
}

function containsMap(type: SqlType): boolean {
  switch (type.kind) {
    case 'MAP':
      return true;
    case 'ARRAY':
      return containsMap(type.item);
    case 'STRUCT':
      return type.fields.some((f) => containsMap(f.type));
    default:
      return false;
  }
}

/** The metastore entry a CREATE statement declares (CREATE AS SELECT adds its query's id). */
export function declaredSource(
  stmt: { readonly name: string; readonly sourceType: DataSource['type']; readonly text: string },
  parts: {
    readonly schema: LogicalSchema;
    readonly topic: string;
    readonly formats: { readonly keyFormat: FormatInfo; readonly valueFormat: FormatInfo };
    readonly timestampColumn: TimestampColumn | undefined;
    readonly window: WindowInfo | undefined;
    readonly isSource: boolean;
  },
): DataSource {
  const { timestampColumn, window } = parts;
  return {
    name: stmt.name,
    type: stmt.sourceType,
    schema: parts.schema,
    topic: parts.topic,
    keyFormat: parts.formats.keyFormat,
    valueFormat: parts.formats.valueFormat,
    ...(timestampColumn ? { timestampColumn } : {}),
    ...(window ? { window } : {}),
    isSource: parts.isSource,
    sqlText: stmt.text,
  };
}

/** ksqlDB's error for an existing topic whose partitions differ from those a statement requires. */
export function topicConfigMismatchError(
  topicName: string,
  required: { readonly partitions: number; readonly replicas: number },
  topic: TopicInfo,
): KsqlError {
  return new KsqlError(
    `A Kafka topic with the name '${topicName}' already exists, with different partition/replica configuration than required. ` +
      `KSQL requires ${required.partitions} partitions (topic has ${topic.partitions}), ${required.replicas} replication factor (topic has ${topic.replicas}).`,
  );
}

/** ksqlDB refuses MAP-typed key columns (https://github.com/confluentinc/ksql/issues/6621). */
export function assertKeyTypeAllowed(name: string, type: SqlType): void {
  if (containsMap(type)) {
    throw new KsqlError(
      'Map keys, including types that contain maps, are not supported as they may lead to unexpected behavior due to ' +
        `inconsistent serialization. Key column name: ${quote(name)}. Column type: ${formatType(type)}. ` +
        'See https://github.com/confluentinc/ksql/issues/6621 for more.',
    );
  }
}

function timestampFromProps(props: Properties, schema: LogicalSchema): TimestampColumn | undefined {
  const column = stringProp(props, 'TIMESTAMP');
  if (column === undefined) return undefined;
  const format = stringProp(props, 'TIMESTAMP_FORMAT');
  return validateTimestampColumn(column, format, schema);
}

/** TopicCreateInjector's message, with an example statement that adds PARTITIONS=2. */
function missingTopicError(stmt: CreateSource, topic: string): KsqlError {
  const elements = stmt.elements
    .map((e) => {
      let s = `${e.name} ${formatType(e.type)}`;
      if (e.constraint === 'KEY') s += ' KEY';
      else if (e.constraint === 'PRIMARY KEY') s += ' PRIMARY KEY';
      return s;
    })
    .join(', ');
  const example =
    `CREATE ${stmt.isSource ? 'SOURCE ' : ''}${stmt.sourceType} ${stmt.name} (${elements}) ` +
    `WITH (${formatWithClause({ ...stmt.properties, PARTITIONS: 2 })});`;
  return new KsqlError(
    `Topic '${topic}' does not exist. If you want to create a new topic for the stream/table please re-run the ` +
      `statement providing the required 'PARTITIONS' configuration in the WITH clause (and optionally 'REPLICAS'). ` +
      `For example: ${example}`,
  );
}
