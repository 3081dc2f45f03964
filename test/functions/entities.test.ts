import { describe, expect, it } from 'vitest';
import { KsqlStatementError } from '../../src/engine/errors.js';
import { describeFunctionEntity, showFunctionsEntity } from '../../src/engine/functions/entities.js';
import { registry } from './helpers.js';

describe('SHOW FUNCTIONS', () => {
  const entity = showFunctionsEntity(registry, 'SHOW FUNCTIONS;');

  it('has the function_names shape', () => {
    expect(entity['@type']).toBe('function_names');
    expect(entity.statementText).toBe('SHOW FUNCTIONS;');
    expect(entity.warnings).toEqual([]);
  });

  it('lists scalar, aggregate and table functions sorted by name', () => {
    expect(entity.functions).toContainEqual({ name: 'ABS', type: 'SCALAR', category: 'MATHEMATICAL' });
    expect(entity.functions).toContainEqual({ name: 'SUBSTRING', type: 'SCALAR', category: 'STRING' });
    expect(entity.functions).toContainEqual({ name: 'COUNT', type: 'AGGREGATE', category: 'AGGREGATE' });
    expect(entity.functions).toContainEqual({ name: 'EXPLODE', type: 'TABLE', category: 'TABLE' });
    const names = entity.functions.map((f) => f.name);
    expect(names).toEqual([...names].sort());
    expect(new Set(names).size).toBe(names.length);
  });
});

describe('DESCRIBE FUNCTION', () => {
  it('describes every signature of a scalar function', () => {
    const d = describeFunctionEntity(registry, 'substring', 'DESCRIBE FUNCTION substring;');
    expect(d['@type']).toBe('describe_function');
    expect(d.name).toBe('SUBSTRING');
    expect(d.type).toBe('SCALAR');
    expect(d.path).toBe('internal');
    expect(d.author).toBe('Confluent');
    expect(d.statementText).toBe('DESCRIBE FUNCTION substring;');
    expect(d.warnings).toEqual([]);
    expect(d.functions).toContainEqual(
      expect.objectContaining({
        arguments: [
          { name: 'str', type: 'VARCHAR', description: '', isVariadic: false },
          { name: 'pos', type: 'INT', description: '', isVariadic: false },
        ],
        returnType: 'VARCHAR',
        argumentTypes: ['VARCHAR', 'INT'],
      }),
    );
  });

  it('marks variadic arguments and shows generic return types', () => {
    const d = describeFunctionEntity(registry, 'COALESCE', '');
    expect(d.functions[0]!.arguments[1]).toEqual({ name: 'others', type: 'T', description: '', isVariadic: true });
    expect(d.functions[0]!.returnType).toBe('T');
    const greatest = describeFunctionEntity(registry, 'GREATEST', '');
    expect(greatest.functions.map((f) => f.returnType)).toContain('DECIMAL');
    const round = describeFunctionEntity(registry, 'ROUND', '');
    expect(round.functions.map((f) => `${f.argumentTypes.join(',')}->${f.returnType}`)).toEqual([
      'BIGINT->BIGINT',
      'INT->BIGINT',
      'DOUBLE->BIGINT',
      'DOUBLE,INT->DOUBLE',
      'DECIMAL->DECIMAL',
      'DECIMAL,INT->DECIMAL',
    ]);
  });

  it('describes aggregates by name', () => {
    expect(describeFunctionEntity(registry, 'count', '').type).toBe('AGGREGATE');
  });

  it('rejects unknown functions with ksqlDB message', () => {
    expect(() => describeFunctionEntity(registry, 'nope', 'DESCRIBE FUNCTION nope;')).toThrow(KsqlStatementError);
    expect(() => describeFunctionEntity(registry, 'nope', '')).toThrow("Can't find any functions with the name 'NOPE'");
  });
});
