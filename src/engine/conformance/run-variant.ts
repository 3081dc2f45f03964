/**
 * Runs one test variant on a fresh engine, the way ksqlDB's TestExecutor does: create the
 * topics, execute the statements one at a time, write the inputs, let the queries run, then
 * compare every expected output topic and check the post conditions. A variant is skipped only
 * when the engine answers with an `Unsupported:` error, or when its post conditions name internal
 * topics of ksqlDB's topology that the engine runs without (nothing there to check).
 */
import { stringify } from 'lossless-json';
import { isUnsupported } from '../errors.js';
import type { LocalEngine } from '../api.js';
import type { ProduceRecord } from '../../log/topic-log.js';
import type { EngineBindings } from './engine-bindings.js';
import { recordMatches, type ActualRecord, type CompareOptions } from './expected-comparator.js';
import { errorCategory, errorMessage, expectedExceptionMismatch } from './expected-exception.js';
import { renderJavaValue } from './java-values.js';
import { postConditionFailure, unverifiableInternalTopics } from './post-conditions.js';
import type { JsonNode, QttRecord, TestVariant } from './qtt-model.js';
import { RecordingTopicLog } from './recording-log.js';
import { decodeActual, encodeInput } from './source-records.js';
import { topicsToCreate } from './topic-inference.js';

export type VariantStatus = 'passed' | 'failed' | 'skipped';

export interface VariantOutcome {
  readonly status: VariantStatus;
  /** The first mismatch or error for failures and skips; "" when passed. */
  readonly reason: string;
}

export interface RunVariantOptions {
  /** Give up on a variant whose engine calls do not settle within this many ms. */
  readonly timeoutMs?: number;
}

/** The harness-only property; every other property goes to the engine. */
const EXACT_NUMERIC_COMPARISON = 'use.exact.numeric.comparison';

const MAX_REASON_RECORDS = 10;

/** Ends a variant early with its outcome. */
class VariantEnd extends Error {
  constructor(readonly outcome: VariantOutcome) {
    super(outcome.reason);
  }
}

function propertyText(node: JsonNode): string {
  if (typeof node === 'string') return node;
  return stringify(node) ?? '';
}

export function engineProperties(variant: TestVariant): Record<string, string> {
  // The harness pipes every record of a topic through each query, including records written
  // (e.g. by INSERT VALUES) before the query was created: the engine's equivalent is reading
  // from the earliest offset. A test's own properties still override it.
  const props: Record<string, string> = { 'ksql.streams.auto.offset.reset': 'earliest' };
  for (const [key, value] of Object.entries(variant.properties)) {
    if (key !== EXACT_NUMERIC_COMPARISON) props[key] = propertyText(value);
  }
  return props;
}

export function compareOptions(variant: TestVariant): CompareOptions {
  const exact = variant.properties[EXACT_NUMERIC_COMPARISON];
  return { exactNumbers: exact === undefined || propertyText(exact).toLowerCase() !== 'false' };
}

function outcome(status: VariantStatus, reason: string): VariantEnd {
  return new VariantEnd({ status, reason });
}

function renderActual(r: ActualRecord): string {
  const w = r.window ? ` window=[${r.window.start},${r.window.end})` : '';
  return `<${renderJavaValue(r.key)}, ${renderJavaValue(r.value)}> with timestamp=${r.timestamp}${w}`;
}

function renderExpected(r: QttRecord): string {
  const w = r.window ? ` window=[${r.window.start},${r.window.end})` : '';
  return `<${stringify(r.key ?? null)}, ${stringify(r.value ?? null)}> with timestamp=${r.timestamp ?? '(any)'}${w}`;
}

/** Runs a promise-returning step with a deadline, so one hanging variant cannot stall the run. */
async function withDeadline<T>(what: string, step: Promise<T>, timeoutMs: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(outcome('failed', `${what} did not finish within ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    return await Promise.race([step, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * The end of a negative test: the error matches `expectedException` (passed) or not (failed).
 * Unsupported errors always skip.
 */
function endOnError(variant: TestVariant, err: unknown, where: string): VariantEnd {
  if (err instanceof VariantEnd) return err;
  if (isUnsupported(err)) return outcome('skipped', errorMessage(err));
  if (variant.expectedException) {
    const mismatch = expectedExceptionMismatch(variant.expectedException, err);
    return mismatch === null ? outcome('passed', '') : outcome('failed', `${where}: ${mismatch}`);
  }
  const name = err instanceof Error && err.name !== 'Error' ? `${err.name}: ` : '';
  return outcome('failed', `${where}: ${name}${errorMessage(err)}`);
}

/**
 * The harness parses all statements as one text joined by line breaks, so error positions
 * ("line 2:13") count lines from the first statement. Each statement is sent with as many
 * leading line breaks as precede it in that text, which keeps those positions.
 */
export function statementsWithHarnessLines(statements: readonly string[]): string[] {
  let linesBefore = 0;
  return statements.map((sql) => {
    const positioned = '\n'.repeat(linesBefore) + sql;
    linesBefore += sql.split('\n').length;
    return positioned;
  });
}

async function executeStatements(engine: LocalEngine, variant: TestVariant, props: Record<string, string>, timeoutMs: number): Promise<void> {
  const statements = statementsWithHarnessLines(variant.statements);
  const last = statements.length - 1;
  for (let i = 0; i <= last; i++) {
    try {
      await withDeadline(`statement ${i + 1}`, engine.executeStatements(statements[i]!, { properties: props }), timeoutMs);
    } catch (err) {
      // Syntax errors end the harness's up-front parse of all statements, wherever they are.
      const parseError = errorCategory(err) === 'parse';
      if (!(err instanceof VariantEnd) && !isUnsupported(err) && !parseError && variant.expectedException && i < last) {
        throw outcome(
          'failed',
          `Only the last statement in a negative test should fail. Yet in this case statement ${i + 1} failed: ${errorMessage(err)}`,
        );
      }
      throw endOnError(variant, err, `statement ${i + 1} failed`);
    }
  }
}

async function produceInputs(bindings: EngineBindings, engine: LocalEngine, log: RecordingTopicLog, variant: TestVariant): Promise<void> {
  for (const [index, record] of variant.inputs.entries()) {
    const source = engine.metastore.sourcesForTopic(record.topic)[0];
    if (!source) throw outcome('failed', `input ${index}: No information found for topic: ${record.topic}`);
    let produced: ProduceRecord;
    try {
      produced = encodeInput(bindings, record, source);
    } catch (err) {
      throw endOnError(variant, err, `input ${index} to topic ${record.topic}: failed to serialize`);
    }
    await log.append(record.topic, [produced]);
  }
}

async function verifyOutputs(engine: LocalEngine, log: RecordingTopicLog, variant: TestVariant): Promise<void> {
  const ranWithInsertStatements = variant.inputs.length === 0;
  const opts = compareOptions(variant);
  const expectedByTopic = new Map<string, QttRecord[]>();
  for (const r of variant.outputs) expectedByTopic.set(r.topic, [...(expectedByTopic.get(r.topic) ?? []), r]);
  for (const [topic, expected] of expectedByTopic) {
    const source = engine.metastore.sourcesForTopic(topic)[0];
    if (!source) throw outcome('failed', `No information found for topic: ${topic}`);
    let actual: ActualRecord[];
    try {
      actual = (await log.readAllInWriteOrder(topic)).map((r) => decodeActual(r, source));
    } catch (err) {
      throw outcome('failed', `Topic '${topic}': ${errorMessage(err)}`);
    }
    if (actual.length !== expected.length) {
      const shown = actual.slice(0, MAX_REASON_RECORDS).map(renderActual).join('; ');
      const more = actual.length > MAX_REASON_RECORDS ? `; ... ${actual.length - MAX_REASON_RECORDS} more` : '';
      throw outcome('failed', `Topic ${topic}. Expected <${expected.length}> records but it was <${actual.length}>. Actual records: ${shown}${more}`);
    }
    for (let i = 0; i < expected.length; i++) {
      if (!recordMatches(actual[i]!, expected[i]!, ranWithInsertStatements, opts)) {
        throw outcome(
          'failed',
          `Topic '${topic}', message ${i}: Expected ${renderExpected(expected[i]!)} but was ${renderActual(actual[i]!)}`,
        );
      }
    }
  }
}

async function runOnEngine(bindings: EngineBindings, variant: TestVariant, timeoutMs: number): Promise<VariantOutcome> {
  const log = new RecordingTopicLog(bindings.createLog());
  let engine: LocalEngine | undefined;
  try {
    for (const topic of topicsToCreate(variant)) {
      await log.ensureTopic(topic.name, { partitions: topic.partitions, replicas: topic.replicas });
    }
    const props = engineProperties(variant);
    try {
      engine = await withDeadline('engine start', bindings.createEngine({ log, autoStart: false, properties: props }), timeoutMs);
    } catch (err) {
      throw endOnError(variant, err, 'engine start failed');
    }
    await executeStatements(engine, variant, props, timeoutMs);
    if (variant.expectedException && variant.inputs.length === 0) {
      throw outcome('failed', `Expected test to throw ${variant.expectedException.type ?? ''}: ${variant.expectedException.message ?? ''}`);
    }
    await produceInputs(bindings, engine, log, variant);
    try {
      await withDeadline('processing', engine.processUntilIdle(), timeoutMs);
    } catch (err) {
      throw endOnError(variant, err, 'processing failed');
    }
    await verifyOutputs(engine, log, variant);
    if (variant.expectedException) {
      throw outcome('failed', `Expected test to throw ${variant.expectedException.type ?? ''}: ${variant.expectedException.message ?? ''}`);
    }
    if (variant.post) {
      const topics = await log.listTopics();
      const failure = postConditionFailure(variant.post, engine.metastore, topics);
      if (failure) throw outcome('failed', failure);
      const unverifiable = unverifiableInternalTopics(variant.post, engine.metastore, topics);
      if (unverifiable.length > 0) {
        throw outcome('skipped', `post: internal topics of ksqlDB's topology that the engine does not keep: ${unverifiable.join(', ')}`);
      }
    }
    return { status: 'passed', reason: '' };
  } catch (err) {
    if (err instanceof VariantEnd) return err.outcome;
    return endOnError(variant, err, 'runner error').outcome;
  } finally {
    if (engine) await engine.close().catch(() => undefined);
    await log.close().catch(() => undefined);
  }
}

export async function runVariant(bindings: EngineBindings, variant: TestVariant, opts: RunVariantOptions = {}): Promise<VariantOutcome> {
  if (!variant.enabled) return { status: 'skipped', reason: 'disabled in the file ("enabled": false)' };
  return runOnEngine(bindings, variant, opts.timeoutMs ?? 20_000);
}
