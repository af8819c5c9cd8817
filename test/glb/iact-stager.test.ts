// The GLB iact port's sequencer (IactStager) with its bank, as the cluster wires them: random
// segment streams (pass, store-and-forward, replay, wrapping bank addresses, no-op headers)
// under random valid/ready, each checked word for word against the golden model
// (golden/glb/iact-segments.ts), and bypass with staging off.
import { describe, expect, it } from 'vitest';
import { Bool, Decoupled, UInt, defineModule } from '../../generator/dsl/index.js';
import { GlbIactBank } from '../../generator/eyeriss/glb/iact-bank.js';
import { IactStager, type IactStagerParams } from '../../generator/eyeriss/glb/iact-stager.js';
import { iactSegmentFields, SEG_PASS, SEG_REPLAY, SEG_STORE } from '../../spec/chip/format.js';
import { glbParamsFromArch } from '../../spec/glb.js';
import { paperArch } from '../../spec/arch.js';
import { runIactSegments } from '../../golden/glb/iact-segments.js';
import { emitForSim } from '../../tb/dsl.js';
import { assertGatesPass } from '../../tb/lint.js';
import { makeRng, type Rng } from '../../tb/seed.js';
import { StreamDeadlockError } from '../../tb/sim.js';
import { testSeed } from '../../tb/testing.js';
import { useSimulator } from '../support/sim.js';

const StagedIactPort = defineModule(
  'StagedIactPort',
  (m, p: IactStagerParams) => {
    const io = {
      in: m.input('in', Decoupled(UInt(p.width))),
      staged: m.input('staged', Bool()),
      rd: m.output('rd', Decoupled(UInt(p.width))),
      idle: m.output('idle', Bool()),
    };
    const st = m.instance('stager', IactStager, p);
    const bank = m.instance('bank', GlbIactBank, p);
    m.connect(st.in, io.in);
    st.staged.set(io.staged);
    m.connect(bank.wr, st.wr);
    bank.bypass.set(st.bypass);
    bank.wr_start.set(st.wr_start);
    bank.rd_start.set(st.rd_start);
    m.connect(bank.wr_cfg, st.wr_cfg);
    m.connect(bank.rd_cfg, st.rd_cfg);
    st.wr_busy.set(bank.wr_busy);
    m.connect(io.rd, bank.rd);
    st.rd_valid.set(bank.rd.valid);
    st.rd_ready.set(io.rd.ready);
    io.idle.set(st.idle);
    return io;
  },
  { nameFor: (p) => `StagedIactPort_d${p.depth}` },
);

const g = glbParamsFromArch(paperArch);
const params: IactStagerParams = { depth: g.iactDepth, width: g.iactWidth, countWidth: g.countWidth };

function header(kind: number, base: number, count: number): number {
  const v: Record<string, number> = { kind, base, count };
  return iactSegmentFields(params.width, params.depth).reduce((w, f) => w + v[f.name]! * 2 ** f.offset, 0);
}

/** A random segment stream over `bank` (what the port has stored so far, updated by the model later). */
function randomSegments(r: Rng, bank: readonly (number | undefined)[]): number[] {
  const words: number[] = [];
  const stored = bank.map((w) => w !== undefined);
  for (let s = r.int(1, 8); s > 0; s--) {
    // Now and then a count past the generators' countWidth bits: the port takes it modulo 2^countWidth.
    const count = r.pick([r.int(1, 6), r.int(1, 60), r.int(1, params.depth), 0, 2 ** params.countWidth + r.int(0, 40)]);
    const base = r.int(0, params.depth - 1);
    const bankCount = count % 2 ** params.countWidth;
    const replayable = bankCount > 0 && Array.from({ length: bankCount }, (_, i) => stored[(base + i) % params.depth]).every(Boolean);
    const kind = replayable && r.chance(0.4) ? SEG_REPLAY : r.pick([SEG_PASS, SEG_STORE, SEG_STORE, 3]);
    words.push(header(kind, base, count));
    if (kind === SEG_REPLAY) continue;
    const length = kind === SEG_STORE ? bankCount : count;
    for (let i = 0; i < length; i++) {
      words.push(Number(r.bits(params.width)));
      if (kind === SEG_STORE) stored[(base + i) % params.depth] = true;
    }
  }
  return words;
}

describe('GLB iact port: IactStager + GlbIactBank (paper sizes)', () => {
  const sim = useSimulator(StagedIactPort, params, 'StagedIactPort-paper');

  it('random segment streams under random backpressure match the golden model word for word', async (ctx) => {
    const seed = testSeed(ctx);
    const r = makeRng(seed);
    const bank = new Array<number | undefined>(params.depth);
    let replayed = 0;
    for (let phase = 0; phase < 40; phase++) {
      const staged = phase % 8 !== 7;
      const offchip = staged ? randomSegments(r, bank) : Array.from({ length: r.int(0, 40) }, () => Number(r.bits(params.width)));
      const want = staged ? runIactSegments(offchip, params.width, bank, params.countWidth) : { routed: offchip, replayed: 0 };
      replayed += want.replayed;
      await sim().batch((b) => b.poke('staged', staged ? 1 : 0));
      const maxCycles = 200 + 8 * (offchip.length + want.replayed);
      // One word more than the model predicts: the run must end on the budget with exactly the predicted words.
      let got: bigint[];
      try {
        await sim().runStreams({
          sources: [{ port: 'in', data: offchip, validProbability: r.pick([1, 0.7, 0.4]) }],
          sinks: [{ port: 'rd', count: want.routed.length + 1, readyProbability: r.pick([1, 0.7, 0.4]) }],
          maxCycles,
          seed: r.u32(),
        });
        throw new Error(`SEED=${seed} phase ${phase}: the port delivered a word beyond the model's ${want.routed.length}`);
      } catch (e) {
        if (!(e instanceof StreamDeadlockError)) throw e;
        const src = e.endpoints.find((x) => x.role === 'source')!;
        expect(src.done, `SEED=${seed} phase ${phase}: off-chip words taken`).toBe(offchip.length);
        got = e.result.received.rd!.values;
      }
      expect(got.map(Number), `SEED=${seed} phase ${phase} (staged ${staged})`).toEqual(want.routed);
      const [idle] = await sim().batch((b) => b.peek('idle'));
      expect(idle, `SEED=${seed} phase ${phase}: the port is back at a header`).toBe(1n);
    }
    expect(replayed, 'the random streams replayed from the bank').toBeGreaterThan(100);
  }, 300_000);
});

describe('IactStager is lint-clean and synthesizes without latches', () => {
  it('with a shallow bank', async () => {
    const s = await assertGatesPass(await emitForSim(StagedIactPort, { ...params, depth: 16, countWidth: 5 }));
    expect(s.latches).toBe(0);
  }, 300_000);
});
