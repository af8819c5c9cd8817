// The chip's output stage (OutputRequant): random psum words through every shift, requantized
// lane by lane against spec/numerics.ts `requantize`, raw words passed untouched, the handshake
// passed through; lint and synthesis gates.
import { describe, expect, it } from 'vitest';
import { OutputRequant, type OutputRequantParams } from '../../generator/eyeriss/chip/output-requant.js';
import { OUTPUT_SHIFT_BITS, OUTPUT_VALUE_BITS, chipParamsFromArch } from '../../spec/chip/format.js';
import { paperArch } from '../../spec/arch.js';
import { PSUM_BITS, requantize } from '../../spec/numerics.js';
import { emitForSim } from '../../tb/dsl.js';
import { assertGatesPass } from '../../tb/lint.js';
import { makeRng, type Rng } from '../../tb/seed.js';
import { testSeed } from '../../tb/testing.js';
import { useSimulator } from '../support/sim.js';

const chip = chipParamsFromArch(paperArch);
const params: OutputRequantParams = { lanes: chip.pe.psumLanes, width: chip.noc.psumWidth };
const HALF = 2 ** (PSUM_BITS - 1);

/** A signed 20-bit psum, weighted towards the edges: rounding ties, saturation, the extremes, negatives. */
function psum(r: Rng, shift: number): number {
  const tie = (r.int(0, 300) << shift) + (shift > 0 ? 2 ** (shift - 1) + r.pick([-1, 0, 1]) : 0);
  const v = r.pick([r.int(-HALF, HALF - 1), r.int(-300, 300), tie, 255 << shift, (256 << shift) - 1, HALF - 1, -HALF, -1, 0]);
  return Math.max(-HALF, Math.min(HALF - 1, v));
}

/** The spec's requantization; shifts past a psum's width (the encoder never sends them) leave 0. */
const model = (v: number, shift: number): number => (shift < PSUM_BITS ? requantize(v, { activation: 'relu', shift }) : 0);

describe('OutputRequant (paper out port: two 20-bit lanes)', () => {
  const sim = useSimulator(OutputRequant, params, 'OutputRequant-paper');

  it('requantizes each lane as the spec does for every shift, and passes raw words and the handshake untouched', async (ctx) => {
    const seed = testSeed(ctx);
    const r = makeRng(seed);
    for (let i = 0; i < 1500; i++) {
      const on = r.chance(0.8);
      const shift = i < 2 ** OUTPUT_SHIFT_BITS ? i : r.int(0, r.chance(0.9) ? PSUM_BITS - 1 : 2 ** OUTPUT_SHIFT_BITS - 1);
      const lanes = Array.from({ length: params.lanes }, () => psum(r, shift));
      const word = lanes.reduce((w, v, l) => w | (BigInt(v & (2 ** PSUM_BITS - 1)) << BigInt(l * PSUM_BITS)), 0n);
      const [valid, ready] = [r.int(0, 1), r.int(0, 1)];
      const [bits, outValid, inReady] = await sim().batch((b) => {
        b.poke('in_bits', word);
        b.poke('in_valid', valid);
        b.poke('out_ready', ready);
        b.poke('cfg_requant', on ? 1 : 0);
        b.poke('cfg_shift', shift);
        b.peek('out_bits');
        b.peek('out_valid');
        b.peek('in_ready');
      });
      const want = on ? lanes.reduce((w, v, l) => w | (BigInt(model(v, shift)) << BigInt(l * OUTPUT_VALUE_BITS)), 0n) : word;
      expect(bits, `SEED=${seed} step ${i}: lanes ${lanes.join(', ')} shift ${shift} requant ${on}`).toBe(want);
      expect([outValid, inReady]).toEqual([BigInt(valid), BigInt(ready)]);
    }
  }, 120_000);
});

describe('OutputRequant is lint-clean and synthesizes without latches', () => {
  it('paper out port', async () => {
    const s = await assertGatesPass(await emitForSim(OutputRequant, params));
    expect(s.latches).toBe(0);
  }, 300_000);
});
