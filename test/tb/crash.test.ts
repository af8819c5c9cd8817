import { existsSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { wavesDir } from '../../tb/paths.js';
import { Simulator } from '../../tb/sim.js';
import { rejection } from './rejection.js';
import { fatal, fifo } from './fixtures.js';

describe('a design that stops with $fatal', () => {
  it('runs normally until then, keeping $display off the protocol, and then reports the crash', async () => {
    const sim = await Simulator.start(fatal);
    await sim.reset();
    await sim.step(10);
    expect(await sim.peek('count')).toBe(10n);
    const err = await rejection(sim.step(30));
    expect(err.message).toMatch(/simulator 'fatal' died: the design stopped with an error \(\$stop, \$fatal or a failed assertion\)/);
    expect(err.message).toContain('last command: s 30');
    expect(err.message).toContain('fatal fixture: count reached 20');
    expect(sim.output).toContain('fatal fixture: count reached 5');
    expect(err.message).toMatch(/harness: design stopped with an error .* at cycle 21/);
    await expect(sim.peek('count')).rejects.toBe(err);
    await sim.close();
  });
});

describe('waveforms', () => {
  it('writes waves/<name>-seed<seed>.fst when WAVES=1', async () => {
    const path = join(wavesDir, 'tb-waves-test-seed4242.fst');
    rmSync(path, { force: true });
    const sim = await Simulator.start(fifo, { name: 'tb-waves-test', seed: 4242, env: { ...process.env, WAVES: '1' } });
    expect(sim.wavesPath).toBe(path);
    await sim.reset();
    await sim.runStreams({
      sources: [
        {
          port: 'enq',
          data: [
            [1, 2],
            [3, 4],
          ],
        },
      ],
      sinks: [{ port: 'deq', count: 2 }],
    });
    await sim.close();
    expect(existsSync(path)).toBe(true);
    expect(statSync(path).size).toBeGreaterThan(100);
    rmSync(path);
  });
});
