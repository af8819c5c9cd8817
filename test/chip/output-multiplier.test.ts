// The optional per-output-channel multiplier (ArchConfig.outputMultiplierBits): the output stage
// against spec/numerics.ts `requantize` lane by lane with its scale handshake, then whole layers
// and chains on a small chip that has one, through the core top and through the system top from
// memory, each compared with the golden model's requantizeAll; layers without multipliers and raw
// layers on the same chip leave the scale streams untouched.
import { describe, expect, it } from 'vitest';
import { OutputRequant, type OutputRequantParams } from '../../generator/eyeriss/chip/output-requant.js';
import { EyerissTop } from '../../generator/eyeriss/chip/top.js';
import { EyerissSystem } from '../../generator/eyeriss/system/system.js';
import { parseArch } from '../../spec/arch.js';
import { namedArchs } from '../../spec/archs.js';
import { OUTPUT_VALUE_BITS, chipParamsFromArch } from '../../spec/chip/format.js';
import { PSUM_BITS, MAX_SCALED_SHIFT, requantize, type Requant } from '../../spec/numerics.js';
import { systemParamsFor } from '../../spec/system.js';
import type { Layer, LayerType } from '../../golden/layers.js';
import { generateLayerData } from '../../golden/random.js';
import { randomSmallLayer } from '../../golden/random-layer.js';
import { benchmarkRequant, referenceLayer, requantizeAll } from '../../golden/reference.js';
import { runChipModel } from '../../golden/chip-model.js';
import { buildProgram, type RtlProgram } from '../../runtime/rtl/program.js';
import { runProgramOnRtl } from '../../runtime/rtl/run.js';
import { runChain } from '../../runtime/rtl/system/driver.js';
import { checkRequantOnArch } from '../../runtime/run-layer.js';
import { emitForSim } from '../../tb/dsl.js';
import { assertGatesPass, verilatorLint } from '../../tb/lint.js';
import { makeRng, type Rng } from '../../tb/seed.js';
import { testSeed } from '../../tb/testing.js';
import { useSimulator } from '../support/sim.js';

const BITS = 8;
const arch = parseArch({ ...namedArchs.small!, name: 'small-om8', outputMultiplierBits: BITS });
const chip = chipParamsFromArch(arch);
const stage: OutputRequantParams = { lanes: chip.pe.psumLanes, width: chip.noc.psumWidth, multiplierBits: BITS };
const HALF = 2 ** (PSUM_BITS - 1);

describe('OutputRequant with an 8-bit multiplier', () => {
  const sim = useSimulator(OutputRequant, stage, 'OutputRequant-m8');

  it('multiplies each lane by its scale lane before the shift, takes a scale word only with a scaled word, and passes the rest as before', async (ctx) => {
    const seed = testSeed(ctx);
    const r = makeRng(seed);
    for (let i = 0; i < 1500; i++) {
      const [requant, scaled] = [r.chance(0.8), r.chance(0.7)];
      const shift = r.int(0, MAX_SCALED_SHIFT);
      const lanes = Array.from({ length: stage.lanes }, () => r.pick([r.int(-HALF, HALF - 1), r.int(-500, 500), HALF - 1, -HALF, 0]));
      const mults = Array.from({ length: stage.lanes }, () => r.pick([r.int(0, 2 ** BITS - 1), 0, 1, 2 ** BITS - 1]));
      const word = lanes.reduce((w, v, l) => w | (BigInt(v & (2 ** PSUM_BITS - 1)) << BigInt(l * PSUM_BITS)), 0n);
      const scale = mults.reduce((w, v, l) => w | (BigInt(v) << BigInt(l * BITS)), 0n);
      const [inValid, scaleValid, outReady] = [r.int(0, 1), r.int(0, 1), r.int(0, 1)];
      const [bits, outValid, inReady, scaleReady] = await sim().batch((b) => {
        b.poke('in_bits', word);
        b.poke('in_valid', inValid);
        b.poke('scale_bits', scale);
        b.poke('scale_valid', scaleValid);
        b.poke('out_ready', outReady);
        b.poke('cfg_requant', requant ? 1 : 0);
        b.poke('cfg_shift', shift);
        b.poke('cfg_scaled', scaled ? 1 : 0);
        b.peek('out_bits');
        b.peek('out_valid');
        b.peek('in_ready');
        b.peek('scale_ready');
      });
      const what = `SEED=${seed} step ${i}: lanes ${lanes.join(', ')} multipliers ${mults.join(', ')} shift ${shift} requant ${requant} scaled ${scaled}`;
      const q = (l: number): number =>
        scaled
          ? requantize(lanes[l]!, { activation: 'relu', shift, multipliers: mults }, l)
          : shift < PSUM_BITS
            ? requantize(lanes[l]!, { activation: 'relu', shift })
            : 0;
      const want = requant ? lanes.reduce((w, _, l) => w | (BigInt(q(l)) << BigInt(l * OUTPUT_VALUE_BITS)), 0n) : word;
      expect(bits, what).toBe(want);
      const waits = requant && scaled;
      expect([outValid, inReady, scaleReady], what).toEqual([
        BigInt(inValid & (waits ? scaleValid : 1)),
        BigInt(outReady & (waits ? scaleValid : 1)),
        BigInt(waits ? inValid & outReady : 0),
      ]);
    }
  }, 120_000);

  it('is lint-clean and synthesizes without latches', async () => {
    const s = await assertGatesPass(await emitForSim(OutputRequant, stage));
    expect(s.latches).toBe(0);
  }, 300_000);
});

/** Random multipliers and the smallest shift at which no output saturates, or one less (some saturate). */
function randomRequant(r: Rng, l: Layer, raw: Int32Array): Requant {
  const multipliers = Array.from({ length: l.M }, () => r.pick([r.int(1, 2 ** BITS - 1), 2 ** BITS - 1, 0, 1]));
  const q = benchmarkRequant(raw, { layer: l, multipliers });
  return { ...q, shift: Math.max(0, q.shift - r.int(0, 1)) };
}

/** A random layer on the multiplier chip: multipliers (half), a plain requant or raw psums (a quarter each). */
function randomLayer(r: Rng, type: LayerType): { prog: RtlProgram; want: Int32Array | Uint8Array; predicted: number } {
  const seed = r.u32();
  const l = randomSmallLayer(seed, type);
  const d = generateLayerData(l, { iact: r.pick([1, 0.5, 0.2]), weight: r.pick([1, 0.5, 0.2]) }, seed);
  const raw = referenceLayer(l, d);
  const kind = r.pick(['scaled', 'scaled', 'plain', 'raw'] as const);
  const requant = kind === 'scaled' ? randomRequant(r, l, raw) : kind === 'plain' ? { activation: 'relu' as const, shift: r.int(0, 10) } : null;
  const prog = buildProgram(l, d, arch, undefined, { requant });
  const predicted = runChipModel(l, d, { arch, mapping: prog.mapping, mode: 'timing' }).counts.cycles;
  return { prog, want: requant === null ? raw : requantizeAll(l, raw, requant), predicted };
}

const what = (seed: number, i: number, prog: RtlProgram): string =>
  `SEED=${seed} layer ${i} ${JSON.stringify(prog.layer)} requant ${JSON.stringify(prog.requant)}`;

describe('a small chip with an 8-bit output multiplier (core top)', () => {
  const sim = useSimulator(EyerissTop, chip, 'EyerissTop-small-om8');

  it('random layers of every type with per-channel multipliers, plain requant and raw psums, under random stalls', async (ctx) => {
    const seed = testSeed(ctx);
    const r = makeRng(seed);
    const types: LayerType[] = ['conv', 'depthwise', 'pointwise', 'fc'];
    for (let i = 0; i < 8; i++) {
      const { prog, want, predicted } = randomLayer(r, types[i % types.length]!);
      const stalls = r.chance(0.5);
      const run = await runProgramOnRtl(sim(), prog, {
        seed: r.u32(),
        maxCycles: 50 * predicted + 100_000,
        validProbability: stalls ? 0.7 : 1,
        readyProbability: stalls ? 0.6 : 1,
      });
      const bad = run.output.findIndex((v, k) => v !== want[k]);
      expect(bad, `${what(seed, i, prog)} stalls ${stalls}: first wrong output ${bad} (got ${run.output[bad]}, want ${want[bad]})`).toBe(-1);
      const scaleWords = prog.clusters.reduce((n, c) => n + c.scale.reduce((a, w) => a + w.length, 0), 0);
      expect(run.offchipWords.scale, what(seed, i, prog)).toBe(scaleWords);
      if (prog.requant?.multipliers) expect(scaleWords, 'a scaled layer has a scale word per out word').toBe(run.offchipWords.output);
    }
  }, 600_000);
});

describe('a small chip with an 8-bit output multiplier (system top, one memory port)', () => {
  const params = systemParamsFor(chip, { ports: 1 });
  const sim = useSimulator(EyerissSystem, params, 'EyerissSystem-small-om8');

  it('random chains read their scale streams from memory: every layer bit-exact, the scale counter what the programs hold', async (ctx) => {
    const seed = testSeed(ctx);
    const r = makeRng(seed);
    for (let chain = 0; chain < 3; chain++) {
      const layers = Array.from({ length: 3 }, () => randomLayer(r, r.pick(['conv', 'depthwise', 'pointwise', 'fc'] as const)));
      const dram = { latency: r.pick([1, 30]), arreadyProbability: r.pick([1, 0.6]), rvalidProbability: r.pick([1, 0.7]), bytesPerCycle: r.pick([0, 16]) };
      const run = await runChain(
        sim(),
        params,
        layers.map((l) => l.prog),
        { seed: r.u32(), maxCycles: 50 * layers.reduce((n, l) => n + l.predicted, 0) + 200_000, dram },
      );
      layers.forEach((l, i) => {
        const got = run.outputs[i]!;
        const bad = got.findIndex((v, k) => v !== l.want[k]);
        expect(
          bad,
          `chain ${chain} ${what(seed, i, l.prog)} dram ${JSON.stringify(dram)}: first wrong output ${bad} (got ${got[bad]}, want ${l.want[bad]})`,
        ).toBe(-1);
      });
      const scaleWords = layers.reduce((n, l) => n + l.prog.clusters.reduce((a, c) => a + c.scale.reduce((b, w) => b + w.length, 0), 0), 0);
      expect(run.counters.scale, `SEED=${seed} chain ${chain}`).toBe(scaleWords);
    }
  }, 600_000);

  it('the system top with the multiplier is lint-clean (verilator -Wall)', async () => {
    const design = await emitForSim(EyerissSystem, params);
    const lint = await verilatorLint(design.files, design.top);
    expect(lint.messages).toEqual([]);
    expect(lint.ok).toBe(true);
  }, 300_000);
});

describe('multipliers the chip cannot apply are refused before any work', () => {
  const l = randomSmallLayer(5, 'conv');
  const d = generateLayerData(l, { iact: 0.5, weight: 0.5 }, 5);
  const q = (top: number): Requant => ({ activation: 'relu', shift: 9, multipliers: Array.from({ length: l.M }, (_, m) => (m === 0 ? top : 1)) });

  it('a chip without a multiplier, or multipliers wider than it, get a message naming the layer, the architecture and the fix', () => {
    expect(() => checkRequantOnArch(l, q(3), namedArchs.small!)).toThrow(/has no output multiplier; fix: set "outputMultiplierBits"/);
    expect(() => checkRequantOnArch(l, q(256), arch)).toThrow(/multiplier 256 needs more than the 8 bits of architecture 'small-om8'/);
    expect(() => buildProgram(l, d, namedArchs.small!, undefined, { requant: q(3) })).toThrow(/architecture 'small' has no output multiplier/);
    expect(() => checkRequantOnArch(l, q(255), arch)).not.toThrow();
  });

  it('the system top refuses a multiplier whose scale word passes a 32-bit memory slot', () => {
    const wide = chipParamsFromArch(parseArch({ ...namedArchs.small!, name: 'om16', outputMultiplierBits: 16 }));
    expect(() => systemParamsFor(wide)).not.toThrow();
    expect(() => systemParamsFor({ ...wide, pe: { ...wide.pe, psumLanes: 3 } })).toThrow(/passes the 32-bit memory slot; use outputMultiplierBits <= 10/);
  });
});
