/**
 * Golden model of a GLB cluster's contents and streams: banks as arrays of words (undefined
 * until written), the two-level address generator, write-through and lane-wise accumulation.
 * Streams are applied in order; concurrent streams on one bank must touch disjoint addresses
 * (the hardware leaves same-address read/write races to the controller), which
 * checkDisjoint() enforces for a test's plan.
 */

export interface AddrGenConfig {
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

export function checkAddrGen(cfg: AddrGenConfig, depth: number, countWidth: number, what: string): void {
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
export function addresses(cfg: AddrGenConfig, depth: number): number[] {
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

export class GlbModel {
  readonly iact: (bigint | undefined)[][];
  readonly psum: (bigint | undefined)[][];

  constructor(readonly g: GlbGeometry) {
    this.iact = Array.from({ length: g.iactBanks }, () => new Array<bigint | undefined>(g.iactDepth).fill(undefined));
    this.psum = Array.from({ length: g.psumBanks }, () => new Array<bigint | undefined>(g.psumDepth).fill(undefined));
  }

  private bank(kind: 'iact' | 'psum', b: number): (bigint | undefined)[] {
    const bank = this[kind][b];
    if (!bank) throw new Error(`GLB has no ${kind} bank ${b} (it has ${this[kind].length})`);
    return bank;
  }

  private addrs(kind: 'iact' | 'psum', cfg: AddrGenConfig, what: string): number[] {
    const depth = kind === 'iact' ? this.g.iactDepth : this.g.psumDepth;
    checkAddrGen(cfg, depth, this.g.countWidth, what);
    return addresses(cfg, depth);
  }

  /** Stores `data` at the generator's addresses, in order (a repeated address keeps the last word). */
  write(kind: 'iact' | 'psum', b: number, cfg: AddrGenConfig, data: readonly bigint[]): void {
    const a = this.addrs(kind, cfg, `${kind} bank ${b} write`);
    if (data.length !== a.length) throw new Error(`${kind} bank ${b} write: ${data.length} words for ${a.length} addresses`);
    const bank = this.bank(kind, b);
    a.forEach((addr, k) => (bank[addr] = data[k]));
  }

  /** Adds `data` lane-wise into the words at the generator's addresses, in order. */
  accumulate(b: number, cfg: AddrGenConfig, data: readonly bigint[]): void {
    const a = this.addrs('psum', cfg, `psum bank ${b} accumulate`);
    if (data.length !== a.length) throw new Error(`psum bank ${b} accumulate: ${data.length} words for ${a.length} addresses`);
    const bank = this.bank('psum', b);
    a.forEach((addr, k) => {
      const old = bank[addr];
      if (old === undefined) throw new Error(`psum bank ${b} accumulate into word ${addr}, which was never written; write it through first`);
      bank[addr] = addLanes(old, data[k]!, this.g.psumWidth, this.g.psumLanes);
    });
  }

  /** The words a read stream delivers. */
  read(kind: 'iact' | 'psum', b: number, cfg: AddrGenConfig): bigint[] {
    const bank = this.bank(kind, b);
    return this.addrs(kind, cfg, `${kind} bank ${b} read`).map((addr) => {
      const v = bank[addr];
      if (v === undefined) throw new Error(`${kind} bank ${b} read of word ${addr}, which was never written`);
      return v;
    });
  }

  /** Whether every address of a read (or accumulate) has been written. */
  written(kind: 'iact' | 'psum', b: number, cfg: AddrGenConfig): boolean {
    const bank = this.bank(kind, b);
    return this.addrs(kind, cfg, `${kind} bank ${b}`).every((a) => bank[a] !== undefined);
  }
}

/** Throws unless a read stream and a write stream running together on one bank touch different words. */
export function checkDisjoint(depth: number, rd: AddrGenConfig, wr: AddrGenConfig, what: string): void {
  const w = new Set(addresses(wr, depth));
  const clash = addresses(rd, depth).find((a) => w.has(a));
  if (clash !== undefined) throw new Error(`${what}: concurrent read and write both touch word ${clash}; the SRAM would race, so sequence them`);
}
