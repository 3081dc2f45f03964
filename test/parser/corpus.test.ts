/**
 * Parses every statement of ksqlDB 0.29's own conformance files (QTT). Positive tests must
 * parse (UnsupportedStatement is allowed); negative tests that expect a syntax error must fail
 * with ksqlDB's message.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { KsqlStatementError, ParseError } from '../../src/engine/errors.js';
import { parseStatements } from '../../src/engine/parser/parser.js';

const QTT_DIR = '/work/shared/ksqldb/qtt';

interface QttTest {
  readonly name: string;
  readonly statements: readonly string[];
  readonly format?: readonly string[];
  readonly expectedException?: { readonly type?: string; readonly message?: string };
}

interface Variant {
  readonly file: string;
  readonly index: number;
  readonly test: QttTest;
  readonly format: string;
  readonly status: string;
}

function loadVariants(): Variant[] {
  const status = new Map<string, string>();
  for (const line of readFileSync(`${QTT_DIR}/scope.tsv`, 'utf8').split('\n').slice(1)) {
    const [file, index, , format, , st] = line.split('\t');
    if (file !== undefined && st !== undefined) status.set(`${file}|${index}|${format}`, st);
  }
  const variants: Variant[] = [];
  for (const file of readdirSync(QTT_DIR).filter((f) => f.endsWith('.json')).sort()) {
    const tests = (JSON.parse(readFileSync(`${QTT_DIR}/${file}`, 'utf8')) as { tests: QttTest[] }).tests;
    tests.forEach((test, index) => {
      for (const format of test.format ?? ['']) {
        variants.push({ file, index, test, format, status: status.get(`${file}|${index}|${format}`) ?? 'unknown' });
      }
    });
  }
  return variants;
}

/** The statements as the reference harness hands them to the parser: one text, one per line. */
function sqlOf(v: Variant): string {
  return v.test.statements.map((s) => s.replaceAll('{FORMAT}', v.format)).join('\n');
}

const inScope = (v: Variant): boolean => v.status === 'in' || v.status === 'in-extended';

describe.skipIf(!existsSync(QTT_DIR))('QTT corpus', () => {
  if (!existsSync(QTT_DIR)) console.log(`skipping the QTT corpus: ${QTT_DIR} is absent`);

  it('parses every statement of every positive test', () => {
    const variants = loadVariants().filter((v) => v.test.expectedException === undefined);
    const failures: { variant: Variant; message: string }[] = [];
    const kinds = new Map<string, number>();
    let statements = 0;
    for (const v of variants) {
      try {
        for (const s of parseStatements(sqlOf(v))) {
          statements++;
          kinds.set(s.kind, (kinds.get(s.kind) ?? 0) + 1);
        }
      } catch (e) {
        if (!(e instanceof KsqlStatementError)) throw e;
        failures.push({ variant: v, message: e.message });
      }
    }
    console.log(
      `QTT corpus: ${variants.length} positive variants, ${statements} statements parsed, ${failures.length} failed;`,
      Object.fromEntries(kinds),
    );
    for (const f of failures) console.log(`  ${f.variant.file} #${f.variant.index} ${f.variant.test.name} [${f.variant.status}]: ${f.message}`);
    expect(variants.length).toBeGreaterThan(500);
    expect(failures.filter((f) => inScope(f.variant)).map((f) => `${f.variant.file} ${f.variant.test.name}: ${f.message}`)).toEqual([]);
  });

  it('fails negative syntax tests with ksqlDB messages', () => {
    const negatives = loadVariants().filter(
      (v) => inScope(v) && /ParseFailedException/.test(v.test.expectedException?.type ?? '') && /Syntax Error|Syntax error|Column `/.test(v.test.expectedException?.message ?? ''),
    );
    const mismatches: string[] = [];
    for (const v of negatives) {
      const expected = v.test.expectedException!.message!;
      try {
        parseStatements(sqlOf(v));
        mismatches.push(`${v.file} ${v.test.name}: parsed without error`);
      } catch (e) {
        if (!(e instanceof ParseError)) throw e;
        // ksqlDB's KsqlStatementException message ends with "\nStatement: <text>".
        const full = `${e.message}\nStatement: ${e.statementText}`;
        if (!full.includes(expected)) mismatches.push(`${v.file} ${v.test.name}: got ${JSON.stringify(e.message)}, want ${JSON.stringify(expected)}`);
      }
    }
    console.log(`QTT corpus: ${negatives.length} in-scope negative syntax tests, ${mismatches.length} mismatched`);
    expect(negatives.length).toBeGreaterThan(10);
    expect(mismatches).toEqual([]);
  });
});
