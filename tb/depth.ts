// Logic depth of a hierarchical netlist (yosys write_json) without flattening: flattening a whole
// cluster or the chip for yosys `ltp` takes too long on two cores, while each module here is
// analysed once into a timing model and reused for every instance.

/** The parts of yosys's `write_json` netlist the analysis reads. A bit is a net number or a constant ("0", "1", "x", "z"). */
export type Bit = number | string;

export interface NetlistModule {
  attributes?: Record<string, string>;
  ports: Record<string, { direction: 'input' | 'output' | 'inout'; bits: Bit[] }>;
  cells: Record<string, { type: string; connections: Record<string, Bit[]> }>;
}

export interface Netlist {
  modules: Record<string, NetlistModule>;
}

/** A module read as a black box (`blackbox SRAM_*`): a macro whose insides are not counted. */
const isBlackbox = (m: NetlistModule): boolean => m.attributes?.['blackbox'] !== undefined && /[1-9]/.test(m.attributes['blackbox']);

/**
 * Logic depth in gate levels of a mapped hierarchical netlist, without flattening it: each
 * module is analysed once into a timing model (its port-to-port paths and the paths between its
 * ports and its registers), and a parent sees each instance only through that model, so a path
 * that runs through several modules is counted whole, as a flattened analysis would.
 *
 * Every combinational cell is one level; flip-flops and macros (black boxes, the SRAMs, whose
 * read data leave a register) start and end paths.
 */

/** Pins of the cell types a mapped netlist may hold besides modules of its own. */
export interface CellLibrary {
  comb: ReadonlyMap<string, { inputs: readonly string[]; output: string }>;
  /** Flip-flop types: `data` pins end paths, `out` pins start them (clock pins are neither). */
  flops: ReadonlyMap<string, { data: readonly string[]; out: readonly string[] }>;
}

/** Longest paths of one module, gate levels; null where no such path exists. */
export interface PathDepths {
  /** From a register or macro to a register or macro. */
  regToReg: number | null;
  /** From an input port to a register or macro. */
  inToReg: number | null;
  /** From a register or macro to an output port. */
  regToOut: number | null;
  /** From an input port to an output port, through logic only. */
  inToOut: number | null;
}

/** A module as its parent sees it, per port bit (inputs and outputs in port order). */
interface Timing {
  inputs: { port: string; index: number }[];
  outputs: { port: string; index: number }[];
  /** Per input bit: levels to the deepest register it reaches (-Infinity: none). */
  setup: number[];
  /** Per output bit: levels from the deepest register behind it. */
  clkToOut: number[];
  /** [input bit, output bit, levels]. */
  arcs: [number, number, number][];
  regToReg: number;
}

const NONE = -Infinity;
const orNull = (x: number): number | null => (x === NONE ? null : x);

class Graph {
  readonly succ = new Map<number, [number, number][]>();
  /** Net -> arrival of a path starting there (register outputs). */
  readonly starts = new Map<number, number>();
  /** Net -> levels still to come when a path ends there (register inputs). */
  readonly ends = new Map<number, number>();
  readonly nodes = new Set<number>();
  /** The deepest register-to-register path inside the instances. */
  inner = NONE;

  edge(from: Bit, to: Bit, w: number): void {
    if (typeof from !== 'number' || typeof to !== 'number') return;
    this.nodes.add(from).add(to);
    const list = this.succ.get(from);
    if (list) list.push([to, w]);
    else this.succ.set(from, [[to, w]]);
  }

  start(net: Bit, arrival: number): void {
    if (typeof net !== 'number' || arrival === NONE) return;
    this.nodes.add(net);
    this.starts.set(net, Math.max(arrival, this.starts.get(net) ?? NONE));
  }

  end(net: Bit, extra: number): void {
    if (typeof net !== 'number' || extra === NONE) return;
    this.nodes.add(net);
    this.ends.set(net, Math.max(extra, this.ends.get(net) ?? NONE));
  }

  /** Kahn's order; a combinational loop is an error naming its module. */
  order(module: string): number[] {
    const indeg = new Map<number, number>();
    for (const n of this.nodes) indeg.set(n, 0);
    for (const list of this.succ.values()) for (const [to] of list) indeg.set(to, indeg.get(to)! + 1);
    const ready = [...this.nodes].filter((n) => indeg.get(n) === 0);
    const out: number[] = [];
    while (ready.length > 0) {
      const n = ready.pop()!;
      out.push(n);
      for (const [to] of this.succ.get(n) ?? []) {
        const d = indeg.get(to)! - 1;
        indeg.set(to, d);
        if (d === 0) ready.push(to);
      }
    }
    if (out.length !== this.nodes.size) {
      throw new Error(`logic depth: module ${module} has a combinational loop (${this.nodes.size - out.length} nets on or behind it)`);
    }
    return out;
  }
}

const portBits = (m: NetlistModule, dir: 'input' | 'output'): { port: string; index: number; bit: Bit }[] =>
  Object.entries(m.ports)
    .filter(([, p]) => p.direction === dir)
    .flatMap(([port, p]) => p.bits.map((bit, index) => ({ port, index, bit })));

export class DepthAnalysis {
  private readonly memo = new Map<string, Timing>();

  constructor(
    private readonly netlist: Netlist,
    private readonly lib: CellLibrary,
  ) {}

  /** The longest paths of `top`, every submodule included. */
  depths(top: string): PathDepths {
    const t = this.timing(top);
    const max = (xs: number[]): number => xs.reduce((a, b) => Math.max(a, b), NONE);
    return {
      regToReg: orNull(t.regToReg),
      inToReg: orNull(max(t.setup)),
      regToOut: orNull(max(t.clkToOut)),
      inToOut: orNull(max(t.arcs.map((a) => a[2]))),
    };
  }

  private timing(name: string): Timing {
    const done = this.memo.get(name);
    if (done) return done;
    const m = this.netlist.modules[name];
    if (!m) throw new Error(`logic depth: no module ${name} in the netlist`);
    const t = this.analyse(name, this.graphOf(name, m), m);
    this.memo.set(name, t);
    return t;
  }

  private graphOf(name: string, m: NetlistModule): Graph {
    const g = new Graph();
    for (const [cellName, cell] of Object.entries(m.cells)) {
      const pins = (p: string): Bit[] => cell.connections[p] ?? [];
      const comb = this.lib.comb.get(cell.type);
      const flop = this.lib.flops.get(cell.type);
      const sub = this.netlist.modules[cell.type];
      if (comb) {
        for (const y of pins(comb.output)) for (const p of comb.inputs) for (const a of pins(p)) g.edge(a, y, 1);
      } else if (flop) {
        for (const p of flop.data) for (const b of pins(p)) g.end(b, 0);
        for (const p of flop.out) for (const b of pins(p)) g.start(b, 0);
      } else if (sub && isBlackbox(sub)) {
        for (const [p, port] of Object.entries(sub.ports)) {
          for (const b of pins(p)) {
            if (port.direction === 'output') g.start(b, 0);
            else g.end(b, 0);
          }
        }
      } else if (sub) {
        const t = this.timing(cell.type);
        const inBit = t.inputs.map((i) => pins(i.port)[i.index]);
        const outBit = t.outputs.map((o) => pins(o.port)[o.index]);
        t.setup.forEach((s, i) => g.end(inBit[i]!, s));
        t.clkToOut.forEach((c, o) => g.start(outBit[o]!, c));
        for (const [i, o, d] of t.arcs) g.edge(inBit[i]!, outBit[o]!, d);
        g.inner = Math.max(g.inner, t.regToReg);
      } else {
        throw new Error(`logic depth: cell ${cellName} in ${name} has type ${cell.type}, neither a library cell nor a module (unmapped logic, or a latch?)`);
      }
    }
    return g;
  }

  private analyse(name: string, g: Graph, m: NetlistModule): Timing {
    const order = g.order(name);
    const ins = portBits(m, 'input');
    const outs = portBits(m, 'output');
    const arrival = new Map<number, number>();
    let regToReg = g.inner;
    for (const n of order) {
      const a = Math.max(arrival.get(n) ?? NONE, g.starts.get(n) ?? NONE);
      arrival.set(n, a);
      regToReg = Math.max(regToReg, a + (g.ends.get(n) ?? NONE));
      for (const [to, w] of g.succ.get(n) ?? []) arrival.set(to, Math.max(arrival.get(to) ?? NONE, a + w));
    }
    const required = new Map<number, number>();
    const outNets = new Set(outs.map((o) => o.bit).filter((b): b is number => typeof b === 'number'));
    const reachesOut = new Set<number>();
    for (let k = order.length - 1; k >= 0; k--) {
      const n = order[k]!;
      let r = g.ends.get(n) ?? NONE;
      let out = outNets.has(n);
      for (const [to, w] of g.succ.get(n) ?? []) {
        r = Math.max(r, (required.get(to) ?? NONE) + w);
        out ||= reachesOut.has(to);
      }
      required.set(n, r);
      if (out) reachesOut.add(n);
    }
    const net = (b: Bit): number | undefined => (typeof b === 'number' ? b : undefined);
    const rank = new Map(order.map((n, k) => [n, k]));
    const arcs: [number, number, number][] = [];
    ins.forEach((input, i) => {
      const from = net(input.bit);
      if (from === undefined || !reachesOut.has(from)) return;
      const dist = this.pathsFrom(from, g, reachesOut, rank);
      outs.forEach((o, j) => {
        const d = dist.get(net(o.bit) ?? NaN);
        if (d !== undefined) arcs.push([i, j, d]);
      });
    });
    return {
      inputs: ins.map(({ port, index }) => ({ port, index })),
      outputs: outs.map(({ port, index }) => ({ port, index })),
      setup: ins.map((i) => required.get(net(i.bit) ?? NaN) ?? NONE),
      clkToOut: outs.map((o) => arrival.get(net(o.bit) ?? NaN) ?? NONE),
      arcs,
      regToReg,
    };
  }

  /** Longest distances from one net to the nets between it and an output, in topological order. */
  private pathsFrom(from: number, g: Graph, reachesOut: Set<number>, rank: Map<number, number>): Map<number, number> {
    const seen = new Set([from]);
    const stack = [from];
    while (stack.length > 0) {
      for (const [to] of g.succ.get(stack.pop()!) ?? []) {
        if (reachesOut.has(to) && !seen.has(to)) {
          seen.add(to);
          stack.push(to);
        }
      }
    }
    const dist = new Map([[from, 0]]);
    for (const n of [...seen].sort((a, b) => rank.get(a)! - rank.get(b)!)) {
      const d = dist.get(n);
      if (d === undefined) continue;
      for (const [to, w] of g.succ.get(n) ?? []) if (seen.has(to)) dist.set(to, Math.max(dist.get(to) ?? NONE, d + w));
    }
    return dist;
  }
}

const GATES2 = ['AND', 'NAND', 'OR', 'NOR', 'XOR', 'XNOR', 'ANDNOT', 'ORNOT'];

/**
 * The cells of yosys's internal gate library after `synth` and `abc -g AND,NAND,OR,NOR,XOR,XNOR,MUX`:
 * two-input gates, NOT, BUF and MUX are one level each; every flip-flop type ($_DFF_P_, $_SDFFE_PP0P_,
 * ...) ends paths at its data, enable and reset pins and starts them at Q.
 */
export function yosysGateLibrary(netlist: Netlist): CellLibrary {
  const comb = new Map<string, { inputs: readonly string[]; output: string }>([
    ...GATES2.map((g) => [`$_${g}_`, { inputs: ['A', 'B'], output: 'Y' }] as const),
    ['$_NOT_', { inputs: ['A'], output: 'Y' }],
    ['$_BUF_', { inputs: ['A'], output: 'Y' }],
    ['$_MUX_', { inputs: ['A', 'B', 'S'], output: 'Y' }],
  ]);
  const flops = new Map<string, { data: readonly string[]; out: readonly string[] }>();
  for (const m of Object.values(netlist.modules)) {
    for (const cell of Object.values(m.cells)) {
      if (/^\$_(S|AL)?DFF/.test(cell.type) && !flops.has(cell.type)) {
        flops.set(cell.type, { data: Object.keys(cell.connections).filter((p) => p !== 'C' && p !== 'Q'), out: ['Q'] });
      }
    }
  }
  return { comb, flops };
}
