// Runs a layer program on the chip RTL through the harness: the C++ side plays off-chip memory
// (every command, iact and weight stream is handed over up front and fed with ready/valid), so
// a layer is one request however many cycles it takes.
import { StreamDeadlockError, type Simulator, type StreamOptions, type StreamSink, type StreamSource } from '../../tb/sim.js';
import { ERROR_BAD_CFG_ADDR, ERROR_BAD_CMD, clusterPort, type EyerissTop } from '../../generator/eyeriss/chip/top.js';
import { bundleName, type DecoupledPort, type IoOf, type SimIo } from '../../tb/io.js';
import { noOffchipWords, type OffchipStream, type OffchipWords } from './offchip.js';
import { decodeOutputs, type RtlProgram } from './program.js';

export interface RtlRunOptions {
  /** Seed of the driver's valid/ready draws. */
  seed: number;
  /** Cycle budget before the run counts as deadlocked. */
  maxCycles: number;
  /**
   * Chance per cycle that an off-chip source offers its next word / an output sink takes one;
   * default 1. A function gives each stream its own chance, by port name (`cfg`, `c0_1_iact_2`).
   */
  validProbability?: StreamChance;
  readyProbability?: StreamChance;
}

export type StreamChance = number | ((port: string) => number);

const chanceOf = (p: StreamChance | undefined, port: string): number => (typeof p === 'function' ? p(port) : (p ?? 1));

export interface RtlRunResult {
  /** NMEF raw psums. */
  output: Int32Array;
  /** Cycles from the first configuration write to the last output word. */
  cycles: number;
  /** Cycles until `done` rose after the last output word. */
  doneLatency: number;
  /** Words that crossed the chip boundary, per stream type, as the harness counted them. */
  offchipWords: OffchipWords;
}

/** The chip got stuck or flagged an error; the message names the ports or the error. */
export class RtlRunError extends Error {
  constructor(
    message: string,
    /** `hang`: no progress within the cycle budget, or no `done`; `flagged`: the chip's error_code. */
    readonly kind: 'hang' | 'flagged',
  ) {
    super(message);
    this.name = 'RtlRunError';
  }
}

type ChipIo = SimIo<IoOf<typeof EyerissTop>>;

/** A handle the program addresses; a missing one means the program was built for another chip. */
function present<T>(handle: T | undefined, port: string): T {
  if (handle === undefined) throw new Error(`the chip has no port ${port}; the program was built for a chip of another size`);
  return handle;
}

/** Cluster c's off-chip streams (clusters in row-major order, as the program lists them). */
function clusterStreams(io: ChipIo, prog: RtlProgram, c: number) {
  const [i, j] = [Math.floor(c / prog.params.cols), c % prog.params.cols];
  // Checked when a stream is fed: the scale ports exist only on chips with an output multiplier.
  const lanes =
    (name: string, vec: DecoupledPort[] | undefined) =>
    (k: number): DecoupledPort =>
      present(present(vec, name)[k], `${name}[${k}]`);
  return {
    cmd: present(io[clusterPort(i, j, 'cmd')], clusterPort(i, j, 'cmd')),
    iact: lanes(clusterPort(i, j, 'iact'), io[clusterPort(i, j, 'iact')]),
    weight: lanes(clusterPort(i, j, 'weight'), io[clusterPort(i, j, 'weight')]),
    out: lanes(clusterPort(i, j, 'out'), io[clusterPort(i, j, 'out')]),
    scale: lanes(clusterPort(i, j, 'scale'), io[clusterPort(i, j, 'scale')]),
  };
}

export async function runProgramOnRtl(sim: Simulator<IoOf<typeof EyerissTop>>, prog: RtlProgram, opts: RtlRunOptions): Promise<RtlRunResult> {
  const vp = (port: DecoupledPort): number => chanceOf(opts.validProbability, bundleName(port));
  const rp = (port: DecoupledPort): number => chanceOf(opts.readyProbability, bundleName(port));
  const sources: StreamSource[] = [];
  const sinks: StreamSink[] = [];
  const kindOf = new Map<string, OffchipStream>();
  const source = (kind: OffchipStream, port: DecoupledPort, data: StreamSource['data']): void => {
    kindOf.set(bundleName(port), kind);
    sources.push({ port, data, validProbability: vp(port) });
  };
  source(
    'cfg',
    sim.io.cfg,
    prog.config.map((w) => [w.addr, w.data]),
  );
  const outs = prog.clusters.map((cl, c) => {
    const io = clusterStreams(sim.io, prog, c);
    source('cmd', io.cmd, cl.cmds);
    cl.iact.forEach((words, k) => words.length > 0 && source('iact', io.iact(k), words));
    cl.weight.forEach((words, k) => words.length > 0 && source('weight', io.weight(k), words));
    cl.scale.forEach((words, k) => words.length > 0 && source('scale', io.scale(k), words));
    cl.outWords.forEach((count, k) => count > 0 && sinks.push({ port: io.out(k), count, readyProbability: rp(io.out(k)) }));
    return io.out;
  });
  const offchipWords = noOffchipWords();
  const countSent = (sent: Record<string, number>): void => {
    for (const [port, n] of Object.entries(sent)) {
      const kind = kindOf.get(port);
      if (kind === undefined) throw new Error(`internal: the harness reports words sent on '${port}', which the run did not feed`);
      offchipWords[kind] += n;
    }
  };
  await sim.reset(2);
  const streams = async (o: StreamOptions, when: string) => {
    try {
      return await sim.runStreams({ ...o, seed: opts.seed, maxCycles: opts.maxCycles });
    } catch (e) {
      if (!(e instanceof StreamDeadlockError)) throw e;
      const open = e.endpoints.filter((x) => x.done < x.expected).map((x) => `${x.port} ${x.role} ${x.done}/${x.expected}`);
      throw new RtlRunError(
        `the chip made no progress within ${opts.maxCycles} cycles ${when} on layer '${prog.layer.name}' (seed ${opts.seed}); unfinished streams: ${open.slice(0, 12).join(', ')}${open.length > 12 ? ', ...' : ''}. ` +
          'Rerun with WAVES=1 for a waveform; a program that passes test/runtime/program.test.ts but stalls here is an RTL bug.',
        'hang',
      );
    }
  };
  const res = await streams({ sources, sinks }, 'before the last output');
  // The run ends with the last output word, which can leave a cluster's end command (or, in a
  // program with surplus words, data) not yet taken; done needs every end command, so hand over
  // the rest.
  countSent(res.sent);
  const rest = sources.map((s) => ({ ...s, data: s.data.slice(res.sent[bundleName(s.port)] ?? 0) })).filter((s) => s.data.length > 0);
  if (rest.length > 0) countSent((await streams({ sources: rest }, 'after the last output, taking the words the program still had')).sent);
  // `done` follows the last output once every cluster has drained its end command.
  let doneLatency = 0;
  for (;;) {
    const [done, code = 0n] = await sim.batch((b) => {
      b.peek(sim.io.done.name);
      b.peek(sim.io.error_code.name);
    });
    if (code !== 0n) {
      const what: string[] = [];
      if (code & BigInt(ERROR_BAD_CFG_ADDR)) what.push('a configuration write to an unmapped address');
      if (code & BigInt(ERROR_BAD_CMD)) what.push('a cluster command naming no PE or bank');
      throw new RtlRunError(
        `the chip flagged ${what.join(' and ')} on layer '${prog.layer.name}'; the program does not match this chip's format (spec/chip/format.ts)`,
        'flagged',
      );
    }
    if (done === 1n) break;
    if (doneLatency >= 1000)
      throw new RtlRunError(
        `the chip sent every output of layer '${prog.layer.name}' and took every command but did not raise done within 1000 cycles (seed ${opts.seed})`,
        'hang',
      );
    await sim.step(10);
    doneLatency += 10;
  }
  const received = prog.clusters.map((cl, c) => cl.outWords.map((count, k) => (count > 0 ? res.received[bundleName(outs[c]!(k))]!.values : [])));
  offchipWords.output = received.flat().reduce((n, words) => n + words.length, 0);
  return { output: decodeOutputs(prog, received), cycles: res.cycles, doneLatency, offchipWords };
}
