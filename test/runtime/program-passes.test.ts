// Each pass of the layer-to-program compiler (runtime/rtl/program/) on its own: the invariants
// its output promises the later passes, on random layers of every type on the small and paper
// chips plus layers that need reduction passes and stacks over several cluster rows.
// test/runtime/program.test.ts checks the whole program word by word against the reference.
import { stageIactStreams } from '../../runtime/rtl/program/iact-staging.js';
import { describe, expect, it } from 'vitest';
import { paperArch, type ArchConfig } from '../../spec/arch.js';
import { namedArchs } from '../../spec/archs.js';
import { PAD_WORD, cfgEnableAddr, cfgOutputAddr } from '../../spec/chip/format.js';
import { makeLayer, type Layer, type LayerType } from '../../golden/layers.js';
import { generateLayerData } from '../../golden/random.js';
import { randomSmallLayer } from '../../golden/random-layer.js';
import { stackCoordinates } from '../../golden/placement.js';
import { encodeProgram } from '../../runtime/rtl/program/encoding.js';
import { iactClasses, type IactClasses } from '../../runtime/rtl/program/iact-classes.js';
import { iactGroups, type IactGroups } from '../../runtime/rtl/program/iact-groups.js';
import { interleave } from '../../runtime/rtl/program/interleave.js';
import { jobIterations, type JobIteration } from '../../runtime/rtl/program/jobs.js';
import { Messages } from '../../runtime/rtl/program/messages.js';
import { stepCommands } from '../../runtime/rtl/program/pe-commands.js';
import { peStacks, weightClasses, type PeStacks, type WeightClasses } from '../../runtime/rtl/program/pe-roles.js';
import { iterationPsums } from '../../runtime/rtl/program/psum-banks.js';
import { unsharedMesh } from '../../runtime/rtl/program/mesh-multicast.js';
import { clusterRoutings } from '../../runtime/rtl/program/routing.js';
import { iterationRuns, type IterationRuns } from '../../runtime/rtl/program/runs.js';
import { appendIteration, emptyStreams, type ProgramStreams } from '../../runtime/rtl/program/streams.js';
import { programTarget, type ProgramTarget } from '../../runtime/rtl/program/target.js';

const small = namedArchs.small!;

interface Passes {
  t: ProgramTarget;
  iterations: JobIteration[];
  stacks: PeStacks;
  weights: WeightClasses;
  msgs: Messages;
  groups: IactGroups;
  ic: IactClasses;
  runs: IterationRuns[];
}

function passesOf(l: Layer, arch: ArchConfig, seed: number, iactMulticast = true): Passes {
  const t = programTarget(l, generateLayerData(l, { iact: 0.6, weight: 0.5 }, seed), arch, undefined);
  const iterations = jobIterations(t);
  const stacks = peStacks(t);
  const weights = weightClasses(t, stacks);
  const msgs = new Messages(t);
  const groups = iactGroups(t, stacks, iterations, msgs);
  const ic = iactClasses(t.p, groups, iactMulticast);
  return { t, iterations, stacks, weights, msgs, groups, ic, runs: iterations.map((it) => iterationRuns(it, weights, ic, msgs)) };
}

const TYPES: LayerType[] = ['conv', 'depthwise', 'pointwise', 'fc'];
const cases: { what: string; l: Layer; arch: ArchConfig }[] = [
  ...TYPES.flatMap((type, i) =>
    [0, 1, 2].map((k) => ({ what: `random ${type} ${k}`, l: randomSmallLayer(91_000 + 10 * i + k, type), arch: k === 2 ? paperArch : small })),
  ),
  { what: 'reduction passes', l: makeLayer({ name: 'conv-passes', type: 'conv', C: 12, M: 6, H: 5, W: 6, R: 3, S: 3, stride: 2, padding: 1 }), arch: small },
  { what: 'stacks over cluster rows', l: makeLayer({ name: 'deeper', type: 'conv', C: 120, M: 4, H: 3, W: 3, R: 3, S: 3, padding: 1 }), arch: paperArch },
  { what: 'diagonal reuse', l: makeLayer({ name: 'dw-reuse', type: 'depthwise', C: 8, M: 8, H: 12, W: 12, R: 3, S: 3, padding: 1 }), arch: small },
];
const all = cases.map((c, i) => ({ ...c, ps: passesOf(c.l, c.arch, 500 + i) }));

const gidsOfRow = (t: ProgramTarget, gid: number): number => Math.floor(gid / t.p.noc.peCols);

describe('compiler passes', () => {
  it('the cases reach multi-pass reductions, stacks over cluster rows and merged iact classes', () => {
    expect(all.some((c) => c.ps.t.map.reduction.passes > 1)).toBe(true);
    expect(all.some((c) => c.ps.t.map.stack.clusterRows > 1)).toBe(true);
    expect(all.some((c) => c.ps.ic.sharedWords > 0)).toBe(true);
  });

  it('target: every stack position has its own PE on the chip, and a place outside the chip is refused', () => {
    for (const { ps } of all) {
      const { t } = ps;
      expect(t.maxCnt).toBe(Math.min(t.map.stack.height, t.map.reduction.slices));
      const seen = new Set<number>();
      for (let s = 0; s < t.map.stacksUsed; s++) {
        for (let i = 0; i < t.maxCnt; i++) {
          const gid = t.gidOf(t.placeOf(s, i, t.maxCnt));
          expect(gid).toBeGreaterThanOrEqual(0);
          expect(gid).toBeLessThan(t.nClusters * t.pesPer);
          expect(seen.has(gid)).toBe(false);
          seen.add(gid);
        }
      }
      expect(() => t.clusterOf({ clusterRow: t.p.rows, clusterCol: 0, peRow: 0, peCol: 0 })).toThrow(/outside the \d+x\d+ array/);
    }
  });

  it('jobs: every schedule window lands in exactly one job of at most wMax windows, on a PE of its stack', () => {
    for (const { ps } of all) {
      const { t, iterations, stacks } = ps;
      for (const { it, cnt, steps } of iterations) {
        const windows = new Map<string, number>();
        for (const jobs of steps) {
          for (const [gid, j] of jobs) {
            expect(j.windows).toBeGreaterThan(0);
            expect(j.windows).toBeLessThanOrEqual(t.wMax);
            expect(j.index).toBeLessThan(cnt);
            expect(stacks.stackOf[gid]).toBe(j.st.stack);
            const key = `${j.st.taskKey},${j.st.stack},${j.index}`;
            windows.set(key, (windows.get(key) ?? 0) + j.windows);
          }
        }
        for (const step of it.steps)
          for (const st of step.stacks) for (let i = 0; i < cnt; i++) expect(windows.get(`${st.taskKey},${st.stack},${i}`)).toBe(st.windows);
      }
    }
  });

  it('PE roles: each used stack holds maxCnt PEs; a weight class is one PE row of one (g, m)', () => {
    for (const { ps } of all) {
      const { t, stacks, weights } = ps;
      expect(stacks.stackOf.filter((s) => s >= 0).length).toBe(t.map.stacksUsed * t.maxCnt);
      for (const [wc, members] of weights.weightMembers) {
        const row = Math.floor(wc / t.p.noc.peCols);
        const gm = members.map((gid) => {
          expect(gidsOfRow(t, gid)).toBe(row);
          const co = stackCoordinates(t.map, stacks.stackOf[gid]!);
          return `${co.g},${co.m}`;
        });
        expect(new Set(gm).size).toBe(1);
        expect(wc % t.p.noc.peCols).toBeLessThan(weights.weightWays[row]!);
      }
    }
  });

  it('messages: one message per key, built once; the zero message is one window', () => {
    for (const { ps } of all) {
      const jobs = ps.iterations.flatMap((it) => it.steps.flatMap((s) => [...s.values()]));
      for (const j of jobs) {
        expect(ps.msgs.iact(j)).toBe(ps.msgs.iact(j));
        expect(ps.msgs.iact(j).key).toBe(Messages.iactKey(j));
        expect(ps.msgs.weight(j)).toBe(ps.msgs.weight(j));
      }
      expect(ps.msgs.zeroIact.nWin).toBe(1);
    }
  });

  it('iact classes: members take the same message at every step, and a class sits on a port of its own cluster', () => {
    for (const { ps } of all) {
      const { t, ic, iterations, msgs } = ps;
      const { iactRouters } = t.p.noc;
      for (const { steps } of iterations) {
        for (const jobs of steps) {
          const keyOf = new Map<number, string>();
          for (const [gid, j] of jobs) {
            const iclass = ic.iactClass[gid]!;
            const key = msgs.iact(j).key;
            expect(keyOf.get(iclass) ?? key).toBe(key);
            keyOf.set(iclass, key);
          }
        }
      }
      for (const [iclass, members] of ic.iactMembers) {
        const input = Math.floor(iclass / t.pesPer);
        expect(iclass % t.pesPer).toBeLessThan(ic.iactWays[input]!);
        for (const gid of members) expect(Math.floor(input / iactRouters)).toBe(Math.floor(gid / t.pesPer));
      }
    }
  });

  it('iact classes without multicast: one class per base group, no shared words', () => {
    const c = all.find((x) => x.ps.ic.sharedWords > 0)!;
    const off = passesOf(c.l, c.arch, 1, false);
    expect(off.ic.sharedWords).toBe(0);
    expect(off.ic.iactMembers.size).toBe(off.groups.groupMembers.filter((m) => m.length > 0).length);
    expect(off.ic.iactMembers.size).toBeGreaterThan(c.ps.ic.iactMembers.size);
  });

  it('runs: every real job runs, class mates run together, and a weight class loads at its first running step', () => {
    for (const { ps } of all) {
      ps.iterations.forEach((iter, n) => {
        const r = ps.runs[n]!;
        iter.steps.forEach((jobs, v) => {
          for (const gid of jobs.keys()) expect(r.runs[v]!.has(gid)).toBe(true);
          for (const gid of r.runs[v]!) for (const mate of ps.ic.iactMembers.get(ps.ic.iactClass[gid]!)!) expect(r.runs[v]!.has(mate)).toBe(true);
        });
        for (const [wc, v] of r.loadStep) {
          const members = ps.weights.weightMembers.get(wc)!;
          expect(v).toBe(r.runs.findIndex((set) => members.some((m) => set.has(m))));
          for (const m of members) expect(r.runs[v]!.has(m)).toBe(true);
        }
      });
    }
  });

  it('psum banks: one bank per top column, sorted, taking exactly the words of its outputs', () => {
    for (const { ps } of all) {
      for (const iter of ps.iterations) {
        const { banks, outputs } = iterationPsums(ps.t, iter);
        const keys = banks.map((b) => b.cluster * ps.t.p.noc.peCols + b.bank);
        expect(keys).toEqual([...new Set(keys)].sort((a, b) => a - b));
        for (const b of banks) expect(outputs.filter((o) => o.cluster === b.cluster && o.col === b.bank).reduce((s, o) => s + o.words, 0)).toBe(b.words);
        const tops = iter.steps.reduce((s, jobs) => s + [...jobs.values()].filter((j) => j.index === iter.cnt - 1).length, 0);
        expect(outputs.length).toBe(tops);
      }
    }
  });

  it('PE commands: one job per running PE in PE order; weights load at the class load step only; real jobs emit', () => {
    for (const { ps } of all) {
      ps.iterations.forEach((iter, n) => {
        const runs = ps.runs[n]!;
        const ctx = { t: ps.t, weights: ps.weights, ic: ps.ic, msgs: ps.msgs, runs };
        iter.steps.forEach((jobs, v) => {
          const step = stepCommands(ctx, jobs, v);
          const gids = step.commands.map((c) => c.cluster * ps.t.pesPer + c.pe);
          expect(gids).toEqual([...runs.runs[v]!].sort((a, b) => a - b));
          for (const [k, cmd] of step.commands.entries()) {
            const gid = gids[k]!;
            const wc = ps.weights.weightClass[gid]!;
            const loads = runs.classTile.has(wc) && runs.loadStep.get(wc) === v;
            expect(cmd.header.keepWeights).toBe(!loads);
            expect(cmd.real).toBe(jobs.get(gid));
            expect(cmd.header.psumOut).toBe(cmd.real !== undefined);
            expect(cmd.header.addPsumIn).toBe(cmd.real !== undefined && cmd.real.index > 0);
            expect(step.iactSeqs.has(ps.ic.iactClass[gid]!)).toBe(true);
            expect(step.weightSeqs.has(wc)).toBe(loads);
          }
        });
      });
    }
  });

  it('interleave: classes round-robin, each padded to the longest at the step end', () => {
    const streams = [[[] as number[], [] as number[]]];
    const { pads, busiest } = interleave(
      new Map([
        [0, [1, 2, 3]],
        [1, [9]],
        [2, [7]],
      ]),
      Int32Array.from([2, 1]),
      streams,
      2,
      2,
    );
    expect(streams[0]).toEqual([[1, 9, 2, PAD_WORD, 3, PAD_WORD], [7]]);
    expect(pads).toBe(2);
    expect(busiest, 'input 0: two classes of three words').toBe(6);
  });

  it('streams: psum bank commands bracket multi-pass iterations; job counts and out words add up', () => {
    for (const { ps } of all) {
      const s: ProgramStreams = emptyStreams(ps.t, ps.ic);
      for (const iter of ps.iterations) appendIteration(s, ps.t, iter, ps.weights, ps.ic, ps.msgs);
      const kinds = s.commands.flat().map((c) => c.kind);
      const { passes } = ps.t.map.reduction;
      const banks = ps.iterations.reduce((n, it) => n + iterationPsums(ps.t, it).banks.length, 0);
      const lastBanks = ps.iterations.filter((it) => it.it.pass === passes - 1).reduce((n, it) => n + iterationPsums(ps.t, it).banks.length, 0);
      expect(kinds.filter((k) => k === 'psumIn').length).toBe(passes > 1 ? banks : 0);
      expect(kinds.filter((k) => k === 'psumOut').length).toBe(passes > 1 ? lastBanks : 0);
      expect(kinds.filter((k) => k === 'pe').length).toBe(s.stats.realJobs + s.stats.dummyJobs);
      expect(s.stats.realJobs).toBe(ps.iterations.reduce((n, it) => n + it.steps.reduce((m, j) => m + j.size, 0), 0));
      expect(s.stats.iterations).toBe(ps.iterations.length);
      const lastOut = ps.iterations.filter((it) => it.it.pass === passes - 1).flatMap((it) => iterationPsums(ps.t, it).outputs);
      expect(s.outWords.flat().reduce((a, b) => a + b, 0)).toBe(lastOut.reduce((a, o) => a + o.words, 0));
    }
  });

  it('routing: every working PE reads a class its fabric input carries, and the top of each chain writes to the GLB', () => {
    for (const { ps } of all) {
      const { t, stacks, weights, ic } = ps;
      const { peRows, peCols } = t.p.noc;
      const nocs = clusterRoutings(t, stacks, weights, ic);
      nocs.forEach((noc, c) => {
        for (let pe = 0; pe < t.pesPer; pe++) {
          if (stacks.stackOf[c * t.pesPer + pe]! < 0) continue;
          const out = noc.iact.fabric.outputs[pe]!;
          expect(out.id).toBeLessThan(noc.iact.fabric.inputs[out.src]!.ways);
          expect(noc.iact.routers[out.src]).toEqual({ pe: 'glb' });
          const r = Math.floor(pe / peCols);
          expect(noc.weight.fabrics[r]!.outputs[pe % peCols]!.id).toBeLessThan(weights.weightWays[c * peRows + r]!);
        }
        const q = Math.floor(c / t.p.cols) % t.map.stack.clusterRows;
        for (let col = 0; col < peCols; col++) {
          const used = stacks.stackOf[c * t.pesPer + (peRows - 1) * peCols + col]! >= 0;
          expect(noc.psum.routers[col]?.glb === 'pe').toBe(used && q === t.map.stack.clusterRows - 1);
        }
      });
    }
  });

  it('encoding: one word per command, one cluster config per cluster, the output stage, enable last, bypass iff one pass', () => {
    for (const { ps } of all) {
      const s = emptyStreams(ps.t, ps.ic);
      for (const iter of ps.iterations) appendIteration(s, ps.t, iter, ps.weights, ps.ic, ps.msgs);
      const staging = stageIactStreams(ps.t.p, s.iact, s.iactWindows, false);
      const prog = encodeProgram(
        ps.t,
        s,
        clusterRoutings(ps.t, ps.stacks, ps.weights, ps.ic),
        { iact: unsharedMesh('iact'), weight: unsharedMesh('weight') },
        staging,
        { activation: 'relu', shift: 3 },
      );
      expect(prog.clusters.length).toBe(ps.t.nClusters);
      for (const cl of prog.clusters) {
        expect(cl.cmds.length).toBe(cl.commands.length);
        expect(cl.psumBypass).toBe(ps.t.map.reduction.passes === 1);
        expect(cl.iactStaged.every((on) => !on)).toBe(true);
      }
      expect(prog.config.slice(-2)).toEqual([
        { addr: cfgOutputAddr(ps.t.p), data: 1 | (3 << 1) },
        { addr: cfgEnableAddr(ps.t.p), data: 1 },
      ]);
    }
  });
});
