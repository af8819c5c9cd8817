import { Bool, Bundle, Decoupled, UInt, cat, defineModule, lit, mux, type Expr } from '../../dsl/index.js';
import { PSUM_BITS } from '../../../spec/numerics.js';
import { OUTPUT_SHIFT_BITS, OUTPUT_VALUE_BITS } from '../../../spec/chip/format.js';

export interface OutputRequantParams {
  /** Psums per out word. */
  lanes: number;
  /** Out word width (lanes * PSUM_BITS on every chip the spec allows). */
  width: number;
  /** Bits of the per-output-channel multiplier (ChipParams.outputMultiplierBits); absent or 0: none, and no `scale` port. */
  multiplierBits?: number;
}

/** The output stage's configuration: the top's output word, decoded (spec/chip/format.ts). */
export const outputCfgType = () => Bundle({ requant: Bool(), shift: UInt(OUTPUT_SHIFT_BITS) });

/**
 * One out port's output stage (chip/README.md, "Output stage"). With `cfg.requant` clear the psum
 * words pass untouched; set, each lane becomes spec/numerics.ts `requantize`: ReLU, a right shift
 * rounding half up, saturation to 0..255, lane l in bits 8l+7..8l of the word. With a multiplier
 * and `cfg_scaled`, each word waits for its `scale` word (lane l's multiplier in its bits
 * (l+1)B-1..lB), which multiplies the ReLU'd lane before the shift; both are taken together.
 * Combinational on the data, so it adds no cycle and no storage to the port.
 */
export const OutputRequant = defineModule(
  'OutputRequant',
  (m, p: OutputRequantParams) => {
    const B = p.multiplierBits ?? 0;
    const io = {
      in: m.input('in', Decoupled(UInt(p.width))),
      cfg: m.input('cfg', outputCfgType()),
      out: m.output('out', Decoupled(UInt(p.width))),
    };
    const multiplier = B > 0 ? { scale: m.input('scale', Decoupled(UInt(p.lanes * B))), cfg_scaled: m.input('cfg_scaled', Bool()) } : undefined;
    const scale = multiplier?.scale;
    // Only a scaled layer waits for scale words; the others never take one.
    const scaled = multiplier === undefined ? undefined : m.node('scaled', io.cfg.requant.and(multiplier.cfg_scaled));
    if (scale === undefined || scaled === undefined) {
      io.out.valid.set(io.in.valid);
      io.in.ready.set(io.out.ready);
    } else {
      io.out.valid.set(io.in.valid.and(scaled.not().or(scale.valid)));
      io.in.ready.set(io.out.ready.and(scaled.not().or(scale.valid)));
      scale.ready.set(scaled.and(io.in.valid).and(io.out.ready));
    }
    const shift = io.cfg.shift;
    const bytes: Expr[] = [];
    for (let l = 0; l < p.lanes; l++) {
      const psum = io.in.bits.bits((l + 1) * PSUM_BITS - 1, l * PSUM_BITS);
      const relu = m.node(`relu_${l}`, mux(psum.bit(PSUM_BITS - 1), lit(0, PSUM_BITS - 1), psum.bits(PSUM_BITS - 2, 0)));
      const value =
        scale === undefined || scaled === undefined
          ? relu
          : m.node(`product_${l}`, mux(scaled, relu.mul(scale.bits.bits((l + 1) * B - 1, l * B)), relu.zext(PSUM_BITS - 1 + B)));
      // (v + 2^(s-1)) >> s == ((v >> (s-1)) + 1) >> 1 for v >= 0: no dynamic left shift for the
      // rounding constant, and the sum stays within the value's width.
      const rounded = m.node(`rounded_${l}`, mux(shift.eq(0), value, value.dshr(shift.subWrap(1)).add(1).shr(1)));
      const top = 2 ** OUTPUT_VALUE_BITS - 1;
      bytes.push(m.node(`byte_${l}`, mux(rounded.gt(top), lit(top, OUTPUT_VALUE_BITS), rounded.bits(OUTPUT_VALUE_BITS - 1, 0))));
    }
    io.out.bits.set(mux(io.cfg.requant, cat(...bytes.reverse()).zext(p.width), io.in.bits));
    return { ...io, ...multiplier };
  },
  { nameFor: (p) => `OutputRequant_l${p.lanes}w${p.width}${(p.multiplierBits ?? 0) > 0 ? `_m${p.multiplierBits}` : ''}` },
);
