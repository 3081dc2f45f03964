/**
 * Chooses the TensorFlow.js backend at run time: tfjs-node (native libtensorflow) if it loads,
 * else WebAssembly, else the pure-JS cpu backend. tfjs-node is an optional dependency because
 * its install script downloads a binary that some machines cannot fetch.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';

export type BackendName = 'tensorflow' | 'wasm' | 'cpu';

export interface BackendChoice {
  readonly name: BackendName;
  /** Why the faster backends were not used, for the log. */
  readonly skipped: readonly string[];
}

let chosen: Promise<BackendChoice> | undefined;

/**
 * Initialises the best available backend once per process. `prefer` (or the TFJS_BACKEND
 * environment variable) forces one, failing if it cannot load.
 */
export function initBackend(prefer: BackendName | undefined = envPreference()): Promise<BackendChoice> {
  chosen ??= selectBackend(prefer);
  return chosen;
}

function envPreference(): BackendName | undefined {
  const v = process.env.TFJS_BACKEND;
  if (v === undefined || v === '') return undefined;
  if (v === 'tensorflow' || v === 'wasm' || v === 'cpu') return v;
  throw new Error(`TFJS_BACKEND must be tensorflow, wasm or cpu, not '${v}'`);
}

async function selectBackend(prefer: BackendName | undefined): Promise<BackendChoice> {
  const order: BackendName[] = prefer ? [prefer] : ['tensorflow', 'wasm', 'cpu'];
  const skipped: string[] = [];
  for (const name of order) {
    try {
      await load(name);
      if (await tf.setBackend(name)) {
        await tf.ready();
        return { name, skipped };
      }
      skipped.push(`${name}: setBackend returned false`);
    } catch (err) {
      const notInstalled = (err as { code?: string }).code === 'ERR_MODULE_NOT_FOUND';
      skipped.push(`${name}: ${notInstalled ? 'not installed' : err instanceof Error ? err.message.split('\n')[0] : String(err)}`);
    }
  }
  throw new Error(`no TensorFlow.js backend could be initialised (${skipped.join('; ')})`);
}

async function load(name: BackendName): Promise<void> {
  if (name === 'tensorflow') {
    // Registers the 'tensorflow' backend as a side effect; throws when libtensorflow is missing.
    const moduleName = '@tensorflow/tfjs-node';
    await import(moduleName);
  } else if (name === 'wasm') {
    const wasm = await import('@tensorflow/tfjs-backend-wasm');
    const require = createRequire(import.meta.url);
    const dir = path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json'));
    wasm.setWasmPaths(path.join(dir, 'dist') + path.sep);
  }
  // cpu is bundled with @tensorflow/tfjs.
}

export { tf };
