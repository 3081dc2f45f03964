/**
 * The shape of ksqlDB's query-validation-test (QTT) files, as parsed with lossless-json so that
 * numbers keep the digits they were written with (see INDEX.md, "File format").
 *
 * JSON values from the files stay untyped (`JsonNode`): numbers are LosslessNumber, objects are
 * plain objects. The comparator and the record encoder interpret them.
 */

/** A value from a QTT file: LosslessNumber for numbers, plain objects and arrays otherwise. */
export type JsonNode = unknown;

export interface QttWindow {
  readonly start: number;
  readonly end: number;
  readonly type: 'time' | 'session';
}

export interface QttHeader {
  readonly KEY: string;
  readonly VALUE: string | null;
}

export interface QttRecord {
  readonly topic: string;
  /** Absent and null both mean a null key. */
  readonly key?: JsonNode;
  /** null is a tombstone. */
  readonly value?: JsonNode;
  readonly timestamp?: number;
  readonly window?: QttWindow;
  readonly headers?: readonly QttHeader[];
}

export interface QttTopic {
  readonly name: string;
  readonly partitions?: number;
  readonly replicas?: number;
  readonly keyFormat?: string;
  readonly valueFormat?: string;
  readonly format?: string;
}

export interface QttExpectedException {
  readonly type?: string;
  readonly message?: string;
}

export interface QttPostKeyFormat {
  readonly format?: string;
  readonly windowType?: string;
  readonly windowSize?: number;
}

export interface QttPostSource {
  readonly name: string;
  readonly type: string;
  readonly schema?: string;
  readonly keyFormat?: QttPostKeyFormat;
  readonly valueFormat?: string;
  readonly keyFeatures?: readonly string[];
  readonly valueFeatures?: readonly string[];
  readonly isSource?: boolean;
}

/** KeyFormat / ValueFormat as ksqlDB serializes them in post topic conditions. */
export interface QttPostTopicFormat {
  readonly format: string;
  readonly features?: readonly string[];
  readonly properties?: Readonly<Record<string, string>>;
  readonly windowInfo?: { readonly type: string; readonly size?: number };
}

export interface QttPostTopic {
  readonly name: string;
  readonly keyFormat: QttPostTopicFormat;
  readonly valueFormat: QttPostTopicFormat;
  readonly partitions?: number;
  readonly keySchemaId?: number;
  readonly valueSchemaId?: number;
}

export interface QttPost {
  readonly sources?: readonly QttPostSource[];
  readonly topics?: { readonly topics?: readonly QttPostTopic[]; readonly blacklist?: string };
}

/** One entry of a file's `tests` array, as written. */
export interface QttTest {
  readonly name: string;
  readonly statements: readonly string[];
  readonly format?: readonly string[];
  readonly config?: readonly string[];
  readonly properties?: Readonly<Record<string, JsonNode>>;
  readonly topics?: readonly QttTopic[];
  readonly inputs?: readonly QttRecord[];
  readonly outputs?: readonly QttRecord[];
  readonly expectedException?: QttExpectedException;
  readonly post?: QttPost;
  readonly enabled?: boolean;
}

export interface QttFile {
  readonly tests: readonly QttTest[];
}

/** One runnable variant: a test entry after `format` / `config` expansion. */
export interface TestVariant {
  /** Base name of the file, e.g. `math.json`. */
  readonly file: string;
  /** 0-based position in the file's `tests`. */
  readonly testIndex: number;
  /** The entry's name as written. */
  readonly name: string;
  /** The harness's full variant name: `<file stem> - <name>[ - <format>][ - <prop>=<value>]`. */
  readonly fullName: string;
  /** The `format` list entry of this variant, "" when the test has none. */
  readonly format: string;
  /** The `config` list entry of this variant, "" when the test has none. */
  readonly config: string;
  readonly enabled: boolean;
  /** Statements with `{FORMAT}` replaced. */
  readonly statements: readonly string[];
  /** Properties with the `{CONFIG}` entry replaced; values as written (JsonNode). */
  readonly properties: Readonly<Record<string, JsonNode>>;
  readonly topics: readonly QttTopic[];
  readonly inputs: readonly QttRecord[];
  readonly outputs: readonly QttRecord[];
  readonly expectedException?: QttExpectedException;
  readonly post?: QttPost;
}
