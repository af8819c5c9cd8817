import { describe, expect, it } from 'vitest';
import { paperArch } from '../../spec/arch.js';
import { encodeIactSegments, packPairsToWords } from '../../spec/csc.js';
import { makePeJob, type PeTile } from '../../golden/pe/job.js';
import { referencePeTile } from '../../golden/pe/reference.js';
import { makeRng, type Rng } from '../../tb/seed.js';
import { testSeed } from '../../tb/testing.js';
import { chipParamsFromArch, iactMessage, packPsums, PAD_WORD, weightMessage } from '../../spec/chip/format.js';
import { PeShell, peShellParams } from '../../generator/eyeriss/chip/pe-shell.js';
import { peJobLayout } from '../../spec/chip/format.js';
import { encodePeJobHeader } from '../../spec/pe/job.js';
import { randomJobs } from '../pe/random-tiles.js';
import { useSimulator } from '../support/sim.js';

const chip = chipParamsFromArch(paperArch);

/** The job payload of a cluster command: the PeJobHeader fields packed LSB first. */
function jobWord(tile: PeTile): bigint {
  const values = encodePeJobHeader(makePeJob(tile, paperArch).header);
  return peJobLayout(chip.pe).reduce((acc, f, i) => acc | (BigInt(values[i]!) << BigInt(f.offset)), 0n);
}

function iactWords(tile: PeTile): number[] {
  if (tile.iactDense) {
    const pairs = tile.segments.flat().map((v) => v & 0xff);
    return packPairsToWords(pairs.length % 2 ? [...pairs, 0xfff] : pairs);
  }
  return iactMessage(encodeIactSegments(tile.segments, tile.iactSigned, paperArch), chip.pe.iactDataDepth);
}

const PSUM_MASK = (1 << 20) - 1;

/** Streams for a run of jobs, with pad words between messages, and the expected psum words. */
function streamsFor(r: Rng, tiles: PeTile[]) {
  const pads = () => Array.from({ length: r.chance(0.1) ? r.int(1, 3) : 0 }, () => PAD_WORD);
  const cmd: bigint[] = [],
    iact: number[] = [],
    weight: number[] = [],
    psumIn: bigint[] = [],
    expected: bigint[] = [];
  for (const tile of tiles) {
    const job = makePeJob(tile, paperArch);
    cmd.push(jobWord(tile));
    // Pad words anywhere, also inside a message: on the chip a class's alignment pads can reach a
    // PE after it has started its next job.
    const sprinkle = (words: number[]) => words.flatMap((w) => [...pads(), w]);
    iact.push(...sprinkle(iactWords(tile)), ...pads());
    weight.push(...sprinkle(weightMessage(chip, job.streams.weightAddr, job.streams.weightData)), ...pads());
    if (tile.psumIn) psumIn.push(...packPsums(chip, job.streams.psumIn));
    if (tile.psumOut) {
      const init = tile.psumIn ?? new Array<number>(tile.nWin * tile.m0).fill(0);
      expected.push(
        ...packPsums(
          chip,
          referencePeTile(tile, init).map((v) => v & PSUM_MASK),
        ),
      );
    }
  }
  return { cmd, iact, weight, psumIn, expected };
}

describe('PeShell (paper SPads, 2 psum lanes) vs the PE reference', () => {
  const sim = useSimulator(PeShell, peShellParams(chip), 'PeShell');

  it('runs 600 random jobs back to back through its adapters under random backpressure, pad words dropped wherever they arrive', async (ctx) => {
    const seed = testSeed(ctx);
    const r = makeRng(seed);
    for (let run = 0; run < 3; run++) {
      // keepPsums needs the SPad history of the PE model; the chip never uses it.
      const tiles = randomJobs(r, 200, chip.pe, paperArch).map((t) => ({ ...t, keepPsums: false }));
      const s = streamsFor(r, tiles);
      const speed = () => (r.chance(0.4) ? 1 : 0.3 + 0.7 * r.float());
      await sim().reset(2);
      const res = await sim().runStreams({
        seed: r.u32(),
        maxCycles: 2_000_000,
        sources: [
          { port: 'cmd', data: s.cmd, validProbability: speed() },
          { port: 'iact', data: s.iact, validProbability: speed() },
          { port: 'weight', data: s.weight, validProbability: speed() },
          { port: 'psum_in', data: s.psumIn, validProbability: speed() },
        ],
        sinks: [{ port: 'psum_out', count: s.expected.length, readyProbability: speed() }],
      });
      const got = res.received.psum_out!.values;
      const firstBad = got.findIndex((v, i) => v !== s.expected[i]);
      expect(firstBad, `run ${run}: first wrong psum word (SEED=${seed})`).toBe(-1);
      // Jobs that keep their results and trailing pads may still be queued: feed the rest, no sinks.
      const rest = { cmd: s.cmd, iact: s.iact, weight: s.weight, psum_in: s.psumIn };
      await sim().runStreams({
        seed: r.u32(),
        maxCycles: 200_000,
        sources: Object.entries(rest).map(([port, data]) => ({ port, data: data.slice(res.sent[port]) })),
      });
      // The last jobs may keep their results, so no psum word says when they end: a job that
      // started late can still be computing. Give it up to 10,000 cycles (a job needs < 2,000).
      let idle = 0n;
      for (let i = 0; i < 100 && idle !== 1n; i++) {
        await sim().step(100);
        idle = await sim().peek('idle');
      }
      expect(idle, `run ${run}: shell idle after the run (SEED=${seed})`).toBe(1n);
    }
  });

  it('is not idle while its PE computes or its psums wait, and idle once they have left', async (ctx) => {
    const seed = testSeed(ctx);
    const r = makeRng(seed);
    // A job long enough to be still computing when its last input word has been taken.
    const macs = (t: PeTile): number => t.m0 * t.segLen * t.winSegs * t.nWin;
    const tile = randomJobs(r, 400, chip.pe, paperArch).find((t) => !t.keepWeights && !t.iactDense && t.psumIn === undefined && t.psumOut && macs(t) > 400)!;
    const s = streamsFor(r, [{ ...tile, keepPsums: false }]);
    await sim().reset(2);
    expect(await sim().peek('idle'), 'idle after reset').toBe(1n);
    // Inputs only: nobody takes the psums yet.
    await sim().runStreams({
      seed: r.u32(),
      maxCycles: 100_000,
      sources: [
        { port: 'cmd', data: s.cmd },
        { port: 'iact', data: s.iact },
        { port: 'weight', data: s.weight },
      ],
    });
    for (let i = 0; i < 40; i++) {
      expect(await sim().peek('idle'), `cycle ${i} after the last input word, psums not taken (SEED=${seed})`).toBe(0n);
      await sim().step(25);
    }
    const res = await sim().runStreams({ seed: r.u32(), maxCycles: 100_000, sinks: [{ port: 'psum_out', count: s.expected.length }] });
    expect(res.received.psum_out!.values).toEqual(s.expected);
    let idle = 0n;
    for (let i = 0; i < 20 && idle !== 1n; i++) {
      await sim().step(10);
      idle = await sim().peek('idle');
    }
    expect(idle, `idle once the psums have left (SEED=${seed})`).toBe(1n);
  });
});
