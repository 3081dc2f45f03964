/** Option parsing of `ksml engine`: bad values are refused with clear messages. */
import { Command, CommanderError } from 'commander';
import { describe, expect, it } from 'vitest';
import { collectProperty, parsePort, registerEngineCommand } from '../../src/cli/commands/engine.js';

function parseEngineArgs(args: string[]): { error?: string } {
  const program = new Command('ksml').exitOverride();
  let error: string | undefined;
  program.configureOutput({ writeErr: (text) => (error = (error ?? '') + text), writeOut: () => {} });
  registerEngineCommand(program);
  // Never let the command actually start a server in this test.
  program.commands[0]!.exitOverride().action(() => {});
  try {
    program.parse(['node', 'ksml', 'engine', ...args]);
  } catch (err) {
    if (!(err instanceof CommanderError)) throw err;
  }
  return error === undefined ? {} : { error };
}

describe('ksml engine options', () => {
  it('accepts ports 0..65535 only', () => {
    expect(parsePort('0')).toBe(0);
    expect(parsePort('8088')).toBe(8088);
    for (const bad of ['-1', '65536', 'abc', '80.5', '']) expect(() => parsePort(bad)).toThrow(/between 0 and 65535/);
  });

  it('collects repeated --property key=value pairs', () => {
    const props = collectProperty('b=2=3', collectProperty('a=1', {}));
    expect(props).toEqual({ a: '1', b: '2=3' });
    expect(() => collectProperty('novalue', {})).toThrow(/key=value/);
    expect(() => collectProperty('=v', {})).toThrow(/key=value/);
  });

  it('reports invalid option values through commander', () => {
    expect(parseEngineArgs(['--port', 'http']).error).toMatch(/--port <port>.*'http' is invalid/);
    expect(parseEngineArgs(['--property', 'x']).error).toMatch(/expected key=value/);
    expect(parseEngineArgs(['--port', '0', '--property', 'a=b'])).toEqual({});
  });
});
