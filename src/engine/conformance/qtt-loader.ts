/**
 * Reads QTT files and expands each test entry into its variants the way ksqlDB's
 * TestCaseBuilder does: one variant per `format` entry (statements get `{FORMAT}` replaced),
 * crossed with one variant per `config` entry (the single property whose value is `{CONFIG}`
 * receives it).
 */
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { isLosslessNumber, parse } from 'lossless-json';
import type { JsonNode, QttFile, QttRecord, QttTest, QttTopic, QttWindow, TestVariant } from './qtt-model.js';

/** The harness's placeholder text when a test uses {FORMAT} without a `format` list. */
const FORMAT_REPLACE_ERROR = "To use {FORMAT} in your statements please set the 'format' test case element";

/** Jackson keeps the last of duplicated keys; lossless-json would throw. */
export function parseLosslessJson(text: string): JsonNode {
  return parse(text, null, { onDuplicateKey: (info) => info.newValue });
}

export function jsonNumberToNumber(node: JsonNode): number | undefined {
  if (node === undefined || node === null) return undefined;
  if (isLosslessNumber(node)) return Number(node.value);
  if (typeof node === 'number') return node;
  if (typeof node === 'string' && node.trim() !== '' && !Number.isNaN(Number(node))) return Number(node);
  return undefined;
}

function isObject(node: JsonNode): node is Record<string, JsonNode> {
  return typeof node === 'object' && node !== null && !Array.isArray(node) && !isLosslessNumber(node);
}

function normalizeWindow(node: JsonNode): QttWindow | undefined {
  if (!isObject(node)) return undefined;
  const type = String(node['type'] ?? 'time').toLowerCase() === 'session' ? 'session' : 'time';
  return { start: jsonNumberToNumber(node['start']) ?? 0, end: jsonNumberToNumber(node['end']) ?? 0, type };
}

/** Timestamps, windows and partitions become JS numbers; keys and values stay lossless. */
function normalizeRecord(node: JsonNode): QttRecord {
  if (!isObject(node)) throw new Error(`Invalid record: ${JSON.stringify(node)}`);
  const record: { -readonly [K in keyof QttRecord]: QttRecord[K] } = { topic: String(node['topic']) };
  if ('key' in node) record.key = node['key'];
  if ('value' in node) record.value = node['value'];
  const timestamp = jsonNumberToNumber(node['timestamp']);
  if (timestamp !== undefined) record.timestamp = timestamp;
  const window = normalizeWindow(node['window']);
  if (window) record.window = window;
  if (Array.isArray(node['headers'])) record.headers = node['headers'] as QttRecord['headers'];
  return record;
}

function normalizeTopic(node: JsonNode): QttTopic {
  if (!isObject(node)) throw new Error(`Invalid topic: ${JSON.stringify(node)}`);
  const topic: { -readonly [K in keyof QttTopic]: QttTopic[K] } = { name: String(node['name']) };
  const partitions = jsonNumberToNumber(node['partitions']);
  if (partitions !== undefined) topic.partitions = partitions;
  const replicas = jsonNumberToNumber(node['replicas']);
  if (replicas !== undefined) topic.replicas = replicas;
  if (typeof node['keyFormat'] === 'string') topic.keyFormat = node['keyFormat'];
  if (typeof node['valueFormat'] === 'string') topic.valueFormat = node['valueFormat'];
  if (typeof node['format'] === 'string') topic.format = node['format'];
  return topic;
}

/** lossless numbers inside post conditions (partitions, window sizes) become JS numbers. */
function toPlainNumbers(node: JsonNode): JsonNode {
  if (isLosslessNumber(node)) return Number(node.value);
  if (Array.isArray(node)) return node.map(toPlainNumbers);
  if (isObject(node)) return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, toPlainNumbers(v)]));
  return node;
}

function normalizeTest(node: JsonNode): QttTest {
  if (!isObject(node)) throw new Error('Invalid test entry');
  const strings = (v: JsonNode): string[] | undefined => (Array.isArray(v) ? v.map((x) => String(x)) : undefined);
  const test: { -readonly [K in keyof QttTest]: QttTest[K] } = {
    name: String(node['name']),
    statements: strings(node['statements']) ?? [],
  };
  const format = strings(node['format']);
  if (format) test.format = format;
  const config = strings(node['config']);
  if (config) test.config = config;
  if (isObject(node['properties'])) test.properties = node['properties'];
  if (Array.isArray(node['topics'])) test.topics = node['topics'].map(normalizeTopic);
  if (Array.isArray(node['inputs'])) test.inputs = node['inputs'].map(normalizeRecord);
  if (Array.isArray(node['outputs'])) test.outputs = node['outputs'].map(normalizeRecord);
  if (isObject(node['expectedException'])) {
    const ee = node['expectedException'];
    test.expectedException = {
      ...(typeof ee['type'] === 'string' ? { type: ee['type'] } : {}),
      ...(typeof ee['message'] === 'string' ? { message: ee['message'] } : {}),
    };
  }
  if (isObject(node['post'])) test.post = toPlainNumbers(node['post']) as QttTest['post'];
  if (node['enabled'] === false) test.enabled = false;
  return test;
}

export function parseQttFile(text: string): QttFile {
  const root = parseLosslessJson(text);
  if (!isObject(root) || !Array.isArray(root['tests'])) throw new Error('QTT file has no "tests" array');
  return { tests: root['tests'].map(normalizeTest) };
}

export async function loadQttFile(path: string): Promise<QttFile> {
  return parseQttFile(await readFile(path, 'utf8'));
}

function fileStem(file: string): string {
  return file.replace(/\.[^.]*$/, '');
}

/**
 * The variants of one test entry. Disabled entries still yield their variants (marked
 * `enabled: false`) so the report can list them; the runner does not run them.
 */
export function expandTest(file: string, testIndex: number, test: QttTest): TestVariant[] {
  const formats: (string | undefined)[] = test.format && test.format.length > 0 ? [...test.format] : [undefined];
  const configs: (string | undefined)[] = test.config && test.config.length > 0 ? [...test.config] : [undefined];
  const properties = test.properties ?? {};
  let configKey: string | undefined;
  if (test.config && test.config.length > 0) {
    const keys = Object.entries(properties)
      .filter(([, v]) => typeof v === 'string' && v.toUpperCase() === '{CONFIG}')
      .map(([k]) => k);
    if (keys.length !== 1) {
      throw new Error(`Invalid test '${test.name}': "config" needs exactly one property set to "{CONFIG}"`);
    }
    configKey = keys[0];
  }
  const base = basename(file);
  const variants: TestVariant[] = [];
  for (const format of formats) {
    for (const config of configs) {
      const variantProperties: Record<string, JsonNode> = { ...properties };
      let configText = '';
      if (config !== undefined && configKey !== undefined) {
        variantProperties[configKey] = config;
        configText = `${configKey}=${config}`;
      }
      const fullName =
        `${fileStem(base)} - ${test.name}` + (format !== undefined ? ` - ${format}` : '') + (configText ? ` - ${configText}` : '');
      variants.push({
        file: base,
        testIndex,
        name: test.name,
        fullName,
        format: format ?? '',
        config: config ?? '',
        enabled: test.enabled !== false,
        statements: test.statements.map((s) => s.split('{FORMAT}').join(format ?? FORMAT_REPLACE_ERROR)),
        properties: variantProperties,
        topics: test.topics ?? [],
        inputs: test.inputs ?? [],
        outputs: test.outputs ?? [],
        ...(test.expectedException ? { expectedException: test.expectedException } : {}),
        ...(test.post ? { post: test.post } : {}),
      });
    }
  }
  return variants;
}

export function expandFile(file: string, qtt: QttFile): TestVariant[] {
  return qtt.tests.flatMap((test, index) => expandTest(file, index, test));
}
