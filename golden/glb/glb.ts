/**
 * Golden model of a GLB cluster's contents and streams: banks as arrays of words (undefined
 * until written), the two-level address generator, write-through and lane-wise accumulation.
 * Streams are applied in order; concurrent streams on one bank must touch disjoint addresses
 * (the hardware leaves same-address read/write races to the controller), which
 * checkDisjoint() enforces for a test's plan.
 */

import { addLanes, addresses, checkAddrGen, type AddrPattern, type GlbGeometry } from '../../spec/glb.js';

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

  private addrs(kind: 'iact' | 'psum', cfg: AddrPattern, what: string): number[] {
    const depth = kind === 'iact' ? this.g.iactDepth : this.g.psumDepth;
    checkAddrGen(cfg, depth, this.g.countWidth, what);
    return addresses(cfg, depth);
  }

  /** Stores `data` at the generator's addresses, in order (a repeated address keeps the last word). */
  write(kind: 'iact' | 'psum', b: number, cfg: AddrPattern, data: readonly bigint[]): void {
    const a = this.addrs(kind, cfg, `${kind} bank ${b} write`);
    if (data.length !== a.length) throw new Error(`${kind} bank ${b} write: ${data.length} words for ${a.length} addresses`);
    const bank = this.bank(kind, b);
    a.forEach((addr, k) => (bank[addr] = data[k]));
  }

  /** Adds `data` lane-wise into the words at the generator's addresses, in order. */
  accumulate(b: number, cfg: AddrPattern, data: readonly bigint[]): void {
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
  read(kind: 'iact' | 'psum', b: number, cfg: AddrPattern): bigint[] {
    const bank = this.bank(kind, b);
    return this.addrs(kind, cfg, `${kind} bank ${b} read`).map((addr) => {
      const v = bank[addr];
      if (v === undefined) throw new Error(`${kind} bank ${b} read of word ${addr}, which was never written`);
      return v;
    });
  }

  /** Whether every address of a read (or accumulate) has been written. */
  written(kind: 'iact' | 'psum', b: number, cfg: AddrPattern): boolean {
    const bank = this.bank(kind, b);
    return this.addrs(kind, cfg, `${kind} bank ${b}`).every((a) => bank[a] !== undefined);
  }
}
