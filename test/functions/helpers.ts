import { createFunctionRegistry, simpleFunctionContext } from '../../src/engine/functions/registry.js';
import type { SqlType } from '../../src/engine/types.js';
import type { Value } from '../../src/engine/values/value.js';

export const registry = createFunctionRegistry();

/** Resolves NAME(argTypes) and invokes it, the way the expression compiler does. */
export function call(
  name: string,
  argTypes: readonly SqlType[],
  args: Value[],
  opts: { properties?: Record<string, string>; now?: number } = {},
): Value {
  const fn = registry.resolve(name, argTypes);
  const now = opts.now;
  return fn.invoke(args, simpleFunctionContext(opts.properties ?? {}, now === undefined ? Date.now : () => now));
}

export function resolutionError(name: string, argTypes: readonly SqlType[]): string {
  try {
    registry.resolve(name, argTypes);
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error(`${name} resolved unexpectedly`);
}
