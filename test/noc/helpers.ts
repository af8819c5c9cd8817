import { expect } from 'vitest';
import { idleMesh, routerCount, type FabricSettings, type MeshRouting } from '../../spec/noc/routing.js';
import { deliver, traceRoutes, validateMesh } from '../../golden/noc/delivery.js';
import { neighbour } from '../../spec/noc/topology.js';
import { netWidth, paperNoc, pesPerCluster, type NocParams } from '../../spec/noc/params.js';
import { isMeshDir, oppositeDir, routerSpec, type NetKind, type PortDir } from '../../spec/noc/topology.js';
import { encodeClusterRouting } from '../../spec/noc/cfg-layout.js';
import type { Rng } from '../../tb/seed.js';
import type { Simulator, StreamSink, StreamSource } from '../../tb/sim.js';

/** Counts and widths unlike the paper's, to catch anything that silently assumes the defaults. */
export const oddNoc: NocParams = {
  ...paperNoc,
  iactRouters: 2,
  peRows: 2,
  peCols: 3,
  iactWidth: 12,
  weightWidth: 9,
  psumWidth: 20,
  idWidth: 3,
  burstWidth: 3,
  linkDepth: 3,
};

function randomFabric(rng: Rng, p: NocParams, inputs: number, outputs: number): FabricSettings {
  // Mostly short bursts and few classes so every class shows up; now and then the field maxima.
  const ins = Array.from({ length: inputs }, () => ({
    ways: rng.chance(0.1) ? 2 ** p.idWidth : rng.int(1, Math.min(4, 2 ** p.idWidth)),
    burst: rng.chance(0.1) ? 2 ** p.burstWidth : rng.int(1, 3),
  }));
  return {
    inputs: ins,
    outputs: Array.from({ length: outputs }, () => {
      if (rng.chance(0.15)) return null;
      const src = rng.int(0, inputs - 1);
      // Now and then an id no packet has, which must receive nothing.
      const id = rng.chance(0.1) ? rng.int(0, 2 ** p.idWidth - 1) : rng.int(0, ins[src]!.ways - 1);
      return { src, id };
    }),
  };
}

/**
 * A random legal configuration of one network: streams start at random external sources and
 * grow into random trees over free router destinations, so routers carry several streams,
 * fork and pass streams through; fabrics get random classes.
 */
export function randomRouting(rng: Rng, p: NocParams, rows: number, cols: number, open: boolean, net: NetKind): MeshRouting {
  // A branch can find its next router's destinations taken by a sibling branch grown meanwhile;
  // such a draw would stall, so draw again.
  for (let attempt = 0; attempt < 100; attempt++) {
    const mesh = drawRouting(rng, p, rows, cols, open, net);
    try {
      validateMesh(p, mesh, net);
      return mesh;
    } catch {
      continue;
    }
  }
  throw new Error(`no stall-free random ${net} configuration in 100 draws for a ${rows}x${cols} mesh`);
}

function drawRouting(rng: Rng, p: NocParams, rows: number, cols: number, open: boolean, net: NetKind): MeshRouting {
  const mesh = idleMesh(p, rows, cols, open);
  const spec = routerSpec(net, p.eastWest);
  const routerCfg = (i: number, j: number, r: number) => mesh.clusters[i]![j]![net].routers[r]!;
  // A destination is usable if it is free and, toward the mesh, its neighbour can pass the stream on.
  const usable = (i: number, j: number, r: number, src: PortDir, d: PortDir): boolean => {
    if (!spec.allowed(src, d) || routerCfg(i, j, r)[d]) return false;
    if (!isMeshDir(d) || open) return true;
    const nb = neighbour(mesh, i, j, d);
    if (!nb) return false;
    const next = routerCfg(nb.i, nb.j, r);
    return spec.dsts.some((e) => spec.allowed(oppositeDir(d), e) && !next[e] && !isMeshDir(e));
  };
  const grow = (i: number, j: number, r: number, src: PortDir): void => {
    const rc = routerCfg(i, j, r);
    const order = [...spec.dsts];
    for (let k = order.length - 1; k > 0; k--) {
      const x = rng.int(0, k);
      [order[k], order[x]] = [order[x]!, order[k]!];
    }
    let chosen = 0;
    for (const d of order) {
      // Re-checked per destination: a branch grown a moment ago may have looped back and taken it.
      if (!usable(i, j, r, src, d) || (chosen > 0 && !rng.chance(0.5))) continue;
      rc[d] = src;
      chosen++;
      if (isMeshDir(d) && !open) {
        const nb = neighbour(mesh, i, j, d)!;
        grow(nb.i, nb.j, r, oppositeDir(d));
      }
    }
  };
  const origins: { i: number; j: number; r: number; src: PortDir }[] = [];
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) {
      for (let r = 0; r < routerCount(p, net); r++) {
        for (const s of spec.srcs) if (!isMeshDir(s) || open) origins.push({ i, j, r, src: s });
      }
    }
  }
  for (let k = origins.length - 1; k > 0; k--) {
    const x = rng.int(0, k);
    [origins[k], origins[x]] = [origins[x]!, origins[k]!];
  }
  for (const o of origins) if (rng.chance(0.7)) grow(o.i, o.j, o.r, o.src);
  for (const row of mesh.clusters) {
    for (const c of row) {
      c.iact.fabric = randomFabric(rng, p, p.iactRouters, pesPerCluster(p));
      c.weight.fabrics = c.weight.fabrics.map(() => randomFabric(rng, p, 1, p.peCols));
    }
  }
  return mesh;
}

/** Random backpressure: mostly eager, sometimes sluggish; a fork waits for all its sinks. */
const probability = (rng: Rng) => rng.pick([1, 1, 0.9, 0.8, 0.6, 0.4]);

/**
 * Configures the bench, injects random packets into every source the configuration consumes,
 * runs the streams with random valid/ready on every port and checks each sink against the
 * golden model: exact packets, in order, and nothing extra afterwards.
 */
export async function runNet(
  sim: Simulator,
  rng: Rng,
  p: NocParams,
  mesh: MeshRouting,
  net: NetKind,
  opts: { packets: number; backpressure: boolean },
): Promise<void> {
  const cfgPort = (i: number, j: number) => (mesh.open ? 'cfg' : `c${i}_${j}_cfg`);
  const routes = traceRoutes(p, mesh, net);
  const origins = [...new Set(routes.map((r) => r.origin).filter((o): o is string => o !== null))];
  const injected: Record<string, bigint[]> = {};
  for (const o of origins) injected[o] = Array.from({ length: rng.int(1, opts.packets) }, () => rng.bits(netWidth(p, net)));
  const expected = deliver(p, mesh, net, injected);
  // Wide fan-outs advance only when every sink is ready at once, so they get gentler sinks.
  const fanout = Math.max(1, ...origins.map((o) => routes.filter((r) => r.origin === o).length));
  const sources: StreamSource[] = origins.map((port) => ({
    port,
    data: injected[port]!,
    validProbability: opts.backpressure ? probability(rng) : 1,
  }));
  const sinks: StreamSink[] = routes.map((r) => ({
    port: r.sink,
    count: expected[r.sink]!.length,
    readyProbability: opts.backpressure ? (fanout > 6 ? rng.pick([1, 0.95, 0.9]) : probability(rng)) : 1,
  }));
  await sim.batch((b) => {
    for (let i = 0; i < mesh.rows; i++) for (let j = 0; j < mesh.cols; j++) b.poke(cfgPort(i, j), encodeClusterRouting(p, mesh.clusters[i]![j]!));
    for (const s of allSourcePorts(sim)) b.poke(`${s}_valid`, 0);
    b.reset(2);
  });
  const result = await sim.runStreams({ sources, sinks, maxCycles: 400_000, seed: rng.u32() });
  for (const r of routes) {
    const got = result.received[r.sink]!.values;
    expect(got.length, `${r.sink}: packet count`).toBe(expected[r.sink]!.length);
    expect(got, `${r.sink}: packets from ${r.origin ?? 'nowhere'}`).toEqual(expected[r.sink]);
  }
  // Anything a sink is still offering now was delivered twice or never should have come.
  const valids = await sim.batch((b) => {
    for (const s of allSourcePorts(sim)) b.poke(`${s}_valid`, 0);
    b.step(20);
    for (const r of routes) b.peek(`${r.sink}_valid`);
  });
  const extra = routes.filter((_, k) => valids[k] !== 0n).map((r) => r.sink);
  expect(extra, 'sinks offering packets beyond the golden model').toEqual([]);
}

/** Every ready/valid input bundle of the design (ports named `<x>_valid` that are inputs). */
export function allSourcePorts(sim: Simulator): string[] {
  return sim.design.ports.filter((q) => q.direction === 'input' && q.name.endsWith('_valid')).map((q) => q.name.slice(0, -'_valid'.length));
}
