/** Option parsing of `ksml engine`: bad values are refused with clear messages. */
import { Command, CommanderError } from 'commander';
import { describe, expect, it } from 'vitest';
import { collectProperty, parsePort, registerEngineCommand } from '../../src/cli/commands/engine.js';

function parseEngineArgs(args: string[]): { error?: string; opts?: Record<string, unknown> } {
  const program = new Command('ksml').exitOverride();
  let error: string | undefined;
  let opts: Record<string, unknown> | undefined;
  program.configureOutput({ writeErr: (text) => (error = (error ?? '') + text), writeOut: () => {} });
  registerEngineCommand(program);
  // Never let the command actually start a server in this test.
  program.commands[0]!.exitOverride().action((parsed: Record<string, unknown>) => {
    opts = parsed;
  });
  try {
    program.parse(['node', 'ksml', 'engine', ...args]);
  } catch (err) {
    if (!(err instanceof CommanderError)) throw err;
  }
  return error === undefined ? { ...(opts ? { opts } : {}) } : { error };
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
    expect(parseEngineArgs(['--port', '0', '--property', 'a=b']).error).toBeUndefined();
  });

  it('runs over Kafka with --kafka, else KAFKA_BOOTSTRAP_SERVERS, the flag winning', () => {
    const saved = process.env.KAFKA_BOOTSTRAP_SERVERS;
    try {
      delete process.env.KAFKA_BOOTSTRAP_SERVERS;
      expect(parseEngineArgs([]).opts?.kafka).toBeUndefined();
      expect(parseEngineArgs(['--kafka', 'a:9092, b:9093']).opts?.kafka).toEqual(['a:9092', 'b:9093']);
      expect(parseEngineArgs(['--kafka', 'nohost']).error).toMatch(/host:port/);
      process.env.KAFKA_BOOTSTRAP_SERVERS = 'env:9092';
      expect(parseEngineArgs([]).opts?.kafka).toEqual(['env:9092']);
      expect(parseEngineArgs(['--kafka', 'flag:9092']).opts?.kafka).toEqual(['flag:9092']);
    } finally {
      if (saved === undefined) delete process.env.KAFKA_BOOTSTRAP_SERVERS;
      else process.env.KAFKA_BOOTSTRAP_SERVERS = saved;
    }
  });
});
