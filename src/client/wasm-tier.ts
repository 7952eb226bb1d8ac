import { setFlagsFromString } from 'node:v8'

/**
 * Asks V8 for its baseline WebAssembly compiler only. HTTP parsing in undici (ours and the one behind global
 * `fetch`) is WebAssembly, and V8's background optimizing compile of it holds a short-lived process ~80–150 ms at
 * exit; a command making a handful of requests gains nothing from it. Must run before the parser first compiles.
 */
export function baselineWasmOnly(): void {
  setFlagsFromString('--liftoff-only')
}
