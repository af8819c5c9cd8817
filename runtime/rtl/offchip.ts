// What crossed the chip boundary in an RTL layer run, counted by the harness per stream type
// from the words each off-chip port actually handed over, and the bytes those words are.
import { CFG_DATA_BITS, cfgAddrWidth, cmdWidth, outputWordBits, scaleWordBits, type ChipParams } from '../../spec/chip/format.js';

/** The chip top's off-chip streams, by what they carry (`scale`: the output multipliers, on chips that have them). */
export type OffchipStream = 'cfg' | 'cmd' | 'iact' | 'weight' | 'psum_in' | 'output' | 'scale';

export type OffchipWords = Record<OffchipStream, number>;

export const noOffchipWords = (): OffchipWords => ({ cfg: 0, cmd: 0, iact: 0, weight: 0, psum_in: 0, output: 0, scale: 0 });

/**
 * Data bytes beside the golden model's dram_bytes: `total` is iact + weight + psum_in + output,
 * each stream's words times its port width, packed (bits / 8, rounded up once per stream type),
 * as a memory port would move them. Configuration and command words are control, kept apart
 * in `control`: the golden model counts no control traffic. So are the output multipliers'
 * scale words (layer parameters, which the golden model's dram_bytes has none of).
 */
export interface OffchipBytes {
  iact: number;
  weight: number;
  psum_in: number;
  output: number;
  total: number;
  control: number;
}

/** Bits per word of each stream on the chip of `p`; an out word carries 8-bit outputs when `requantized`. */
export function offchipWordBits(p: ChipParams, requantized: boolean): OffchipWords {
  return {
    cfg: cfgAddrWidth(p) + CFG_DATA_BITS,
    cmd: cmdWidth(p),
    iact: p.noc.iactWidth,
    weight: p.noc.weightWidth,
    psum_in: p.noc.psumWidth,
    output: outputWordBits(p, requantized),
    scale: scaleWordBits(p),
  };
}

export function offchipBytes(p: ChipParams, w: OffchipWords, requantized: boolean): OffchipBytes {
  const bits = offchipWordBits(p, requantized);
  const bytes = (k: OffchipStream): number => Math.ceil((w[k] * bits[k]) / 8);
  const data = { iact: bytes('iact'), weight: bytes('weight'), psum_in: bytes('psum_in'), output: bytes('output') };
  return { ...data, total: data.iact + data.weight + data.psum_in + data.output, control: bytes('cfg') + bytes('cmd') + bytes('scale') };
}

export function addOffchipBytes(a: OffchipBytes, b: OffchipBytes): OffchipBytes {
  return {
    iact: a.iact + b.iact,
    weight: a.weight + b.weight,
    psum_in: a.psum_in + b.psum_in,
    output: a.output + b.output,
    total: a.total + b.total,
    control: a.control + b.control,
  };
}
