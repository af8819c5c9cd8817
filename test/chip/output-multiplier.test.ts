// The optional per-output-channel multiplier (ArchConfig.outputMultiplierBits): the output stage
// against spec/numerics.ts `requantize` lane by lane with its scale handshake, and the checks that
// refuse multipliers a chip cannot apply. Whole layers with multipliers run in test/chip/top.test.ts
// (the four-row chip, core top) and test/system/system.test.ts (the one-port system top, from
// memory), beside layers without them.
import { describe, expect, it } from 'vitest';
import { OutputRequant, type OutputRequantParams } from '../../generator/eyeriss/chip/output-requant.js';
import { parseArch } from '../../spec/arch.js';
import { namedArchs } from '../../spec/archs.js';
import { OUTPUT_VALUE_BITS, chipParamsFromArch } from '../../spec/chip/format.js';
import { PSUM_BITS, MAX_SCALED_SHIFT, requantize, type Requant } from '../../spec/numerics.js';
import { systemParamsFor } from '../../spec/system.js';
import { generateLayerData } from '../../golden/random.js';
import { randomSmallLayer } from '../../golden/random-layer.js';
import { buildProgram } from '../../runtime/rtl/program.js';
import { checkRequantOnArch } from '../../runtime/run-layer.js';
import { emitForSim } from '../../tb/dsl.js';
import { assertGatesPass } from '../../tb/lint.js';
import { makeRng } from '../../tb/seed.js';
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
