// The GLB's geometry and its two-level address generator: what the RTL banks implement and the
// golden model and the compiler compute with.
import type { ArchConfig } from './arch.js';
import { widthOf } from './bits.js';
import { PSUM_BITS } from './numerics.js';

export interface AddrPattern {
  base: number;
  stride0: number;
  count0: number;
  stride1: number;
  count1: number;
}

export interface GlbGeometry {
  iactBanks: number;
  iactDepth: number;
  iactWidth: number;
  psumBanks: number;
  psumDepth: number;
  psumWidth: number;
  psumLanes: number;
  countWidth: number;
}

export function checkAddrGen(cfg: AddrPattern, depth: number, countWidth: number, what: string): void {
  for (const k of ['base', 'stride0', 'stride1'] as const) {
    if (!Number.isInteger(cfg[k]) || cfg[k] < 0 || cfg[k] >= depth) {
      throw new Error(`${what}: ${k}=${cfg[k]} must be in 0..${depth - 1} (strides are modulo the ${depth}-word bank; use ${depth} - s to step back by s)`);
    }
  }
  for (const k of ['count0', 'count1'] as const) {
    if (!Number.isInteger(cfg[k]) || cfg[k] < 0 || cfg[k] >= 2 ** countWidth) throw new Error(`${what}: ${k}=${cfg[k]} must be in 0..${2 ** countWidth - 1}`);
  }
}

/** The generator's address sequence. */
export function addresses(cfg: AddrPattern, depth: number): number[] {
  const out: number[] = [];
  for (let i1 = 0; i1 < cfg.count1; i1++) {
    for (let i0 = 0; i0 < cfg.count0; i0++) out.push((cfg.base + i1 * cfg.stride1 + i0 * cfg.stride0) % depth);
  }
  return out;
}

/** Lane-wise sum of two psum words, each lane wrapping at its width. */
export function addLanes(a: bigint, b: bigint, width: number, lanes: number): bigint {
  const lw = BigInt(width / lanes);
  const mask = (1n << lw) - 1n;
  let out = 0n;
  for (let l = 0n; l < BigInt(lanes); l++) out |= ((((a >> (l * lw)) & mask) + ((b >> (l * lw)) & mask)) & mask) << (l * lw);
  return out;
}

/** Throws unless a read stream and a write stream running together on one bank touch different words. */
export function checkDisjoint(depth: number, rd: AddrPattern, wr: AddrPattern, what: string): void {
  const w = new Set(addresses(wr, depth));
  const clash = addresses(rd, depth).find((a) => w.has(a));
  if (clash !== undefined) throw new Error(`${what}: concurrent read and write both touch word ${clash}; the SRAM would race, so sequence them`);
}

/** Bank counts and geometry; countWidth is the bits of each address generator loop count. */
export type GlbParams = GlbGeometry;

/** Bank geometry from an architecture: words as wide as the router port they serve [spec 3]. */
export function glbParamsFromArch(a: ArchConfig): GlbParams {
  const words = (bytes: number, bits: number, what: string) => {
    const n = (bytes * 8) / bits;
    if (!Number.isInteger(n)) throw new Error(`${what} bank of ${bytes} B is not a whole number of ${bits}-bit words; pick a size that is`);
    return n;
  };
  const iactDepth = words(a.glb.iactBankBytes, a.noc.iactPortBits, 'iact');
  const psumDepth = words(a.glb.psumBankBytes, a.noc.psumPortBits, 'psum');
  return {
    iactBanks: a.glb.iactBanks,
    iactDepth,
    iactWidth: a.noc.iactPortBits,
    psumBanks: a.glb.psumBanks,
    psumDepth,
    psumWidth: a.noc.psumPortBits,
    psumLanes: a.noc.psumPortBits / PSUM_BITS,
    countWidth: widthOf(Math.max(iactDepth, psumDepth)),
  };
}
