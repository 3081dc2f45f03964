import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { describeFunctionEntity, showFunctionsEntity } from '../../src/engine/functions/entities.js';
import { loadExtensionDirectory, registerUdf } from '../../src/engine/functions/extensions.js';
import { createFunctionRegistry, simpleFunctionContext } from '../../src/engine/functions/registry.js';
import { parseParamType, parseSqlType } from '../../src/engine/functions/sql-type-parser.js';
import { SqlTypes as S } from '../../src/engine/types.js';
import { Decimal } from '../../src/engine/values/decimal.js';

const ctx = simpleFunctionContext();

describe('SQL type strings', () => {
  it('parses primitives, decimals and nested types', () => {
    expect(parseSqlType('double')).toEqual(S.DOUBLE);
    expect(parseSqlType('INT')).toEqual(S.INTEGER);
    expect(parseSqlType('VARCHAR')).toEqual(S.STRING);
    expect(parseSqlType('DECIMAL(10, 2)')).toEqual(S.decimal(10, 2));
    expect(parseSqlType('ARRAY<MAP<STRING, BIGINT>>')).toEqual(S.array(S.map(S.STRING, S.BIGINT)));
    expect(parseSqlType('STRUCT<A INT, `b c` ARRAY<STRING>>')).toEqual(
      S.struct([
        { name: 'A', type: S.INTEGER },
        { name: 'b c', type: S.array(S.STRING) },
      ]),
    );
  });

  it('accepts generics only in parameter position', () => {
    expect(parseParamType('ARRAY<T>')).toEqual({ kind: 'ARRAY', item: { kind: 'GENERIC', name: 'T' } });
    expect(parseParamType('DECIMAL')).toEqual({ kind: 'ANY_DECIMAL' });
    expect(() => parseSqlType('T')).toThrow("unknown type 'T'");
    expect(() => parseSqlType('ARRAY<INT')).toThrow();
    expect(() => parseSqlType('DECIMAL(2, 5)')).toThrow('scale');
  });
});

describe('registerUdf', () => {
  it('registers a callable function visible to SHOW and DESCRIBE FUNCTION', () => {
    const registry = createFunctionRegistry();
    registerUdf(registry, {
      name: 'multiply_by',
      description: 'Multiplies',
      author: 'me',
      version: '1.2.3',
      params: [{ name: 'value', type: 'DOUBLE' }, { name: 'factor', type: 'INT' }],
      returns: 'DOUBLE',
      fn: (v: unknown, f: unknown) => (v as number) * (f as number),
    });
    const f = registry.resolve('MULTIPLY_BY', [S.INTEGER, S.INTEGER]);
    expect(f.paramTypes).toEqual([S.DOUBLE, S.INTEGER]);
    expect(f.invoke([2.5, 4], ctx)).toBe(10);
    expect(f.invoke([null, 4], ctx)).toBeNull();

    const show = showFunctionsEntity(registry, 'SHOW FUNCTIONS;');
    expect(show.functions).toContainEqual({ name: 'MULTIPLY_BY', type: 'SCALAR', category: 'OTHER' });
    const described = describeFunctionEntity(registry, 'multiply_by', 'DESCRIBE FUNCTION multiply_by;');
    expect(described).toMatchObject({
      '@type': 'describe_function',
      name: 'MULTIPLY_BY',
      author: 'me',
      version: '1.2.3',
      path: 'extension',
      type: 'SCALAR',
      functions: [
        {
          arguments: [
            { name: 'value', type: 'DOUBLE', description: '', isVariadic: false },
            { name: 'factor', type: 'INT', description: '', isVariadic: false },
          ],
          returnType: 'DOUBLE',
          argumentTypes: ['DOUBLE', 'INT'],
        },
      ],
    });
  });

  it('supports several signatures, generics, decimals and varargs', () => {
    const registry = createFunctionRegistry();
    registerUdf(registry, {
      name: 'FIRST_OR',
      signatures: [
        { params: ['ARRAY<T>', 'T'], returns: 'T', fn: (a: unknown, d: unknown) => (a as unknown[])[0] ?? d },
        { params: ['DECIMAL(10, 2)'], returns: 'DECIMAL(10, 2)', fn: (d: unknown) => (d as Decimal).add(new Decimal(1n, 0)) },
      ],
    });
    registerUdf(registry, {
      name: 'SUM_ALL',
      params: ['BIGINT'],
      variadic: true,
      returns: 'BIGINT',
      acceptsNulls: true,
      fn: (...xs: unknown[]) => xs.reduce<bigint>((a, x) => a + ((x as bigint | null) ?? 0n), 0n),
    });
    const generic = registry.resolve('FIRST_OR', [S.array(S.STRING), S.STRING]);
    expect(generic.returnType).toEqual(S.STRING);
    expect(generic.invoke([[], 'dflt'], ctx)).toBe('dflt');
    const dec = registry.resolve('FIRST_OR', [S.decimal(4, 2)]);
    expect(String(dec.invoke([Decimal.parse('1.50')], ctx))).toBe('2.50');
    expect(registry.resolve('SUM_ALL', [S.INTEGER, S.BIGINT, S.NULL]).invoke([1n, 2n, null], ctx)).toBe(3n);
  });

  it('rejects invalid definitions with a message naming the problem', () => {
    const registry = createFunctionRegistry();
    expect(() => registerUdf(registry, { name: 'bad name', params: [], returns: 'INT', fn: () => 1 })).toThrow(/name must be a SQL identifier/);
    expect(() => registerUdf(registry, { name: 'NO_FN', params: ['INT'], returns: 'INT' })).toThrow(/give either `signatures`/);
    expect(() => registerUdf(registry, { name: 'BAD_TYPE', params: ['INTEGR'], returns: 'INT', fn: () => 1 })).toThrow(/parameter 1: unknown type 'INTEGR'/);
    expect(() => registerUdf(registry, { name: 'ABS', params: ['INT'], returns: 'INT', fn: () => 1 })).toThrow(/already registered/);
    expect(() => registerUdf(registry, { name: 'COUNT', params: ['INT'], returns: 'INT', fn: () => 1 })).toThrow(/already registered/);
  });
});

describe('loadExtensionDirectory', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'udf-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('imports .js and .mjs modules and registers their udfs', async () => {
    await writeFile(
      join(dir, 'a.mjs'),
      `export const udfs = [{ name: 'shout', params: ['STRING'], returns: 'STRING', fn: (s) => s.toUpperCase() + '!' }];\n`,
    );
    await writeFile(
      join(dir, 'b.js'),
      `export default [{ name: 'twice', params: ['INT'], returns: 'INT', fn: (x) => x * 2 }];\n`,
    );
    await writeFile(join(dir, 'notes.txt'), 'not a module');
    const registry = createFunctionRegistry();
    const names = await loadExtensionDirectory(registry, dir);
    expect(names).toEqual(['SHOUT', 'TWICE']);
    expect(registry.resolve('shout', [S.STRING]).invoke(['hi'], ctx)).toBe('HI!');
    expect(registry.resolve('TWICE', [S.INTEGER]).invoke([21], ctx)).toBe(42);
    expect(describeFunctionEntity(registry, 'SHOUT', '').path).toBe(join(dir, 'a.mjs'));
  });

  it('names the file and the problem on errors', async () => {
    await writeFile(join(dir, 'broken.mjs'), `export const udfs = [{ name: 'x', params: ['NOPE'], returns: 'INT', fn: () => 1 }];\n`);
    await expect(loadExtensionDirectory(createFunctionRegistry(), dir)).rejects.toThrow(/broken\.mjs.*unknown type 'NOPE'/);
  });

  it('reports modules that do not load or export nothing', async () => {
    await writeFile(join(dir, 'syntax.mjs'), `export const = ;\n`);
    await expect(loadExtensionDirectory(createFunctionRegistry(), dir)).rejects.toThrow(/Failed to load UDF extension .*syntax\.mjs/);
    await rm(join(dir, 'syntax.mjs'));
    await writeFile(join(dir, 'empty.mjs'), `export const other = 1;\n`);
    await expect(loadExtensionDirectory(createFunctionRegistry(), dir)).rejects.toThrow(/empty\.mjs exports neither 'udfs' nor a default export/);
  });
});
