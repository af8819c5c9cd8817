// The chip top's per-cluster ports: clusterPort names exactly the ports the top declares and
// emits, and sim.io is typed by them, so a misspelt or renamed port fails `npx tsc --noEmit`.
import { describe, expect, expectTypeOf, it } from 'vitest';
import { elaborate } from '../../generator/dsl/index.js';
import { EyerissTop, chipParamsFromArch } from '../../generator/eyeriss/chip/index.js';
import { clusterPort, type ClusterStream } from '../../generator/eyeriss/chip/top.js';
import { namedArchs } from '../../spec/archs.js';
import { buildSimIo, bundleName, type DecoupledPort, type IoOf, type PortHandle } from '../../tb/io.js';

const params = chipParamsFromArch(namedArchs.small!);
const top = elaborate(EyerissTop, params).top!;
const io = buildSimIo<IoOf<typeof EyerissTop>>(top.io, { poke: () => undefined, peek: () => Promise.resolve(0n) });
const STREAMS: ClusterStream[] = ['cmd', 'iact', 'weight', 'out'];
const clusters = Array.from({ length: params.rows * params.cols }, (_, c) => [Math.floor(c / params.cols), c % params.cols] as const);

describe('EyerissTop per-cluster ports', () => {
  it('clusterPort names every port the top declares besides cfg, done and the error flags, in declaration order', () => {
    expect(params.rows * params.cols).toBeGreaterThan(1);
    const expected = ['cfg', 'done', 'error', 'error_code', ...clusters.flatMap(([i, j]) => STREAMS.map((s) => clusterPort(i, j, s)))];
    expect(top.io.map((d) => d.name)).toEqual(expected);
    expect(clusterPort(1, 0, 'iact')).toBe('c1_0_iact');
  });

  it("the handles' leaves are the emitted Verilog ports, one stream per router lane", () => {
    const emitted = new Set(top.ports.map((p) => p.name));
    const lanes = { cmd: 1, iact: params.noc.iactRouters, weight: params.noc.peRows, out: params.noc.peCols };
    for (const [i, j] of clusters) {
      const cmd = io[clusterPort(i, j, 'cmd')]!;
      expect(bundleName(cmd)).toBe(clusterPort(i, j, 'cmd'));
      for (const s of ['iact', 'weight', 'out'] as const) {
        const vec = io[clusterPort(i, j, s)]!;
        expect(vec.length, clusterPort(i, j, s)).toBe(lanes[s]);
        vec.forEach((h, k) => expect(bundleName(h)).toBe(`${clusterPort(i, j, s)}_${k}`));
      }
      for (const h of [cmd, ...(['iact', 'weight', 'out'] as const).flatMap((s) => io[clusterPort(i, j, s)]!)]) {
        for (const leaf of [h.valid, h.ready, h.bits]) expect(emitted.has(leaf.name), leaf.name).toBe(true);
      }
    }
  });

  it('a misspelt stream or port is a type error (npx tsc --noEmit checks the expect-error lines)', () => {
    expectTypeOf(io[clusterPort(0, 1, 'iact')]).toEqualTypeOf<
      { readonly valid: PortHandle; readonly ready: PortHandle; readonly bits: PortHandle }[] | undefined
    >();
    expectTypeOf(io.c0_0_cmd).toMatchTypeOf<DecoupledPort | undefined>();
    // @ts-expect-error the stream is 'iact'
    expect(io[clusterPort(0, 0, 'iacts')]).toBeUndefined();
    // @ts-expect-error the port is c0_0_cmd
    expect(io.c0_0_cmnd).toBeUndefined();
    // @ts-expect-error a command stream is one bundle, not a Vec
    expect(io.c0_0_cmd?.[0]).toBeUndefined();
  });
});
