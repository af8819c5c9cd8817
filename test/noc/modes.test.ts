import { describe, expect, it } from 'vitest';
import { consumedSources, deliver, routerDelivery, traceRoutes, validateMesh } from '../../golden/noc/delivery.js';
import { checkClusterRouting, idleClusterRouting, idleMesh } from '../../spec/noc/routing.js';
import { modeName, modesFor, planMode, type NetMode } from '../../golden/noc/modes.js';
import { paperNoc, pesPerCluster, type NocParams } from '../../spec/noc/params.js';
import { routerModeDests, routerSpec, type NetKind } from '../../spec/noc/topology.js';
import { encodeClusterRouting, clusterCfgLayout, clusterCfgWidth } from '../../spec/noc/cfg-layout.js';

/**
 * The network-level modes checked against what they mean, independently of how planMode()
 * builds them: inject distinct packets, run the golden delivery model, and look at which PEs
 * share which packets.
 */
const p = paperNoc;
const nPe = pesPerCluster(p);
/** The paper's clusters with the east/west router ports a mesh of more than 2 columns needs. */
const wide: NocParams = { ...paperNoc, eastWest: true };

function run(p: NocParams, rows: number, cols: number, net: NetKind, mode: NetMode) {
  const mesh = planMode(p, rows, cols, net, mode);
  let next = 1n;
  const injected: Record<string, bigint[]> = {};
  // Enough packets that every class of every fabric input comes round several times.
  for (const s of consumedSources(p, mesh, net)) injected[s] = Array.from({ length: 3 * nPe * 4 }, () => next++);
  return { mesh, injected, got: deliver(p, mesh, net, injected) };
}

/** PEs of one sharing domain in their global order, as sink names. */
function domains(rows: number, cols: number, net: 'iact' | 'weight'): string[][] {
  if (net === 'iact') {
    const all: string[] = [];
    for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) for (let pe = 0; pe < nPe; pe++) all.push(`c${i}_${j}_pe_iact_${pe}`);
    return [all];
  }
  const out: string[][] = [];
  for (let i = 0; i < rows; i++) {
    for (let r = 0; r < p.peRows; r++) {
      const row: string[] = [];
      for (let j = 0; j < cols; j++) for (let c = 0; c < p.peCols; c++) row.push(`c${i}_${j}_pe_weight_${r * p.peCols + c}`);
      out.push(row);
    }
  }
  return out;
}

const key = (xs: bigint[]) => xs.join(',');

describe.each([
  [2, 2, p],
  [8, 2, p],
  [3, 1, p],
  [2, 3, wide],
  [1, 4, wide],
  [2, 2, wide],
] as const)('network modes on a %i x %i mesh mean what they say', (rows, cols, p) => {
  for (const net of ['iact', 'weight'] as const) {
    for (const mode of modesFor(p, rows, cols, net)) {
      it(`${net} ${modeName(mode)}`, () => {
        const { injected, got } = run(p, rows, cols, net, mode);
        for (const dom of domains(rows, cols, net)) {
          const lists = dom.map((s) => got[s]!);
          for (const [k, l] of lists.entries()) expect(l.length, `${dom[k]} receives something`).toBeGreaterThan(0);
          if (mode.kind === 'unicast') {
            const seen = lists.flat();
            expect(new Set(seen).size, 'every packet reaches exactly one PE').toBe(seen.length);
            for (const [k, s] of dom.entries()) {
              const cluster = s.slice(0, s.indexOf('_pe_'));
              const src = Object.keys(injected).find((o) => injected[o]!.includes(lists[k]![0]!))!;
              expect(src.startsWith(`${cluster}_`), `${s} is fed by its own cluster, not ${src}`).toBe(true);
            }
            continue;
          }
          const size = mode.kind === 'broadcast' ? dom.length : mode.kind === 'grouped' ? mode.size : undefined;
          const groupOf = (x: number) => (size !== undefined ? Math.floor(x / size) : x % (mode as { streams: number }).streams);
          const keys = lists.map(key);
          const first = new Map<number, number>();
          dom.forEach((s, x) => {
            const g = groupOf(x);
            if (!first.has(g)) first.set(g, x);
            expect(keys[x], `${s} shares the stream of ${dom[first.get(g)!]}`).toBe(keys[first.get(g)!]);
          });
          // Different groups get different data: no packet in two groups' streams.
          const reps = [...first.values()].flatMap((x) => lists[x]!);
          expect(new Set(reps).size, 'groups share no packet').toBe(reps.length);
          if (mode.kind === 'broadcast') {
            const full = Object.values(injected).find((l) => key(l) === key(lists[0]!));
            expect(full, 'the broadcast stream is a whole source stream').toBeDefined();
          }
        }
      });
    }
  }

  for (const mode of modesFor(p, rows, cols, 'psum')) {
    it(`psum ${modeName(mode)}`, () => {
      const { injected, got } = run(p, rows, cols, 'psum', mode);
      const k = mode.kind === 'grouped' ? mode.size : mode.kind === 'broadcast' ? rows : 1;
      for (let i = 0; i < rows; i++) {
        for (let j = 0; j < cols; j++) {
          for (let c = 0; c < p.peCols; c++) {
            const q = i % k;
            const bottom = got[`c${i}_${j}_pe_psum_bottom_${c}`]!;
            const wr = got[`c${i}_${j}_glb_psum_wr_${c}`]!;
            const own = (port: string) => injected[`c${i}_${j}_${port}_${c}`] ?? [];
            if (mode.kind === 'broadcast') {
              expect(bottom).toEqual(injected[`c0_${j}_glb_psum_rd_${c}`]);
              expect(wr).toEqual(own('pe_psum_top'));
            } else {
              expect(bottom, 'bottom PE input').toEqual(q === 0 ? own('glb_psum_rd') : injected[`c${i - 1}_${j}_pe_psum_top_${c}`]);
              expect(wr, 'psum bank write').toEqual(q === k - 1 ? own('pe_psum_top') : []);
            }
          }
        }
      }
    });
  }
});

describe('mode and configuration errors name the problem', () => {
  it('psum interleaved is rejected with the reason', () => {
    expect(() => planMode(p, 2, 2, 'psum', { kind: 'interleaved', streams: 2 })).toThrow(/single north-south psum link/);
  });
  it('iact groups that do not fit the routers are rejected', () => {
    expect(() => planMode(p, 2, 2, 'iact', { kind: 'grouped', size: 3 })).toThrow(/at most 3 groups/);
  });
  it('a route into a tied-off edge is rejected', () => {
    const mesh = idleMesh(p, 2, 2);
    mesh.clusters[0]![0]!.iact.routers[1]!.n = 'glb';
    expect(() => validateMesh(p, mesh, 'iact')).toThrow(/cluster \(0,0\) iact router 1 sends glb -> n, but there is no cluster/);
  });
  it('a route into a neighbour that does not listen is rejected', () => {
    const mesh = idleMesh(p, 2, 2);
    mesh.clusters[0]![0]!.iact.routers[0]!.s = 'glb';
    expect(() => validateMesh(p, mesh, 'iact')).toThrow(/no destination of cluster \(1,0\) iact router 0 selects source 'n'/);
  });
  it('a mesh wider than 2 columns needs east/west router ports, and each port set is checked', () => {
    expect(() => planMode(p, 2, 3, 'iact', { kind: 'broadcast' })).toThrow(/3 cluster columns.*set NocParams.eastWest/);
    const mesh = idleMesh(wide, 1, 3);
    mesh.clusters[0]![0]!.weight.routers[0]!.h = 'glb';
    expect(() => validateMesh(wide, mesh, 'weight')).toThrow(/weight router 0 has no destination 'h' \(it has pe, e, w\)/);
    mesh.clusters[0]![0]!.weight.routers[0] = { w: 'glb' };
    expect(() => validateMesh(wide, mesh, 'weight')).toThrow(/cluster \(0,0\) weight router 0 sends glb -> w, but there is no cluster on that side/);
    mesh.clusters[0]![0]!.weight.routers[0] = { e: 'glb' };
    expect(() => validateMesh(wide, mesh, 'weight')).toThrow(/no destination of cluster \(0,1\) weight router 0 selects source 'w'/);
  });
  it('U-turns and unknown ports are rejected', () => {
    const mesh = idleMesh(p, 1, 1, true);
    mesh.clusters[0]![0]!.iact.routers[0]!.n = 'n';
    expect(() => traceRoutes(p, mesh, 'iact')).toThrow(/cannot route n -> n/);
  });
  it('injecting into a port nothing takes is an error, not a silent drop', () => {
    expect(() => deliver(p, idleMesh(p, 1, 1, true), 'iact', { glb_iact_0: [1n] })).toThrow(/glb_iact_0.*wait forever/);
  });
});

describe('router modes and the config encoding', () => {
  it('router-level modes enable the paper’s destination sets', () => {
    const iact = routerSpec('iact', false);
    expect(routerModeDests(iact, 'unicast', 'glb')).toEqual(['pe']);
    expect(routerModeDests(iact, 'horizontal', 'glb')).toEqual(['pe', 'h']);
    expect(routerModeDests(iact, 'vertical', 'n')).toEqual(['pe', 's']);
    expect(routerModeDests(iact, 'broadcast', 'h')).toEqual(['pe', 'n', 's']);
    expect(routerModeDests(iact, 'broadcast', 'glb', (d) => d !== 'n')).toEqual(['pe', 's', 'h']);
    const wideIact = routerSpec('iact', true);
    expect(routerModeDests(wideIact, 'horizontal', 'glb')).toEqual(['pe', 'e', 'w']);
    expect(routerModeDests(wideIact, 'horizontal', 'w')).toEqual(['pe', 'e']);
    expect(routerModeDests(wideIact, 'broadcast', 'e', (d) => d !== 's')).toEqual(['pe', 'n', 'w']);
    expect(routerModeDests(routerSpec('weight', true), 'broadcast', 'glb')).toEqual(['pe', 'e', 'w']);
  });
  it('a lone router forks one source to all destinations that select it', () => {
    expect(routerDelivery('iact', { pe: 1, s: 1, h: 2 }, { glb: [1n, 2n], n: [7n] })).toEqual({ pe: [1n, 2n], n: [], s: [1n, 2n], h: [7n] });
    expect(routerDelivery('iact', { n: 2 }, {})).toEqual({ pe: [], n: [], s: [], h: [] });
  });
  it('the cfg layout is dense and the encoder fills the named fields', () => {
    const layout = clusterCfgLayout(p);
    layout.forEach((f, k) => expect(f.offset).toBe(k === 0 ? 0 : layout[k - 1]!.offset + layout[k - 1]!.width));
    expect(clusterCfgWidth(p)).toBe(layout.reduce((a, f) => a + f.width, 0));
    const mesh = planMode(p, 1, 1, 'iact', { kind: 'unicast', burst: 5 });
    const word = encodeClusterRouting(p, mesh.clusters[0]![0]!);
    const field = (name: string) => {
      const f = layout.find((x) => x.name === name)!;
      return Number((word >> BigInt(f.offset)) & ((1n << BigInt(f.width)) - 1n));
    };
    expect(field('iact_r2_sel_pe')).toBe(1);
    expect(field('iact_r2_sel_s')).toBe(0);
    expect(field('iact_fab_burst_m1_1')).toBe(4);
    expect(field('iact_fab_ways_m1_0')).toBe(3);
    expect(field('iact_fab_sel_7')).toBe(2);
    expect(field('iact_fab_id_7')).toBe(2);
  });
});

describe('cluster configurations that would drop a whole stream', () => {
  it('a router sending to its PEs when no PE selects it is rejected, by router and network', () => {
    const c = idleClusterRouting(paperNoc);
    c.iact.routers[1]!.pe = 'glb';
    expect(() => checkClusterRouting(paperNoc, c, 'cluster (0,0)')).toThrow(
      /cluster \(0,0\): iact router 1 sends 'glb' to its PEs but no PE selects that router/,
    );
    c.iact.fabric.outputs[7] = { src: 1, id: 0 };
    expect(() => checkClusterRouting(paperNoc, c, 'cluster (0,0)')).not.toThrow();
    c.weight.routers[2]!.pe = 'glb';
    expect(() => checkClusterRouting(paperNoc, c, 'cluster (0,0)')).toThrow(/weight router 2 sends 'glb' to its PE row but no PE of row 2 takes it/);
  });
});
