import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { idleMesh } from '../../spec/noc/routing.js';
import { validateMesh } from '../../golden/noc/delivery.js';
import { modeName, modesFor, planMode } from '../../golden/noc/modes.js';
import { encodeClusterRouting } from '../../spec/noc/cfg-layout.js';
import { paperNoc, type NocParams } from '../../spec/noc/params.js';
import { RouterMesh } from '../../generator/eyeriss/noc/router-mesh.js';
import { emitForSim } from '../../tb/dsl.js';
import { makeRng } from '../../tb/seed.js';
import { Simulator, StreamDeadlockError } from '../../tb/sim.js';
import { testSeed } from '../../tb/testing.js';
import { oddNoc, randomRouting, runNet } from './helpers.js';

/**
 * Meshes of router clusters: every network-level mode of every network, and random legal
 * multi-hop routes, each with random payloads and random backpressure on every port, against
 * the golden delivery model. The 2x2 mesh has the paper's clusters and its one horizontal
 * port; the 2x3 mesh has non-paper clusters with east/west ports, so streams cross a middle
 * column.
 */
/** Registers the suite in the enclosing describe; returns the mesh's simulator for further tests. */
function meshSuite(rows: number, cols: number, noc: NocParams): () => Simulator {
  let sim: Simulator;
  beforeAll(async () => {
    sim = await Simulator.start(await emitForSim(RouterMesh, { rows, cols, noc }));
  });
  afterAll(async () => sim?.close());

  for (const net of ['iact', 'weight', 'psum'] as const) {
    it(`${net} network: every mode (${modesFor(noc, rows, cols, net).map(modeName).join(', ')})`, async (ctx) => {
      const rng = makeRng(testSeed(ctx));
      for (const mode of modesFor(noc, rows, cols, net)) {
        for (let round = 0; round < 4; round++) {
          // Modes that deal a stream out in bursts get a random burst length each round.
          const m = mode.kind === 'broadcast' || net === 'psum' ? mode : { ...mode, burst: rng.int(1, 5) };
          await runNet(sim, rng, noc, planMode(noc, rows, cols, net, m), net, { packets: 48, backpressure: round > 0 });
        }
      }
    });
    it(`${net} network: random multi-hop configurations`, async (ctx) => {
      const rng = makeRng(testSeed(ctx));
      for (let round = 0; round < 40; round++) {
        await runNet(sim, rng, noc, randomRouting(rng, noc, rows, cols, false, net), net, { packets: 40, backpressure: true });
      }
    });
  }
  return () => sim;
}

describe('2x3 mesh of non-paper router clusters with east/west ports', () => {
  meshSuite(2, 3, { ...oddNoc, eastWest: true });
});

const rows = 2;
const cols = 2;

describe('2x2 mesh of router clusters', () => {
  const sim = meshSuite(rows, cols, paperNoc);

  it('a stalling route (rejected by validateMesh) shows up in RTL as a deadlock naming the stuck ports', async () => {
    const mesh = idleMesh(paperNoc, rows, cols);
    const rc = mesh.clusters[0]![0]!.iact;
    rc.routers[0]!.pe = 'glb';
    rc.routers[0]!.s = 'glb'; // cluster (1,0) does not listen: the fork stalls once its link buffer is full
    rc.fabric.outputs[5] = { src: 0, id: 0 };
    expect(() => validateMesh(paperNoc, mesh, 'iact')).toThrow(/selects source 'n'/);
    await sim().batch((b) => {
      for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) b.poke(`c${i}_${j}_cfg`, encodeClusterRouting(paperNoc, mesh.clusters[i]![j]!));
      b.reset(2);
    });
    const run = sim().runStreams({
      sources: [{ port: 'c0_0_glb_iact_0', data: Array.from({ length: 10 }, (_, k) => k) }],
      sinks: [{ port: 'c0_0_pe_iact_5', count: 10 }],
      maxCycles: 2000,
    });
    await expect(run).rejects.toThrow(StreamDeadlockError);
    // The pe leg takes the third word while the south leg cannot: it waits, marked, for its sibling.
    await expect(run).rejects.toThrow(/c0_0_pe_iact_5 received 3 of 10.*c0_0_glb_iact_0 sent 2 of 10/);
  });
});
