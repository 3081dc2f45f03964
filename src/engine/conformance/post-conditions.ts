/**
 * A test's `post` block (PostConditionsNode, SourceNode, KeyFormatNode): expected sources in the
 * metastore (type, schema, formats, window, serde features, read-only flag), expected topics
 * (formats, partitions) and a blacklist regex of topics that must not exist.
 */
import { formatSchema, sqlTypeEquals, type Column, type LogicalSchema } from '../types.js';
import type { DataSource, MetaStoreView } from '../metastore/types.js';
import type { TopicDescription } from '../../log/topic-log.js';
import type { QttPost, QttPostSource, QttPostTopic, QttPostTopicFormat } from './qtt-model.js';
import { parseSchemaText } from './schema-text.js';

/** Key formats that support both wrapping and unwrapping; a single key column is unwrapped. */
const KEY_FORMATS_UNWRAPPING_SINGLES: ReadonlySet<string> = new Set(['JSON', 'JSON_SR', 'AVRO', 'PROTOBUF']);

export function keySerdeFeatures(source: DataSource): string[] {
  const keyColumns = source.schema.columns.filter((c) => c.namespace === 'KEY');
  return KEY_FORMATS_UNWRAPPING_SINGLES.has(source.keyFormat.format) && keyColumns.length === 1 ? ['UNWRAP_SINGLES'] : [];
}

export function valueSerdeFeatures(source: DataSource): string[] {
  if (source.valueFormat.wrapSingleValue === false) return ['UNWRAP_SINGLES'];
  if (source.valueFormat.wrapSingleValue === true) return ['WRAP_SINGLES'];
  return [];
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  const x = [...a].map((s) => s.toUpperCase()).sort();
  const y = [...b].map((s) => s.toUpperCase()).sort();
  return x.length === y.length && x.every((v, i) => v === y[i]);
}

function columnsEqual(a: readonly Column[], b: readonly Column[]): boolean {
  return (
    a.length === b.length &&
    a.every((c, i) => {
      const d = b[i]!;
      return c.name === d.name && c.namespace === d.namespace && sqlTypeEquals(c.type, d.type) && c.headerKey === d.headerKey;
    })
  );
}

/** LogicalSchema equality: key, value and header columns, each in order. */
export function schemasEqual(expected: readonly Column[], actual: LogicalSchema): boolean {
  const part = (cols: readonly Column[], ns: Column['namespace']): Column[] => cols.filter((c) => c.namespace === ns);
  return (['KEY', 'VALUE', 'HEADER'] as const).every((ns) => columnsEqual(part(expected, ns), part(actual.columns, ns)));
}

/** Why a source does not match an expected source node, or null. */
export function sourceMismatch(expected: QttPostSource, source: DataSource): string | null {
  if (expected.type.toUpperCase() !== source.type) return `type is ${source.type}, expected ${expected.type.toUpperCase()}`;
  if (expected.schema !== undefined) {
    let columns: Column[];
    try {
      columns = parseSchemaText(expected.schema);
    } catch (err) {
      return `cannot parse expected schema: ${(err as Error).message}`;
    }
    if (!schemasEqual(columns, source.schema)) {
      return `schema is ${formatSchema(source.schema.columns)}, expected ${formatSchema(columns)}`;
    }
  }
  if (expected.keyFormat !== undefined) {
    const kf = expected.keyFormat;
    if (kf.format !== undefined && kf.format.toUpperCase() !== source.keyFormat.format) {
      return `key format is ${source.keyFormat.format}, expected ${kf.format}`;
    }
    const windowType = source.window?.type;
    if ((kf.windowType?.toUpperCase() ?? undefined) !== windowType) {
      return `window type is ${windowType ?? 'none'}, expected ${kf.windowType ?? 'none'}`;
    }
    const windowSize = source.window?.type === 'SESSION' ? undefined : source.window?.sizeMs;
    if (kf.windowSize !== windowSize) return `window size is ${windowSize ?? 'none'}, expected ${kf.windowSize ?? 'none'}`;
  }
  if (expected.valueFormat !== undefined && expected.valueFormat.toUpperCase() !== source.valueFormat.format) {
    return `value format is ${source.valueFormat.format}, expected ${expected.valueFormat}`;
  }
  if (expected.keyFeatures !== undefined && !sameSet(expected.keyFeatures, keySerdeFeatures(source))) {
    return `key features are [${keySerdeFeatures(source).join(', ')}], expected [${expected.keyFeatures.join(', ')}]`;
  }
  if (expected.valueFeatures !== undefined && !sameSet(expected.valueFeatures, valueSerdeFeatures(source))) {
    return `value features are [${valueSerdeFeatures(source).join(', ')}], expected [${expected.valueFeatures.join(', ')}]`;
  }
  if (expected.isSource !== undefined && expected.isSource !== source.isSource) {
    return `isSource is ${source.isSource}, expected ${expected.isSource}`;
  }
  return null;
}

function formatMismatch(side: string, expected: QttPostTopicFormat, actualFormat: string, features: readonly string[]): string | null {
  if (expected.format.toUpperCase() !== actualFormat) return `${side} format is ${actualFormat}, expected ${expected.format}`;
  if (!sameSet(expected.features ?? [], features)) {
    return `${side} features are [${features.join(', ')}], expected [${(expected.features ?? []).join(', ')}]`;
  }
  return null;
}

function topicMismatch(expected: QttPostTopic, source: DataSource, description: TopicDescription | undefined): string | null {
  const key = formatMismatch('key', expected.keyFormat, source.keyFormat.format, keySerdeFeatures(source));
  if (key) return key;
  const windowInfo = expected.keyFormat.windowInfo;
  if ((windowInfo?.type.toUpperCase() ?? undefined) !== source.window?.type) {
    return `key window is ${source.window?.type ?? 'none'}, expected ${windowInfo?.type ?? 'none'}`;
  }
  // ksqlDB serializes the window size as a java.time.Duration, i.e. in seconds.
  if (windowInfo?.size !== undefined && windowInfo.size * 1000 !== source.window?.sizeMs) {
    return `key window size is ${source.window?.sizeMs ?? 'none'} ms, expected ${windowInfo.size * 1000} ms`;
  }
  const value = formatMismatch('value', expected.valueFormat, source.valueFormat.format, valueSerdeFeatures(source));
  if (value) return value;
  if (expected.partitions !== undefined && description?.partitions !== expected.partitions) {
    return `has ${description?.partitions ?? 'no'} partitions, expected ${expected.partitions}`;
  }
  return null;
}

/** Pattern.asPredicate(): the regex may match anywhere in the name. */
function blacklisted(regex: string, text: string): boolean {
  return new RegExp(regex).test(text);
}

/** The first failed post condition, or null when all hold. */
export function postConditionFailure(post: QttPost, metastore: MetaStoreView, topics: readonly TopicDescription[]): string | null {
  for (const expected of post.sources ?? []) {
    const source = metastore.getSource(expected.name);
    if (!source) return `post: no source named ${expected.name}`;
    const why = sourceMismatch(expected, source);
    if (why) return `post: source ${expected.name}: ${why}`;
  }
  const topicNode = post.topics;
  if (topicNode?.blacklist !== undefined) {
    const banned = topics.find((t) => blacklisted(topicNode.blacklist!, t.name));
    if (banned) return `post: topic ${banned.name} matches the blacklist ${topicNode.blacklist}`;
  }
  for (const expected of topicNode?.topics ?? []) {
    const sources = metastore.sourcesForTopic(expected.name);
    const description = topics.find((t) => t.name === expected.name);
    if (sources.length === 0 && isAbsentInternalTopic(expected.name, topics)) continue;
    if (sources.length === 0) return `post: no source over topic ${expected.name}`;
    const why = topicMismatch(expected, sources[0]!, description);
    if (why) return `post: topic ${expected.name}: ${why}`;
  }
  return null;
}

/**
 * A query's internal topic (`_confluent-ksql-<service id>query_<id>-...`: a repartition or a
 * changelog of ksqlDB's topology) that the engine does not have, because it runs that step
 * without a topic (e.g. a join re-keys the stream in process and reads a table's own topic as
 * its changelog). Its formats are an implementation detail that cannot be checked here.
 */
function isAbsentInternalTopic(name: string, topics: readonly TopicDescription[]): boolean {
  return /^_confluent-ksql-.*query_.+-(repartition|changelog)$/.test(name) && !topics.some((t) => t.name === name);
}

/**
 * The expected topics of a post block that name internal topics the engine does not have: the
 * variant's other checks may pass, but it cannot be called passed (the runner skips it).
 */
export function unverifiableInternalTopics(post: QttPost, metastore: MetaStoreView, topics: readonly TopicDescription[]): string[] {
  return (post.topics?.topics ?? [])
    .filter((t) => metastore.sourcesForTopic(t.name).length === 0 && isAbsentInternalTopic(t.name, topics))
    .map((t) => t.name);
}
