/** Argument parsers shared by the CLI's commands, failing with commander's usage errors. */
import { InvalidArgumentError } from 'commander';

/** A parser for options that take a positive number (`integer`: a positive whole number). */
export function positiveNumber(option: string, opts: { integer: boolean }): (text: string) => number {
  return (text) => {
    const n = Number(text);
    if (!(n > 0) || (opts.integer && !Number.isInteger(n))) {
      throw new InvalidArgumentError(`${option} must be a positive ${opts.integer ? 'integer' : 'number'}`);
    }
    return n;
  };
}
