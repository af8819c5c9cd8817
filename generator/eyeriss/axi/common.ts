// What the AXI DMA engines share: the master's channel ports under vendor names, and the
// round-robin pick over per-stream requests.
import { Bool, Bundle, Decoupled, UInt, lit, log2Ceil, mux, type Expr, type ModuleBuilder, type Signal } from '../../dsl/index.js';
import { AXI_ADDR_BITS, AXI_BURST_BITS, AXI_LEN_BITS, AXI_RESP_BITS, AXI_SIZE_BITS, DMA_ERR_UNALIGNED } from '../../../spec/axi.js';

/** An interface's signals by name without prefix: direction and width (`data`, `strobe`: the data bus's). */
export type Channel = Record<string, readonly ['in' | 'out', number | 'data' | 'strobe']>;

const READ_CHANNELS = {
  arvalid: ['out', 1],
  arready: ['in', 1],
  araddr: ['out', AXI_ADDR_BITS],
  arlen: ['out', AXI_LEN_BITS],
  arsize: ['out', AXI_SIZE_BITS],
  arburst: ['out', AXI_BURST_BITS],
  arid: ['out', 1],
  rvalid: ['in', 1],
  rready: ['out', 1],
  rdata: ['in', 'data'],
  rresp: ['in', AXI_RESP_BITS],
  rlast: ['in', 1],
  rid: ['in', 1],
} as const satisfies Channel;

const WRITE_CHANNELS = {
  awvalid: ['out', 1],
  awready: ['in', 1],
  awaddr: ['out', AXI_ADDR_BITS],
  awlen: ['out', AXI_LEN_BITS],
  awsize: ['out', AXI_SIZE_BITS],
  awburst: ['out', AXI_BURST_BITS],
  awid: ['out', 1],
  wvalid: ['out', 1],
  wready: ['in', 1],
  wdata: ['out', 'data'],
  wstrb: ['out', 'strobe'],
  wlast: ['out', 1],
  bvalid: ['in', 1],
  bready: ['out', 1],
  bresp: ['in', AXI_RESP_BITS],
  bid: ['in', 1],
} as const satisfies Channel;

type Ports<C, P extends string> = { [K in keyof C & string as `${P}_${K}`]: Signal };

/** The ports of an interface: `<prefix>_<signal>` for each signal of `channels`, 1-bit ones as Bool. */
export function channelPorts<C extends Channel, P extends string>(m: ModuleBuilder, channels: C, dataBits: number, prefix: P): Ports<C, P> {
  const width = (w: number | 'data' | 'strobe'): number => (w === 'data' ? dataBits : w === 'strobe' ? dataBits / 8 : w);
  return Object.fromEntries(
    Object.entries(channels).map(([k, [dir, w]]) => {
      const name = `${prefix}_${k}`;
      return [name, dir === 'in' ? m.input(name, w === 1 ? Bool() : UInt(width(w))) : m.output(name, w === 1 ? Bool() : UInt(width(w)))];
    }),
  ) as Ports<C, P>;
}

/** The AXI4 read-address and read-data channels of a master (`<prefix>_ar*`, `<prefix>_r*`). */
export const axiReadMaster = <P extends string = 'm_axi'>(m: ModuleBuilder, dataBits: number, prefix: P = 'm_axi' as P) =>
  channelPorts(m, READ_CHANNELS, dataBits, prefix);

/** The AXI4 write-address, write-data and write-response channels of a master (`<prefix>_aw*`, `<prefix>_w*`, `<prefix>_b*`). */
export const axiWriteMaster = <P extends string = 'm_axi'>(m: ModuleBuilder, dataBits: number, prefix: P = 'm_axi' as P) =>
  channelPorts(m, WRITE_CHANNELS, dataBits, prefix);

/** Which AXI4 master signals are inputs (the slave drives them), by name without prefix. */
export const axiMasterInput = (suffix: string): boolean => ((READ_CHANNELS as Channel)[suffix] ?? (WRITE_CHANNELS as Channel)[suffix])?.[0] === 'in';

/** The channel signals without their `m_axi_` prefix. */
export type AxiShort<T> = { [K in keyof T as K extends `m_axi_${infer R}` ? R : never]: T[K] };

export const shortNames = <T extends object>(ports: T): AxiShort<T> =>
  Object.fromEntries(Object.entries(ports).map(([k, v]) => [k.slice('m_axi_'.length), v])) as AxiShort<T>;

/** One-hot of the first set bit of `bits` (index 0 first); all zero when none is set. */
function firstSet(m: ModuleBuilder, name: string, bits: Expr[]): Expr[] {
  let before: Expr = lit(0, 1);
  return bits.map((b, i) => {
    const pick = m.node(`${name}_${i}`, b.and(before.not()));
    before = before.or(b);
    return pick;
  });
}

/** OR of `values[i]` where `onehot[i]`: a mux by a one-hot select. */
export const selectBy = (onehot: Expr[], values: Expr[], width: number): Expr =>
  onehot.map((h, i) => mux(h, values[i]!.zext(width), lit(0, width))).reduce((a, b) => a.or(b));

/**
 * Round robin over `requests`: the first request at or after the register `rr`, else the first
 * one. Returns the one-hot pick, whether any request is up, the picked index, and `advance`,
 * which moves `rr` past the pick when its condition holds.
 */
export function roundRobin(m: ModuleBuilder, name: string, requests: Expr[]) {
  const n = requests.length;
  const w = Math.max(1, log2Ceil(n));
  const rr = m.reg(`${name}_rr`, UInt(w), { init: 0 });
  // rr <= the largest value rr can hold is always true (and a constant compare to Verilator).
  const atOrAfter = requests.map((e, s) => (s === 2 ** w - 1 ? e : e.and(rr.le(s))));
  const high = firstSet(m, `${name}_hi`, atOrAfter);
  const first = firstSet(m, `${name}_any`, requests);
  const anyHigh = m.node(
    `${name}_any_hi`,
    atOrAfter.reduce<Expr>((a, b) => a.or(b), lit(0, 1)),
  );
  const any = m.node(
    `${name}_any`,
    requests.reduce<Expr>((a, b) => a.or(b), lit(0, 1)),
  );
  const pick = high.map((h, s) => m.node(`${name}_pick_${s}`, mux(anyHigh, h, first[s]!)));
  const index = m.node(
    `${name}_idx`,
    selectBy(
      pick,
      pick.map((_, s) => lit(s, w)),
      w,
    ),
  );
  const advance = (when: Expr): void => {
    m.when(when, () => rr.set(mux(index.eq(n - 1), lit(0, w), index.addWrap(1)).trunc(w)));
  };
  return { pick, any, index, advance };
}

/**
 * What both DMAs share around their channels: the `load` port (a stream, its base address, its
 * word count, and with `tagged` a 1-bit tag its words carry), `idle`, and the sticky
 * `error_code`. A load waits (ready low) until its stream is `free` to take another (`setFree`);
 * one naming no stream is taken and dropped; one whose address is not burst-aligned is taken,
 * dropped, and raises DMA_ERR_UNALIGNED. `raise` adds an error source; `finish` drives the error
 * register and `idle` once the engine has built its idle condition.
 */
export function dmaFrame(m: ModuleBuilder, streams: number, countBits: number, burstBytes: number, tagged = false) {
  const sw = Math.max(1, log2Ceil(streams));
  const fields = { stream: UInt(sw), addr: UInt(AXI_ADDR_BITS), words: UInt(countBits), ...(tagged ? { tag: UInt(1) } : {}) };
  const load = m.input('load', Decoupled(Bundle(fields)));
  const idle = m.output('idle', Bool());
  const errorCode = m.output('error_code', UInt(3));
  const aligned = load.bits.addr.bits(log2Ceil(burstBytes) - 1, 0).eq(0);
  const loadTake = m.node('load_take', load.valid.and(load.ready));
  const loadOk = m.node('load_ok', loadTake.and(aligned));
  const errors = m.reg('errors', UInt(3), { init: 0 });
  const raised: Expr[] = [];
  const raise = (cond: Expr, bit: number): void => void raised.push(mux(cond, lit(bit, 3), lit(0, 3)));
  raise(loadTake.and(aligned.not()), DMA_ERR_UNALIGNED);
  const setFree = (free: Expr[]): void => {
    const named = free.map((f, s) => load.bits.stream.eq(s).and(f));
    const inRange = streams === 2 ** sw ? lit(1, 1) : load.bits.stream.lt(streams);
    load.ready.set(named.reduce((a, b) => a.or(b)).or(inRange.not()));
  };
  const finish = (idleWhen: Expr): void => {
    errors.set(raised.reduce((a, b) => a.or(b), errors));
    errorCode.set(errors);
    idle.set(idleWhen);
  };
  return { sw, load, loadOk, raise, setFree, finish, io: { load, idle, error_code: errorCode } };
}
