import { Bool, UInt, log2Ceil } from './types.js';
import { defineModule } from './module.js';

export interface SramParams {
  depth: number;
  width: number;
}

/**
 * The synchronous SRAM primitive: one read port, one write port, read data one cycle after
 * `rd_en` and held until the next read. A read of the address being written in the same
 * cycle returns the old word (read-first). It is its own module, `SRAM_d<depth>_w<width>`,
 * with exactly these ports, so an ASIC flow can swap in a macro of the same name and an
 * FPGA flow infers block RAM from the behavioural body:
 *
 *   input  clock
 *   input  rd_en      input  [A-1:0] rd_addr     output [W-1:0] rd_data
 *   input  wr_en      input  [A-1:0] wr_addr     input  [W-1:0] wr_data
 *
 * with A = max(1, ceil(log2(depth))) and W = width. No reset: SRAM contents are undefined at
 * power-up and the designs that use it never read a word before writing it.
 */
export const SRAM = defineModule(
  'SRAM',
  (m, p: SramParams) => {
    const a = log2Ceil(p.depth);
    const rd_en = m.input('rd_en', Bool());
    const rd_addr = m.input('rd_addr', UInt(a));
    const rd_data = m.output('rd_data', UInt(p.width));
    const wr_en = m.input('wr_en', Bool());
    const wr_addr = m.input('wr_addr', UInt(a));
    const wr_data = m.input('wr_data', UInt(p.width));
    const mem = m.mem('mem', p.depth, UInt(p.width));
    m.when(wr_en, () => mem.write(wr_addr, wr_data));
    const q = m.reg('rd_q', UInt(p.width));
    m.when(rd_en, () => q.set(mem.read(rd_addr)));
    rd_data.set(q);
    return { rd_en, rd_addr, rd_data, wr_en, wr_addr, wr_data };
  },
  { nameFor: (p) => `SRAM_d${p.depth}_w${p.width}` },
);
