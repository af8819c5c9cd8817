// The AXI write DMA against the C++ AXI slave memory: random loads and random producers under
// random DRAM latency, delays, backpressure and bandwidth; the memory afterwards word for word
// against the golden model (the streams' words where they were sent, every other word as it
// was), every burst answered. Then masters that break the write rules on purpose.
import { describe, expect, it } from 'vitest';
import { Bool, UInt, defineModule, lit, mux } from '../../generator/dsl/index.js';
import { AxiWriteDma, type AxiWriteDmaParams } from '../../generator/eyeriss/axi/write-dma.js';
import { axiWriteMaster } from '../../generator/eyeriss/axi/common.js';
import { DMA_ERR_RESP, DMA_SLOT_BITS } from '../../spec/axi.js';
import { dmaBursts, dmaWrittenMemory, type DmaLoad } from '../../golden/axi/dma.js';
import { emitForSim } from '../../tb/dsl.js';
import { assertGatesPass } from '../../tb/lint.js';
import { makeRng } from '../../tb/seed.js';
import { AxiProtocolError } from '../../tb/sim.js';
import { testSeed } from '../../tb/testing.js';
import { useSimulator } from '../support/sim.js';

const params: AxiWriteDmaParams = { streams: 4, dataBits: 128, burstBeats: 4, bufferBeats: 8, countBits: 12 };
const BASE = 0x2000_0000;
const MEM_WORDS = 4096;
const wpb = params.dataBits / DMA_SLOT_BITS;
const burstBytes = params.burstBeats * (params.dataBits / 8);

describe('AxiWriteDma (4 streams, 128-bit AXI, bursts of 4 beats)', () => {
  const sim = useSimulator(AxiWriteDma, params, 'AxiWriteDma-test');

  it('random streams under random DRAM timing land word for word, nothing else in memory changes', async (ctx) => {
    const seed = testSeed(ctx);
    const r = makeRng(seed);
    await sim().reset(2);
    for (let phase = 0; phase < 12; phase++) {
      const memory = Uint32Array.from({ length: MEM_WORDS }, () => r.u32());
      // Disjoint regions, each a whole number of bursts, in random order.
      const region = MEM_WORDS / params.streams;
      const order = Array.from({ length: params.streams }, (_, s) => s).sort(() => r.int(0, 1) * 2 - 1);
      // Half the streams take two loads (the second waits until the first has every word in).
      const bw = burstBytes / 4;
      const up = (words: number): number => Math.ceil(words / bw) * bw;
      const pairs = order.map((slot, stream) => {
        const words = r.pick([0, r.int(1, 5), r.int(1, 40), r.int(100, region - 2 * bw)]);
        const first = words > 1 && r.int(0, 1) === 1 ? r.int(1, words - 1) : words;
        const offset = bw * r.int(0, Math.floor((region - up(first) - up(words - first)) / bw));
        const addr = BASE + 4 * (slot * region + offset);
        return [{ stream, addr, words: first }, ...(first < words ? [{ stream, addr: addr + 4 * up(first), words: words - first }] : [])];
      });
      const loads: DmaLoad[] = [...pairs.map((p) => p[0]!), ...pairs.flatMap((p) => p.slice(1))];
      const data = pairs.map((p) => Array.from({ length: p.reduce((n, l) => n + l.words, 0) }, () => r.u32()));
      const what = `SEED=${seed} phase ${phase}: loads ${JSON.stringify(loads)}`;
      const res = await sim().runStreams({
        sources: [
          { port: 'load', data: loads.map((l) => [l.stream, l.addr, l.words]) },
          ...data.map((d, s) => ({ port: `in_${s}`, data: d, validProbability: r.pick([1, 0.6, 0.2]) })),
        ],
        axi: [
          {
            prefix: 'm_axi',
            memory,
            base: BASE,
            latency: r.pick([1, 5, 30]),
            jitterCycles: r.pick([0, 8]),
            jitterProbability: 0.3,
            arreadyProbability: r.pick([1, 0.5]),
            rvalidProbability: r.pick([1, 0.6]),
            bytesPerCycle: r.pick([0, 0, 8, 40]),
            readback: [{ addr: BASE, words: MEM_WORDS }],
          },
        ],
        until: 'idle',
        maxCycles: 100_000,
        seed: r.u32(),
      });
      const got = res.axi[0]!.readback[0]!;
      const want = dmaWrittenMemory(memory, BASE, loads, data);
      const bad = got.findIndex((w, i) => w !== want[i]);
      expect(bad, `${what}: first wrong word ${bad} (got ${got[bad]}, want ${want[bad]})`).toBe(-1);
      const bursts = loads.reduce((n, l) => n + dmaBursts(l.words, wpb, params.burstBeats), 0);
      expect(res.axi[0], `${what}: bursts written and answered`).toMatchObject({ writeBursts: bursts, writeOpen: 0, readBursts: 0 });
      expect(await sim().batch((b) => (b.peek('error_code'), b.peek('taken'))), what).toEqual([0n, 1n]);
    }
  }, 300_000);

  it('a write outside memory is answered SLVERR and flagged', async () => {
    await sim().reset(2);
    await sim().runStreams({
      sources: [
        { port: 'load', data: [[1, BASE + 16 * burstBytes, 3]] },
        { port: 'in_1', data: [1, 2, 3] },
      ],
      axi: [{ prefix: 'm_axi', memory: new Uint32Array(64), base: BASE }],
      until: 'idle',
      maxCycles: 500,
    });
    expect(await sim().batch((b) => b.peek('error_code'))).toEqual([BigInt(DMA_ERR_RESP)]);
  });
});

/** A write master that breaks one rule on purpose. */
const BadWriter = defineModule(
  'BadWriter',
  (m, p: { fault: 'early-data' | 'early-wlast' }) => {
    const io = {
      ...axiWriteMaster(m, 32),
      never: m.output('never', Bool()),
    };
    io.never.set(0);
    const cycle = m.reg('cycle', UInt(4), { init: 0 });
    m.when(cycle.ne(15), () => cycle.set(cycle.addWrap(1)));
    // early-data: data from cycle 0, the address only from cycle 3; early-wlast: a 4-beat burst whose first beat says last.
    io.m_axi_awvalid.set(p.fault === 'early-data' ? cycle.eq(3) : cycle.eq(0));
    io.m_axi_awaddr.set(0x100);
    io.m_axi_awlen.set(p.fault === 'early-wlast' ? 3 : 0);
    io.m_axi_awsize.set(2);
    io.m_axi_awburst.set(1);
    io.m_axi_awid.set(0);
    io.m_axi_wvalid.set(p.fault === 'early-data' ? cycle.lt(4) : cycle.ge(1).and(cycle.lt(5)));
    io.m_axi_wdata.set(lit(0xabcd, 32));
    io.m_axi_wstrb.set(0xf);
    io.m_axi_wlast.set(p.fault === 'early-wlast' ? mux(cycle.eq(1), 1, 0) : 1);
    io.m_axi_bready.set(1);
    return io;
  },
  { nameFor: (p) => `BadWriter_${p.fault.replace('-', '_')}` },
);

describe('the AXI slave model catches a write master that breaks the protocol', () => {
  const rules = { 'early-data': /W channel, cycle \d+: write data before its write address/, 'early-wlast': /W channel, cycle \d+: wlast on beat 1 of 4/ };
  for (const [fault, rule] of Object.entries(rules) as ['early-data' | 'early-wlast', RegExp][]) {
    const sim = useSimulator(BadWriter, { fault }, `BadWriter-${fault}`);
    it(`${fault}: the run stops with the rule, the channel and the cycle`, async () => {
      await sim().reset(1);
      const run = sim().runStreams({ axi: [{ prefix: 'm_axi', memory: new Uint32Array(2048) }], until: 'never', maxCycles: 20 });
      await expect(run).rejects.toThrow(AxiProtocolError);
      await expect(run).rejects.toThrow(rule);
    });
  }
});

describe('AxiWriteDma is lint-clean and synthesizes without latches', () => {
  it('4 streams, 128-bit AXI', async () => {
    const s = await assertGatesPass(await emitForSim(AxiWriteDma, params));
    expect(s.latches).toBe(0);
  }, 300_000);
});
