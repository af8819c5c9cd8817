import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { routerDelivery } from '../../golden/noc/delivery.js';
import { paperNoc } from '../../spec/noc/params.js';
import { routerSpec, type NetKind, type PortDir } from '../../spec/noc/topology.js';
import { CircuitRouter } from '../../generator/eyeriss/noc/router.js';
import { selWidth } from '../../spec/noc/topology.js';
import { FilterFork } from '../../generator/eyeriss/noc/filter-fork.js';
import { LinkBuffer } from '../../generator/eyeriss/noc/link-buffer.js';
import { RouterCluster } from '../../generator/eyeriss/noc/router-cluster.js';
import { RouterMesh } from '../../generator/eyeriss/noc/router-mesh.js';
import { emitForSim } from '../../tb/dsl.js';
import { assertGatesPass, assertLintCleanWithoutLatches, verilatorLint } from '../../tb/lint.js';
import { makeRng } from '../../tb/seed.js';
import { Simulator } from '../../tb/sim.js';
import { testSeed } from '../../tb/testing.js';
import { oddNoc } from './helpers.js';

const widths: Record<NetKind, number> = { iact: paperNoc.iactWidth, weight: paperNoc.weightWidth, psum: paperNoc.psumWidth };

describe.each([
  ['iact', false],
  ['weight', false],
  ['psum', false],
  ['iact', true],
  ['weight', true],
] as const)('%s router alone (east/west ports: %s)', (net, eastWest) => {
  const spec = routerSpec(net, eastWest);
  let sim: Simulator;
  beforeAll(async () => {
    sim = await Simulator.start(await emitForSim(CircuitRouter, { kind: net, width: widths[net], eastWest }));
    await sim.reset();
  });
  afterAll(async () => sim?.close());

  it('random selects (illegal codes included), payloads and backpressure: golden delivery on every fork leg, nothing extra', async (ctx) => {
    const rng = makeRng(testSeed(ctx));
    for (let round = 0; round < 40; round++) {
      const sel: Partial<Record<PortDir, number>> = {};
      for (const d of spec.dsts) sel[d] = rng.int(0, 2 ** selWidth(spec) - 1);
      const legal = (s: PortDir) => spec.dsts.some((d) => spec.srcs[(sel[d] ?? 0) - 1] === s && spec.allowed(s, d));
      const injected: Partial<Record<PortDir, bigint[]>> = {};
      for (const s of spec.srcs) if (legal(s)) injected[s] = Array.from({ length: rng.int(1, 60) }, () => rng.bits(widths[net]));
      const expected = routerDelivery(net, sel, injected, eastWest);
      await sim.batch((b) => {
        for (const d of spec.dsts) b.poke(`sel_${d}`, sel[d]!);
        for (const s of spec.srcs) b.poke(`in_${s}_valid`, 0);
      });
      const res = await sim.runStreams({
        sources: Object.entries(injected).map(([s, data]) => ({ port: `in_${s}`, data: data, validProbability: rng.pick([1, 0.7, 0.4]) })),
        sinks: spec.dsts.map((d) => ({ port: `out_${d}`, count: expected[d]!.length, readyProbability: rng.pick([1, 0.8, 0.5]) })),
        maxCycles: 20_000,
        seed: rng.u32(),
      });
      for (const d of spec.dsts) expect(res.received[`out_${d}`]!.values, `out_${d} with sel ${JSON.stringify(sel)}`).toEqual(expected[d]);
      const valids = await sim.batch((b) => {
        for (const s of spec.srcs) b.poke(`in_${s}_valid`, 0);
        for (const d of spec.dsts) b.peek(`out_${d}_valid`);
      });
      expect(valids, 'no destination offers anything after the run').toEqual(spec.dsts.map(() => 0n));
    }
  });
});

describe('a fork keeps valid independent of ready', () => {
  let sim: Simulator;
  beforeAll(async () => {
    sim = await Simulator.start(await emitForSim(CircuitRouter, { kind: 'weight', width: widths.weight, eastWest: false }));
    await sim.reset();
  });
  afterAll(async () => sim?.close());

  it('a leg that has not taken the word keeps offering it when a sibling stops being ready', async () => {
    const spec = routerSpec('weight', false);
    const code = spec.srcs.indexOf('glb') + 1;
    const v = await sim.batch((b) => {
      b.poke('sel_pe', code).poke('sel_h', code).poke('in_glb_valid', 1).poke('in_glb_bits', 0x123);
      b.poke('out_pe_ready', 0).poke('out_h_ready', 1);
      b.peek('out_pe_valid');
      b.peek('in_glb_ready');
      b.step(1); // h takes the word; pe has not
      b.poke('out_h_ready', 0);
      b.peek('out_pe_valid');
      b.peek('out_h_valid');
      b.poke('out_pe_ready', 1);
      b.peek('in_glb_ready');
      b.step(1); // pe takes it: the source word is consumed once both legs have it
      b.poke('in_glb_valid', 0);
      b.peek('out_pe_valid');
      b.peek('out_h_valid');
    });
    expect(v).toEqual([1n, 0n, 1n, 0n, 1n, 0n, 0n]);
  });
});

const small = { ...paperNoc, iactRouters: 1, peRows: 1, peCols: 2, iactWidth: 4, weightWidth: 4, psumWidth: 6, idWidth: 2 };
const modules = [
  ['IactRouter', () => emitForSim(CircuitRouter, { kind: 'iact', width: 24, eastWest: false })],
  ['WeightRouter', () => emitForSim(CircuitRouter, { kind: 'weight', width: 24, eastWest: false })],
  ['PsumRouter', () => emitForSim(CircuitRouter, { kind: 'psum', width: 40, eastWest: false })],
  ['IactRouter (east/west)', () => emitForSim(CircuitRouter, { kind: 'iact', width: 24, eastWest: true })],
  ['WeightRouter (east/west)', () => emitForSim(CircuitRouter, { kind: 'weight', width: 24, eastWest: true })],
  ['LinkBuffer', () => emitForSim(LinkBuffer, { depth: 2, width: 24 })],
  ['FilterFork (iact fabric)', () => emitForSim(FilterFork, { inputs: 3, outputs: 12, width: 24, idWidth: 4, burstWidth: 8 })],
  ['FilterFork (weight row)', () => emitForSim(FilterFork, { inputs: 1, outputs: 4, width: 24, idWidth: 4, burstWidth: 8 })],
] as const;

// The cluster and the meshes add only wiring, tie-offs and config registers to the routers, buffers and forks synthesized
// above: yosys proc finds their latches (tb/lint.ts, yosysLatches) in a second where synth took a quarter of a minute each.
const assemblies = [
  ['RouterCluster (paper)', () => emitForSim(RouterCluster, paperNoc)],
  // A small cluster keeps yosys quick.
  ['RouterMesh 2x2 (small clusters)', () => emitForSim(RouterMesh, { rows: 2, cols: 2, noc: small })],
  ['RouterMesh 2x3 (small clusters, east/west)', () => emitForSim(RouterMesh, { rows: 2, cols: 3, noc: { ...small, eastWest: true } })],
] as const;

describe.concurrent('NoC modules are lint-clean and synthesize without latches', () => {
  for (const [name, make] of modules) {
    it(name, async () => {
      const synth = await assertGatesPass(await make());
      expect(synth.latches).toBe(0);
    });
  }
  for (const [name, make] of assemblies) {
    it(`${name}: lint-clean, no latches`, async () => {
      await assertLintCleanWithoutLatches(await make());
    });
  }
  for (const [name, params] of [
    ['2x2 mesh of paper clusters', { rows: 2, cols: 2, noc: paperNoc }],
    ['3x1 mesh of non-paper clusters', { rows: 3, cols: 1, noc: oddNoc }],
    ['1x4 mesh of non-paper clusters with east/west ports', { rows: 1, cols: 4, noc: { ...oddNoc, eastWest: true } }],
  ] as const) {
    it(`the ${name} is lint-clean`, async () => {
      const d = await emitForSim(RouterMesh, params);
      const lint = await verilatorLint(d.files, d.top);
      expect(lint.messages).toEqual([]);
      expect(lint.ok).toBe(true);
    });
  }
});
