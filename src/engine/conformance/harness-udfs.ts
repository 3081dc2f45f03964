/**
 * Functions that exist only on the classpath of ksqlDB's test harness, which some QTT cases
 * call. The runner registers them through the engine's UDF extension point, as the harness's
 * jar does, so those cases test the engine rather than the absence of a test fixture.
 */
import { KsqlFunctionError } from '../errors.js';
import { registerUdf } from '../functions/extensions.js';
import type { FunctionRegistry } from '../functions/types.js';
import type { Value } from '../values/value.js';

/** Returns its first argument; fails when its second says it should never have been called. */
function mustBeEvaluated(name: string) {
  return (value: Value, shouldBeEvaluated: Value): Value => {
    if (shouldBeEvaluated !== true) throw new KsqlFunctionError(`${name} was evaluated although it should not have been`);
    return value;
  };
}

export function registerHarnessUdfs(registry: FunctionRegistry): void {
  registerUdf(
    registry,
    {
      name: 'WHENCONDITION',
      description: 'Test harness: returns its first argument; fails if its second is false.',
      params: ['BOOLEAN', 'BOOLEAN'],
      returns: 'BOOLEAN',
      acceptsNulls: true,
      fn: mustBeEvaluated('WHENCONDITION'),
    },
    'ksqldb-functional-tests',
  );
  registerUdf(
    registry,
    {
      name: 'WHENRESULT',
      description: 'Test harness: returns its first argument; fails if its second is false.',
      params: ['INT', 'BOOLEAN'],
      returns: 'INT',
      acceptsNulls: true,
      fn: mustBeEvaluated('WHENRESULT'),
    },
    'ksqldb-functional-tests',
  );
  registerBadUdf(registry);
}

/**
 * BAD_UDF (ksqldb-functional-tests' BadUdf): `(INT)` always throws, `(BOOLEAN)` throws when
 * true, `(STRING)` returns null on every other call (starting with the first) and its argument
 * otherwise. The alternation is per engine, as the harness's UDF instance is per query.
 */
function registerBadUdf(registry: FunctionRegistry): void {
  let calls = 0;
  registerUdf(
    registry,
    {
      name: 'BAD_UDF',
      description: 'Test harness: throws exceptions when called.',
      signatures: [
        {
          params: ['INT'],
          returns: 'STRING',
          fn: () => {
            throw new KsqlFunctionError('boom!');
          },
        },
        {
          params: ['BOOLEAN'],
          returns: 'INT',
          fn: (arg: Value) => {
            if (arg === true) throw new KsqlFunctionError('You asked me to throw...');
            return 0;
          },
        },
        {
          params: ['STRING'],
          returns: 'STRING',
          fn: (arg: Value) => (calls++ % 2 === 0 ? null : arg),
        },
      ],
    },
    'ksqldb-functional-tests',
  );
}
