// The schedule a mapping implies: iterations (weights fixed) -> steps -> stack tasks -> PE tasks,
// each PE task with its physical place, its weight tile, its iact row and where its psums come
// from and go. The chip model runs exactly this; an RTL runtime can drive the chip from it.
import type { ArchConfig } from '../spec/arch.js';
import { filtersPerGroup, outH, outW, type Layer } from './layers.js';
import type { Mapping } from './mapper.js';
import { physicalPlace, stackCoordinates, type PePlace, type SpatialDim } from './placement.js';

export interface ScheduledPe {
  /** Position in the stack, 0 = bottom. */
  position: number;
  place: PePlace;
  /** Weight tile: filter row r, channel block cb (group and m block are the stack's). */
  r: number;
  cb: number;
  /** Input row of the iact stream (outside 0..H-1: padding, all zeros). */
  h: number;
  /** 'zero' = start from 0, 'below' = from the PE below, 'glb' = partial psums of the previous pass. */
  psumIn: 'zero' | 'below' | 'glb';
  /** 'above' = to the PE above, 'glb' = wait for the next pass, 'output' = final psums. */
  psumOut: 'above' | 'glb' | 'output';
}

export interface ScheduledStack {
  stack: number;
  /** Stacks with the same group share iact streams and run in lock-step. */
  group: number;
  g: number;
  /** m block: output channels g*Mg + mb*M0 .. +M0-1. */
  mb: number;
  n: number;
  e: number;
  /** First output column and number of windows of the task. */
  fStart: number;
  windows: number;
  /** Identifies the output tile across passes. */
  taskKey: number;
  pes: ScheduledPe[];
}

export interface ScheduledStep {
  stacks: ScheduledStack[];
}

export interface ScheduledIteration {
  tg: number;
  tm: number;
  chunk: number;
  pass: number;
  steps: ScheduledStep[];
}

const ceilDiv = (a: number, b: number): number => Math.ceil(a / b);

export const groupCount = (map: Mapping): number => map.spatial.n * map.spatial.g * map.spatial.e * map.spatial.f;

/**
 * Walks the schedule: g tiles, psum chunks, m tiles, reduction passes, outermost first. The m
 * tiles of one chunk follow each other because they read the same iacts (GLB iact staging
 * replays them) and need the psum banks one after the other. With `sample` > 1 only every sample-th stack task (all its passes) is kept,
 * for fast spot checks of big layers.
 */
export function* schedule(l: Layer, map: Mapping, arch: ArchConfig, sample = 1): Generator<ScheduledIteration> {
  const E = outH(l),
    F = outW(l),
    Mg = filtersPerGroup(l);
  const { stride: U, padding: P } = l;
  const { F0 } = map.pe;
  const { height } = map.stack;
  const { cBlocks, slices, passes } = map.reduction;
  const p = map.spatial;
  const dims: Record<SpatialDim, number> = { n: l.N, g: l.groups, m: ceilDiv(Mg, map.pe.M0), e: E, f: ceilDiv(F, F0) };
  const coords = Array.from({ length: map.stacksUsed }, (_, s) => stackCoordinates(map, s));
  const groups = coords.map((c) => ((c.n * p.g + c.g) * p.e + c.e) * p.f + c.f);
  const nef: [number, number, number][] = [];
  for (let tn = 0; tn < map.temporal.n; tn++) for (let te = 0; te < map.temporal.e; te++) for (let tf = 0; tf < map.temporal.f; tf++) nef.push([tn, te, tf]);
  let unit = 0;
  for (let tg = 0; tg < map.temporal.g; tg++) {
    for (let ci = 0, chunk = 0; ci < nef.length; ci += map.psumChunkSteps, chunk++) {
      const steps = nef.slice(ci, ci + map.psumChunkSteps);
      for (let tm = 0; tm < map.temporal.m; tm++) {
        const firstUnit = unit;
        unit += steps.length;
        for (let pass = 0; pass < passes; pass++) {
          const top = Math.min(height, slices - pass * height) - 1;
          yield {
            tg,
            tm,
            chunk,
            pass,
            steps: steps.map(([tn, te, tf], k) => {
              const stacks: ScheduledStack[] = [];
              for (let s = 0; s < map.stacksUsed; s++) {
                if (((firstUnit + k) * map.stacksUsed + s) % sample !== 0) continue;
                const sc = coords[s]!;
                const g = tg * p.g + sc.g,
                  mb = tm * p.m + sc.m,
                  n = tn * p.n + sc.n,
                  e = te * p.e + sc.e,
                  fc = tf * p.f + sc.f;
                if (g >= dims.g || mb >= dims.m || n >= dims.n || e >= dims.e || fc >= dims.f) continue;
                const pes: ScheduledPe[] = [];
                for (let pos = 0; pos <= top; pos++) {
                  const slice = pass * height + pos;
                  const r = Math.floor(slice / cBlocks);
                  pes.push({
                    position: pos,
                    place: physicalPlace(arch, map, s, pos),
                    r,
                    cb: slice % cBlocks,
                    h: e * U + r - P,
                    psumIn: pos > 0 ? 'below' : pass > 0 ? 'glb' : 'zero',
                    psumOut: pos < top ? 'above' : pass < passes - 1 ? 'glb' : 'output',
                  });
                }
                stacks.push({
                  stack: s,
                  group: groups[s]!,
                  g,
                  mb,
                  n,
                  e,
                  fStart: fc * F0,
                  windows: Math.min(F0, F - fc * F0),
                  taskKey: (((g * dims.m + mb) * dims.n + n) * dims.e + e) * dims.f + fc,
                  pes,
                });
              }
              return { stacks };
            }),
          };
        }
      }
    }
  }
}
