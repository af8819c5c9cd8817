import { afterAll, beforeAll, describe, it } from 'vitest';
import { modesFor, planMode } from '../../golden/noc/modes.js';
import { paperNoc } from '../../spec/noc/params.js';
import { RouterCluster } from '../../generator/eyeriss/noc/router-cluster.js';
import { RouterMesh } from '../../generator/eyeriss/noc/router-mesh.js';
import { emitForSim } from '../../tb/dsl.js';
import { makeRng } from '../../tb/seed.js';
import { Simulator } from '../../tb/sim.js';
import { testSeed } from '../../tb/testing.js';
import { oddNoc, randomRouting, runNet } from './helpers.js';

/**
 * One router cluster with its mesh ports open to the bench: random legal routes (several
 * streams per router, forks, pass-throughs), random fabric classes, random payloads and random
 * valid/ready on every port, checked packet by packet against the golden delivery model.
 */
describe('router cluster (paper sizes, mesh ports external)', () => {
  let sim: Simulator;
  beforeAll(async () => {
    sim = await Simulator.start(await emitForSim(RouterCluster, paperNoc));
  });
  afterAll(async () => sim?.close());

  for (const net of ['iact', 'weight', 'psum'] as const) {
    it(`${net} network: random configurations`, async (ctx) => {
      const rng = makeRng(testSeed(ctx));
      for (let round = 0; round < 50; round++) {
        const mesh = randomRouting(rng, paperNoc, 1, 1, true, net);
        await runNet(sim, rng, paperNoc, mesh, net, { packets: 60, backpressure: true });
      }
    });
  }
});

// Other counts and widths than the paper's, and a one-column mesh, so nothing depends on the defaults.
describe('3x1 mesh of non-paper router clusters (2 iact routers, 2x3 PEs, odd widths)', () => {
  let sim: Simulator;
  beforeAll(async () => {
    sim = await Simulator.start(await emitForSim(RouterMesh, { rows: 3, cols: 1, noc: oddNoc }));
  });
  afterAll(async () => sim?.close());

  for (const net of ['iact', 'weight', 'psum'] as const) {
    it(`${net} network: every mode and random configurations`, async (ctx) => {
      const rng = makeRng(testSeed(ctx));
      for (const mode of modesFor(oddNoc, 3, 1, net)) {
        await runNet(sim, rng, oddNoc, planMode(oddNoc, 3, 1, net, mode), net, { packets: 40, backpressure: true });
      }
      for (let round = 0; round < 20; round++) {
        await runNet(sim, rng, oddNoc, randomRouting(rng, oddNoc, 3, 1, false, net), net, { packets: 40, backpressure: true });
      }
    });
  }
});
