/**
 * The test author's view of a Verilated design:
 *
 *   const sim = await Simulator.start(design);          // builds once, then reuses the cached binary
 *   await sim.reset();
 *   sim.poke('in', 5);                                  // queued, sent with the next request
 *   await sim.step(10);
 *   expect(await sim.peek('out')).toBe(8n);
 *   const res = await sim.runStreams({ sources: [{ port: 'enq', data, validProbability: 0.7 }],
 *                                      sinks: [{ port: 'deq', count: data.length, readyProbability: 0.5 }] });
 *   await sim.close();
 *
 * Values are raw bits: peeks return unsigned bigints, pokes accept non-negative values that fit
 * the port or negative ones that fit it as two's complement.
 */
import { mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { resolveDesign, type DesignSources, type PortInfo, type ResolvedDesign } from './design.js';
import { wavesDir } from './paths.js';
import { SimProcess } from './process.js';
import { seedFromEnv } from './seed.js';
import { buildSimulator, type BuildResult } from './verilator.js';
import { buildIcarusSimulator } from './icarus.js';
import { buildSimIo, bundleName, type DecoupledPort, type PortDecl, type SimIo, type TypedSources, type Value } from './io.js';

export type { Value } from './io.js';

/** WAVES=1 (or true, yes) asks every simulator for an FST waveform. */
export const wavesRequested = (env: NodeJS.ProcessEnv = process.env): boolean => ['1', 'true', 'yes'].includes((env.WAVES ?? '').toLowerCase());

export interface SimulatorOptions {
  /** Names the waveform file; defaults to the top module. */
  name?: string;
  /** true writes waves/<name>-seed<seed>.fst, a string is the FST path; defaults to on when WAVES=1. */
  waves?: boolean | string;
  /** Names the waveform file and seeds stream runs that give no seed; defaults to seedFromEnv(). */
  seed?: number;
  /** Deadline for each request to the simulator before the watchdog kills it; default 60 s. */
  timeoutMs?: number;
  /** Verilator executable to use instead of searching PATH. */
  verilator?: string;
  /** Environment for finding and running Verilator; defaults to process.env. */
  env?: NodeJS.ProcessEnv;
  cacheDir?: string;
  /** Build options passed to buildSimulator: hierarchical blocks (default on), model threads, compile jobs, build log. */
  hierarchical?: boolean;
  threads?: number;
  jobs?: number;
  log?: (line: string) => void;
  /** Which simulator runs the design: Verilator (default) or Icarus Verilog, behind the same protocol. */
  simulator?: 'verilator' | 'icarus';
  /**
   * Verilator only: build with unique X values and start every register from values drawn with
   * this seed, so a design that depends on initial values or X behaves differently per seed.
   */
  randomInit?: number;
}

export interface StreamSource {
  /** Bundle (name or sim.io handle): drives `<port>_valid` and `<port>_bits` or `<port>_bits_<field>`, honours `<port>_ready`. */
  port: string | DecoupledPort;
  /** One payload per element: a value when the bundle has one bits port, else one value per field in port order. */
  data: Value[] | Value[][];
  /** Chance per cycle that an idle source offers its next payload; default 1. */
  validProbability?: number;
}

export interface StreamSink {
  /** Bundle (name or sim.io handle): drives `<port>_ready`, records `<port>_bits*` on each accepted `<port>_valid`. */
  port: string | DecoupledPort;
  /** Payloads to accept; the sink stops being ready once it has them. */
  count: number;
  /** Chance per cycle that the sink is ready; default 1. */
  readyProbability?: number;
}

/**
 * A DRAM on the design's AXI4 channels (`<prefix>_ar*`/`_r*` and, when the design has them,
 * `<prefix>_aw*`/`_w*`/`_b*`; tb/driver/axi.cpp): a memory image at `base`, answered in order
 * after `latency` cycles plus random delays, under a bandwidth limit shared by reads and writes
 * and random backpressure; a master that breaks the protocol ends the run with AxiProtocolError.
 */
export interface AxiSlaveMemory {
  /** Port prefix, e.g. `m_axi`. */
  prefix: string;
  /** The memory: 32-bit little-endian words from `base`; an access outside it gets SLVERR (reads: zero data). Not sent with `share`. */
  memory: Uint32Array;
  /**
   * Index (in StreamOptions.axi) of an earlier slave whose memory and bandwidth limit this one
   * uses: one DRAM behind several ports of a master (`bytesPerCycle` is then the DRAM's, for all
   * of them together).
   */
  share?: number;
  base?: number;
  /** Cycles from a request's acceptance (a write's last beat) to its first beat (its response) at the earliest; default 1. */
  latency?: number;
  /** Up to `jitterCycles` more cycles per burst, each with probability `jitterProbability`; default none. */
  jitterCycles?: number;
  jitterProbability?: number;
  /** Chance per cycle that arready / awready is high; default 1. */
  arreadyProbability?: number;
  /** Chance per cycle that a due read beat is offered / a write beat is taken; default 1. */
  rvalidProbability?: number;
  /** Bytes the memory moves per cycle at most, reads and writes together (a token bucket); 0, the default, is unlimited. */
  bytesPerCycle?: number;
  /** Word ranges returned after the run (AxiSlaveStats.readback), e.g. where a DMA wrote. */
  readback?: { addr: number; words: number }[];
}

/** The AXI channels a slave drives and samples, in the order of tb/driver/axi.h's AxiReadPort and AxiWritePort. */
export const AXI_READ_PORT_NAMES = [
  'arvalid',
  'arready',
  'araddr',
  'arlen',
  'arsize',
  'arburst',
  'arid',
  'rvalid',
  'rready',
  'rdata',
  'rresp',
  'rlast',
  'rid',
] as const;
export const AXI_WRITE_PORT_NAMES = [
  'awvalid',
  'awready',
  'awaddr',
  'awlen',
  'awsize',
  'awburst',
  'awid',
  'wvalid',
  'wready',
  'wdata',
  'wstrb',
  'wlast',
  'bvalid',
  'bready',
  'bresp',
  'bid',
] as const;
const AXI_SLAVE_DRIVES = new Set(['arready', 'rvalid', 'rdata', 'rresp', 'rlast', 'rid', 'awready', 'wready', 'bvalid', 'bresp', 'bid']);

export interface AxiSlaveStats {
  readBursts: number;
  readBeats: number;
  /** Read bursts accepted and not fully answered when the run ended. */
  readOpen: number;
  writeBursts: number;
  writeBeats: number;
  /** Write bursts accepted whose data or response was still due when the run ended. */
  writeOpen: number;
  /** The memory's words in each readback range, after the run. */
  readback: Uint32Array[];
}

/** The master broke an AXI rule; the message names the channel, the cycle and the rule. */
export class AxiProtocolError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AxiProtocolError';
  }
}

export interface StreamOptions {
  sources?: StreamSource[];
  sinks?: StreamSink[];
  /** AXI slave memories on the design's AXI master ports. */
  axi?: AxiSlaveMemory[];
  /** A 1-bit output that must also read 1 before the run is finished (e.g. a `done`). */
  until?: string;
  /** Cycle budget before the run is declared deadlocked; default 100000. */
  maxCycles?: number;
  /** Seed of the driver's valid/ready draws; defaults to the simulator's seed. */
  seed?: number;
}

export interface ReceivedStream {
  /** Payload port names, the column order of rows. */
  fields: string[];
  rows: bigint[][];
  /** First payload field of each row: the whole payload when the bundle has a single bits port. */
  values: bigint[];
  /** Cycle (the simulator's cycle counter) in which each payload was accepted. */
  cycles: number[];
}

export interface StreamResult {
  /** Keyed by sink port. */
  received: Record<string, ReceivedStream>;
  /** Payloads each source handed over, keyed by source port: less than its data when sinks finished first. */
  sent: Record<string, number>;
  /** Cycles the run took. */
  cycles: number;
  /** Per AXI slave, in StreamOptions.axi order. */
  axi: AxiSlaveStats[];
}

export interface StuckEndpoint {
  port: string;
  role: 'source' | 'sink';
  done: number;
  expected: number;
  valid: boolean;
  ready: boolean;
}

/** A stream run that used its whole cycle budget with sinks still waiting (or, without sinks, sources still full). */
export class StreamDeadlockError extends Error {
  constructor(
    message: string,
    readonly result: StreamResult,
    readonly endpoints: StuckEndpoint[],
  ) {
    super(message);
    this.name = 'StreamDeadlockError';
  }
}

interface Bundle {
  port: string;
  valid: PortInfo & { index: number };
  ready: PortInfo & { index: number };
  fields: (PortInfo & { index: number })[];
}

function hexOf(v: bigint): string {
  return v.toString(16);
}

function threshold(p: number, what: string): number {
  if (typeof p !== 'number' || !(p >= 0 && p <= 1)) throw new Error(`${what} must be a probability in [0, 1], got ${p}`);
  return Math.round(p * 2 ** 32);
}

/** Collects protocol lines; shared by Simulator's own calls and the user's batches. */
class Commands {
  lines: string[] = [];
  peeks = 0;
  constructor(private readonly sim: Simulator) {}

  poke(port: string, value: Value): void {
    const p = this.sim.inputPort(port);
    this.lines.push(`p ${p.index} ${hexOf(encodeValue(p, value))}`);
  }
  peek(port: string): number {
    this.lines.push(`g ${this.sim.port(port).index}`);
    return this.peeks++;
  }
  step(cycles: number): void {
    if (!Number.isSafeInteger(cycles) || cycles < 0) throw new Error(`step(${cycles}): cycles must be a non-negative integer`);
    if (cycles > 0) this.lines.push(`s ${cycles}`);
  }
  reset(cycles: number): void {
    const reset = this.sim.design.reset;
    if (!reset) {
      throw new Error(`design '${this.sim.design.top}' has no reset port; name it in DesignSources.reset if it is not called 'reset'`);
    }
    if (!Number.isSafeInteger(cycles) || cycles < 1) throw new Error(`reset(${cycles}): cycles must be an integer >= 1`);
    this.lines.push(`p ${this.sim.port(reset).index} 1`, `s ${cycles}`, `p ${this.sim.port(reset).index} 0`);
  }
}

/** Raw bits for a port; negative values are taken as two's complement of the port's width. */
function encodeValue(p: PortInfo, value: Value): bigint {
  if (typeof value === 'number' && !Number.isSafeInteger(value)) {
    throw new Error(`value ${value} for port '${p.name}' is not a safe integer; pass a bigint`);
  }
  if (typeof value !== 'number' && typeof value !== 'bigint') {
    throw new Error(`value for port '${p.name}' must be a number or bigint, got ${typeof value}`);
  }
  const v = BigInt(value);
  const w = BigInt(p.width);
  if (v >= 0n) {
    if (v >> w !== 0n) throw new Error(`value ${v} is wider than the ${p.width}-bit port '${p.name}' (max ${(1n << w) - 1n})`);
    return v;
  }
  if (v < -(1n << (w - 1n))) {
    throw new Error(`value ${v} does not fit the ${p.width}-bit port '${p.name}' as two's complement (min ${-(1n << (w - 1n))})`);
  }
  return (1n << w) + v;
}

/** A group of operations sent to the simulator in one round trip. */
export class Batch {
  constructor(private readonly cmds: Commands) {}
  poke(port: string, value: Value): this {
    this.cmds.poke(port, value);
    return this;
  }
  /** Returns the position of this peek's value in the array the batch resolves with. */
  peek(port: string): number {
    return this.cmds.peek(port);
  }
  step(cycles = 1): this {
    this.cmds.step(cycles);
    return this;
  }
  reset(cycles = 1): this {
    this.cmds.reset(cycles);
    return this;
  }
}

/** Throws unless the simulator and its randomInit seed go together; the CLI checks with it before any work. */
export function checkSimulatorChoice(opts: Pick<SimulatorOptions, 'simulator' | 'randomInit'>): void {
  if (opts.randomInit === undefined) return;
  if (opts.simulator === 'icarus') throw new Error('randomInit is a Verilator option: Icarus starts every register at X already');
  if (!(Number.isSafeInteger(opts.randomInit) && opts.randomInit > 0 && opts.randomInit < 2 ** 31)) {
    throw new Error(`randomInit must be a whole number from 1 to 2147483647 (Verilator's +verilator+seed+), got ${opts.randomInit}`);
  }
}

function buildFor(design: ResolvedDesign, opts: SimulatorOptions, waves: boolean): Promise<BuildResult> {
  checkSimulatorChoice(opts);
  if (opts.simulator === 'icarus') return buildIcarusSimulator(design, { env: opts.env, cacheDir: opts.cacheDir, log: opts.log });
  return buildSimulator(design, {
    verilator: opts.verilator,
    env: opts.env,
    waves,
    cacheDir: opts.cacheDir,
    hierarchical: opts.hierarchical,
    threads: opts.threads,
    jobs: opts.jobs,
    log: opts.log,
    xUnique: opts.randomInit !== undefined,
  });
}

/** A simulator; `io` is typed when it was started on TypedSources (emitForSim), else empty. */
export class Simulator<IO = unknown> {
  private pendingPokes: string[] = [];
  private cycles = 0;

  private constructor(
    readonly design: ResolvedDesign,
    readonly name: string,
    readonly seed: number,
    /** Absolute path of the FST being written, when waves are on. */
    readonly wavesPath: string | undefined,
    readonly build: BuildResult,
    private readonly proc: SimProcess,
    io: readonly PortDecl[],
  ) {
    this.io = buildSimIo<IO>(io, this);
  }

  /** Typed handles of the top's ports, shaped like the DSL module's IO. */
  readonly io: SimIo<IO>;

  /** Builds (or reuses the cached build of) the design and starts its simulator. */
  static async start<IO>(sources: TypedSources<IO>, opts?: SimulatorOptions): Promise<Simulator<IO>>;
  static async start(sources: DesignSources, opts?: SimulatorOptions): Promise<Simulator>;
  static async start(sources: DesignSources & Partial<TypedSources<unknown>>, opts: SimulatorOptions = {}): Promise<Simulator<unknown>> {
    const design = resolveDesign(sources);
    const name = opts.name ?? design.top;
    const seed = opts.seed ?? seedFromEnv(opts.env ?? process.env);
    const env = opts.env ?? process.env;
    const wavesOpt = opts.waves ?? wavesRequested(env);
    const wavesPath =
      typeof wavesOpt === 'string' ? resolve(wavesOpt) : wavesOpt ? join(wavesDir, `${name.replace(/[^A-Za-z0-9_.-]/g, '_')}-seed${seed}.fst`) : undefined;
    const build = await buildFor(design, opts, wavesPath !== undefined);
    const args: string[] = opts.randomInit === undefined ? [] : [`+verilator+seed+${opts.randomInit}`, '+verilator+rand+reset+2'];
    if (wavesPath) {
      mkdirSync(dirname(wavesPath), { recursive: true });
      args.push(`--waves=${wavesPath}`);
      console.log(`[tb] ${name}: writing waveform to ${wavesPath}`);
    }
    const proc = new SimProcess(name, build.binary, args, opts.timeoutMs ?? 60_000);
    const sim = new Simulator<unknown>(design, name, seed, wavesPath, build, proc, sources.io ?? []);
    // The first round trip proves the binary starts and speaks the protocol.
    await sim.send([]);
    return sim;
  }

  /** Cycles stepped since start. */
  get cycle(): number {
    return this.cycles;
  }

  /**
   * Last lines the design printed ($display) or Verilator reported, as far as they have arrived:
   * they travel on stderr, apart from replies, so they are complete only once the simulator ended.
   */
  get output(): string {
    return this.proc.stderr;
  }

  port(name: string): PortInfo & { index: number } {
    const p = this.design.byName.get(name);
    if (!p) {
      const names = this.design.ports.map((q) => q.name);
      const shown = names.length > 30 ? `${names.slice(0, 30).join(', ')}, ...` : names.join(', ');
      throw new Error(`design '${this.design.top}' has no port '${name}'; its ports are: ${shown}`);
    }
    return p;
  }

  inputPort(name: string): PortInfo & { index: number } {
    const p = this.port(name);
    if (p.direction !== 'input') throw new Error(`port '${name}' of '${this.design.top}' is an output; only inputs can be poked`);
    if (name === this.design.clock) throw new Error(`the harness drives the clock '${name}'; use step() instead of poking it`);
    return p;
  }

  /** Sets an input; it takes effect with the next peek, step or batch (sent with it, no round trip of its own). */
  poke(port: string, value: Value): void {
    const c = new Commands(this);
    c.poke(port, value);
    this.pendingPokes.push(...c.lines);
  }

  /** Reads a port after evaluating combinational logic, so it reflects pokes made since the last step. */
  async peek(port: string): Promise<bigint> {
    const [v] = await this.batch((b) => {
      b.peek(port);
    });
    return v as bigint;
  }

  async step(cycles = 1): Promise<void> {
    await this.batch((b) => {
      b.step(cycles);
    });
  }

  /** Holds reset high for the given cycles, then releases it. */
  async reset(cycles = 1): Promise<void> {
    await this.batch((b) => {
      b.reset(cycles);
    });
  }

  /** Runs many pokes, steps and peeks in one round trip; resolves with the peeked values in order. */
  async batch(fill: (b: Batch) => void): Promise<bigint[]> {
    const cmds = new Commands(this);
    fill(new Batch(cmds));
    const reply = await this.send(cmds.lines);
    const values = reply.filter((l) => l.startsWith('v ')).map((l) => BigInt(`0x${l.slice(2)}`));
    if (values.length !== cmds.peeks) throw new Error(`simulator '${this.name}' answered ${values.length} peeks, expected ${cmds.peeks}`);
    return values;
  }

  private async send(lines: string[]): Promise<string[]> {
    const all = [...this.pendingPokes, ...lines];
    this.pendingPokes = [];
    const reply = await this.proc.request(all.length ? `${all.join('\n')}\n` : '');
    const last = reply[reply.length - 1] ?? '';
    this.cycles = Number(last.slice(2));
    return reply;
  }

  /** The spec line and memory rows of one AXI slave (tb/driver/driver.cpp, `S`). */
  private axiSlaveLines(a: AxiSlaveMemory, lines: string[]): void {
    const channel = (names: readonly string[]): number[] | null => {
      if (!this.design.byName.has(`${a.prefix}_${names[0]}`)) return null;
      return names.map((n) => {
        const name = `${a.prefix}_${n}`;
        const p = this.design.byName.get(name);
        if (!p) throw new Error(`AXI slave '${a.prefix}': design '${this.design.top}' has no port '${name}'`);
        const want = AXI_SLAVE_DRIVES.has(n) ? 'input' : 'output';
        if (p.direction !== want) throw new Error(`AXI slave '${a.prefix}': port '${name}' must be an ${want} of the design`);
        if ((n === 'rdata' || n === 'wdata') && (p.width % 32 !== 0 || p.width > 1024))
          throw new Error(`AXI slave '${a.prefix}': ${n} is ${p.width} bits; the model takes 32..1024, a multiple of 32`);
        return p.index;
      });
    };
    const read = channel(AXI_READ_PORT_NAMES);
    const write = channel(AXI_WRITE_PORT_NAMES);
    if (read === null && write === null)
      throw new Error(`AXI slave '${a.prefix}': design '${this.design.top}' has no ${a.prefix}_arvalid or ${a.prefix}_awvalid`);
    const count = (v: number | undefined, fallback: number, what: string): number => {
      const x = v ?? fallback;
      if (!Number.isSafeInteger(x) || x < 0) throw new Error(`AXI slave '${a.prefix}': ${what} must be a non-negative integer, got ${x}`);
      return x;
    };
    const readback = a.readback ?? [];
    const own = a.share === undefined ? a.memory : new Uint32Array(0);
    lines.push(
      [
        read === null ? 0 : 1,
        ...(read ?? []),
        write === null ? 0 : 1,
        ...(write ?? []),
        count(a.latency, 1, 'latency'),
        threshold(a.jitterProbability ?? 0, `jitterProbability of AXI slave '${a.prefix}'`),
        count(a.jitterCycles, 0, 'jitterCycles'),
        threshold(a.arreadyProbability ?? 1, `arreadyProbability of AXI slave '${a.prefix}'`),
        threshold(a.rvalidProbability ?? 1, `rvalidProbability of AXI slave '${a.prefix}'`),
        count(a.bytesPerCycle, 0, 'bytesPerCycle'),
        count(a.base, 0, 'base'),
        a.share === undefined ? 0 : count(a.share, 0, 'share') + 1,
        readback.length,
        ...readback.flatMap((r) => [count(r.addr, 0, 'readback addr'), count(r.words, 0, 'readback words')]),
        own.length,
      ].join(' '),
    );
    for (let i = 0; i < own.length; i += 1024) lines.push(Array.from(own.subarray(i, i + 1024), (w) => w.toString(16)).join(' '));
  }

  private bundle(endpoint: string | DecoupledPort, role: 'source' | 'sink'): Bundle {
    const port = bundleName(endpoint);
    const drive = role === 'source' ? 'input' : 'output';
    const need = (name: string, direction: 'input' | 'output'): PortInfo & { index: number } => {
      const p = this.design.byName.get(name);
      if (!p) throw new Error(`stream ${role} '${port}': design '${this.design.top}' has no port '${name}'`);
      if (p.direction !== direction || p.width !== 1) {
        throw new Error(`stream ${role} '${port}': port '${name}' must be a 1-bit ${direction}, found a ${p.width}-bit ${p.direction}`);
      }
      return p;
    };
    const valid = need(`${port}_valid`, drive);
    const ready = need(`${port}_ready`, drive === 'input' ? 'output' : 'input');
    const fields = this.design.ports.filter((p) => p.name === `${port}_bits` || p.name.startsWith(`${port}_bits_`)).map((p) => this.port(p.name));
    for (const f of fields) {
      if (f.direction !== drive) throw new Error(`stream ${role} '${port}': payload port '${f.name}' must be an ${drive}`);
    }
    return { port, valid, ready, fields };
  }

  /**
   * Runs ready/valid traffic entirely inside the simulator: sources offer their rows with
   * random valid, sinks take payloads with random ready, until every sink has its count
   * (or, with no sinks, every source is drained). Throws StreamDeadlockError if maxCycles
   * runs out first.
   */
  async runStreams(opts: StreamOptions): Promise<StreamResult> {
    const sources = opts.sources ?? [];
    const sinks = opts.sinks ?? [];
    const maxCycles = opts.maxCycles ?? 100_000;
    const seed = opts.seed ?? this.seed;
    if (!Number.isSafeInteger(maxCycles) || maxCycles < 0) throw new Error(`maxCycles must be a non-negative integer, got ${maxCycles}`);
    if (!Number.isSafeInteger(seed) || seed < 0) throw new Error(`stream seed must be a non-negative integer, got ${seed}`);
    const slaves = opts.axi ?? [];
    const until = opts.until === undefined ? -1 : this.port(opts.until);
    if (typeof until !== 'number' && (until.direction !== 'output' || until.width !== 1))
      throw new Error(`until: '${opts.until}' must be a 1-bit output of '${this.design.top}'`);
    const lines = [`S ${seed} ${maxCycles} ${sources.length} ${sinks.length} ${slaves.length} ${typeof until === 'number' ? -1 : until.index}`];
    const srcBundles = sources.map((s) => {
      const b = this.bundle(s.port, 'source');
      const t = threshold(s.validProbability ?? 1, `validProbability of source '${b.port}'`);
      lines.push(`${b.valid.index} ${b.ready.index} ${t} ${b.fields.length} ${b.fields.map((f) => f.index).join(' ')} ${s.data.length}`);
      s.data.forEach((row, r) => {
        const values = Array.isArray(row) ? row : [row];
        if (values.length !== b.fields.length) {
          throw new Error(
            `source '${b.port}' row ${r} has ${values.length} values but the bundle has ${b.fields.length} payload ports (${b.fields.map((f) => f.name).join(', ')})`,
          );
        }
        lines.push(values.map((v, i) => hexOf(encodeValue(b.fields[i]!, v))).join(' '));
      });
      return b;
    });
    const sinkBundles = sinks.map((k) => {
      const b = this.bundle(k.port, 'sink');
      if (!Number.isSafeInteger(k.count) || k.count < 0) throw new Error(`sink '${b.port}' count must be a non-negative integer, got ${k.count}`);
      const t = threshold(k.readyProbability ?? 1, `readyProbability of sink '${b.port}'`);
      lines.push(`${b.valid.index} ${b.ready.index} ${t} ${b.fields.length} ${b.fields.map((f) => f.index).join(' ')} ${k.count}`);
      return b;
    });
    for (const a of slaves) this.axiSlaveLines(a, lines);
    const startCycle = this.cycles;
    const reply = await this.send(lines);
    const violations = reply.filter((l) => l.startsWith('X ')).map((l) => l.split(' ').slice(2).join(' '));
    if (violations.length > 0) throw new AxiProtocolError(`AXI protocol violation in '${this.name}' (seed ${seed}): ${violations.join('; ')}`);
    const axi: AxiSlaveStats[] = [];
    for (const l of reply) {
      const t = l.split(' ');
      if (t[0] === 'a') {
        const [readBursts, readBeats, readOpen, writeBursts, writeBeats, writeOpen] = t.slice(1).map(Number) as [
          number,
          number,
          number,
          number,
          number,
          number,
        ];
        axi.push({ readBursts, readBeats, readOpen, writeBursts, writeBeats, writeOpen, readback: [] });
      } else if (t[0] === 'm') axi.at(-1)!.readback.push(Uint32Array.from(t.slice(2), (h) => parseInt(h, 16)));
    }

    const received: Record<string, ReceivedStream> = {};
    for (const b of sinkBundles) received[b.port] = { fields: b.fields.map((f) => f.name), rows: [], values: [], cycles: [] };
    let finished = false;
    let ran = 0;
    const status: { done: number; valid: boolean; ready: boolean }[] = [];
    for (const line of reply) {
      const t = line.split(' ');
      if (t[0] === 'r') {
        const r = received[sinkBundles[Number(t[1])]!.port]!;
        const row = t.slice(3).map((h) => BigInt(`0x${h}`));
        r.rows.push(row);
        r.values.push(row[0] ?? 0n);
        r.cycles.push(Number(t[2]));
      } else if (t[0] === 'E') {
        finished = t[1] === '1';
        ran = Number(t[2]);
      } else if (t[0] === 'c' || t[0] === 'k') {
        status.push({ done: Number(t[1]), valid: t[2] === '1', ready: t[3] === '1' });
      }
    }
    const sent: Record<string, number> = {};
    srcBundles.forEach((b, i) => (sent[b.port] = status[i]!.done));
    const result: StreamResult = { received, sent, cycles: ran, axi };
    if (finished) return result;

    const endpoints: StuckEndpoint[] = [
      ...srcBundles.map((b, i) => ({ port: b.port, role: 'source' as const, expected: sources[i]!.data.length, ...status[i]! })),
      ...sinkBundles.map((b, i) => ({ port: b.port, role: 'sink' as const, expected: sinks[i]!.count, ...status[srcBundles.length + i]! })),
    ];
    const describe = (e: StuckEndpoint): string =>
      `${e.port} ${e.role === 'sink' ? 'received' : 'sent'} ${e.done} of ${e.expected} (${e.port}_valid=${Number(e.valid)}, ${e.port}_ready=${Number(e.ready)})`;
    const waitingSinks = endpoints.filter((e) => e.role === 'sink' && e.done < e.expected);
    const fullSources = endpoints.filter((e) => e.role === 'source' && e.done < e.expected);
    const parts = [
      waitingSinks.length ? `sinks still waiting: ${waitingSinks.map(describe).join('; ')}` : '',
      fullSources.length ? `sources still holding data: ${fullSources.map(describe).join('; ')}` : '',
    ].filter((p) => p !== '');
    throw new StreamDeadlockError(
      `stream deadlock in '${this.name}': no completion within maxCycles=${maxCycles} (cycles ${startCycle}..${this.cycles}, seed ${seed}); ` +
        `${parts.join('; ')}. ` +
        (this.wavesPath ? `Waveform: ${this.wavesPath}` : 'Rerun with WAVES=1 for a waveform.'),
      result,
      endpoints,
    );
  }

  /** Ends the simulator, completing the waveform file. */
  async close(): Promise<void> {
    await this.proc.close();
    if (this.wavesPath) console.log(`[tb] ${this.name}: waveform complete: ${this.wavesPath}`);
  }
}
