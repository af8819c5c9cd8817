import { describe, expect, it } from 'vitest';
import { archProblems } from '../../spec/arch.js';
import { chipParamsFromArch } from '../../generator/eyeriss/chip/index.js';
import { LAYER_TYPES, parseShard, planCase, shardIndices, streamChance, variantPool } from '../../runtime/regress/plan.js';

describe('long regression plan', () => {
  it('a case depends only on (seed, index): replaying one index gives the same layer, data and traffic', () => {
    for (const k of [0, 1, 17, 9_999]) expect(planCase(5, k, 8)).toEqual(planCase(5, k, 8));
    expect(planCase(5, 3, 8)).not.toEqual(planCase(6, 3, 8));
  });

  it('every layer type and every variant is drawn, and traffic is sometimes off', () => {
    const cases = Array.from({ length: 400 }, (_, k) => planCase(1, k, 8));
    for (const t of LAYER_TYPES) expect(cases.some((c) => c.type === t)).toBe(true);
    expect(new Set(cases.map((c) => c.variant)).size).toBe(8);
    const off = cases.filter((c) => c.trafficSeed === null).length;
    expect(off).toBeGreaterThan(40);
    expect(off).toBeLessThan(120);
  });

  it('a third of the layers run through the system top, each behind its own DRAM (the defaults when traffic is off)', () => {
    const cases = Array.from({ length: 600 }, (_, k) => planCase(1, k, 8));
    const system = cases.filter((c) => c.top === 'system');
    expect(system.length).toBeGreaterThan(150);
    expect(system.length).toBeLessThan(250);
    for (const c of cases) expect(c.dram === null).toBe(c.top === 'core');
    for (const c of system) expect(c.trafficSeed === null ? c.dram : {}).toEqual({});
    const latencies = new Set(system.map((c) => c.dram!.latency).filter((l) => l !== undefined));
    expect(latencies.size).toBeGreaterThan(3);
    expect(system.some((c) => (c.dram!.bytesPerCycle ?? 0) > 0 && (c.dram!.arreadyProbability ?? 1) < 1)).toBe(true);
  });

  it('the variant pool starts with the small chip and holds only chips the rules and the generator accept', () => {
    for (const seed of [1, 2, 3, 4]) {
      const pool = variantPool(seed, 8);
      expect(pool[0]!.name).toBe('small');
      for (const a of pool) {
        expect(archProblems(a)).toEqual([]);
        expect(() => chipParamsFromArch(a)).not.toThrow();
      }
      expect(new Set(pool.map((a) => `${a.clusterRows}x${a.clusterCols}/${a.peRows}x${a.peCols}`)).size).toBeGreaterThan(3);
    }
  });

  it('each stream gets its own chance in (0, 1], the same every time', () => {
    const c = streamChance(42);
    const ports = ['cfg', 'c0_0_cmd', 'c0_0_iact_0', 'c0_0_iact_1', 'c0_1_weight_0', 'c0_1_out_2'];
    const p = ports.map(c);
    for (const x of p) expect(x > 0 && x <= 1).toBe(true);
    expect(new Set(p).size).toBeGreaterThan(3);
    expect(ports.map(streamChance(42))).toEqual(p);
    expect(streamChance(null)('cfg')).toBe(1);
  });

  it('shards partition the layers; a malformed shard is refused with the form it takes', () => {
    const all = [1, 2, 3].flatMap((i) => shardIndices(10, { i, n: 3 })).sort((a, b) => a - b);
    expect(all).toEqual(Array.from({ length: 10 }, (_, k) => k));
    expect(parseShard('2/4')).toEqual({ i: 2, n: 4 });
    for (const bad of ['0/4', '5/4', '2', 'a/b', '1/0']) expect(() => parseShard(bad)).toThrow(/--shard must be i\/n/);
  });
});
