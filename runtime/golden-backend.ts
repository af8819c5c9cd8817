// The golden backend: the golden model's chip-level computation is the result.
import type { Backend, BackendLayerRun, GoldenLayer } from './backend.js';

export class GoldenBackend implements Backend {
  readonly name = 'golden' as const;
  readonly needsGoldenValues = true;
  readonly buildSeconds = 0;

  runLayer(_layer: unknown, _data: unknown, _mapping: unknown, golden: GoldenLayer): Promise<BackendLayerRun> {
    if (golden.output === undefined) throw new Error('GoldenBackend: the golden model ran without values; runLayer must honour needsGoldenValues');
    return Promise.resolve({ output: golden.output, requantized: false, cycles: golden.cycles });
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}
