// One Verilator simulation of the chip top for an architecture, reused for every layer of a run.
import { iactCensus, type IactCensus } from './program/census.js';
import type { ArchConfig } from '../../spec/arch.js';
import type { Layer, LayerData } from '../../golden/layers.js';
import type { Mapping } from '../../golden/mapper.js';
import type { Requant } from '../../spec/numerics.js';
import { EyerissTop, chipParamsFromArch } from '../../generator/eyeriss/chip/index.js';
import { EyerissSystem } from '../../generator/eyeriss/system/system.js';
import type { IoHandles } from '../../generator/dsl/index.js';
import { systemParamsFor, type SystemParams } from '../../spec/system.js';
import { runChain, type DramModel } from './system/driver.js';
import { emitForSim } from '../../tb/dsl.js';
import { Simulator, type SimulatorOptions } from '../../tb/sim.js';
import type { IoOf } from '../../tb/io.js';
import { buildProgram, type ProgramOptions, type ProgramStats, type RtlProgram } from './program.js';
import { offchipBytes, type OffchipBytes, type OffchipWords } from './offchip.js';
import { runProgramOnRtl, type RtlRunOptions } from './run.js';

/** The seed of the driver's draws and the streams' backpressure. */
/** A run's backpressure: per stream on the core top; on the system top, the seed and the DRAM (default: the session's). */
export type RtlTraffic = Partial<Pick<RtlRunOptions, 'seed' | 'validProbability' | 'readyProbability'>> & { dram?: DramModel };

const streamTraffic = ({ seed, validProbability, readyProbability }: RtlTraffic): RtlTraffic => ({
  ...(seed !== undefined ? { seed } : {}),
  ...(validProbability !== undefined ? { validProbability } : {}),
  ...(readyProbability !== undefined ? { readyProbability } : {}),
});

export interface RtlLayerRun {
  /** NMEF raw psums, or the 8-bit outputs when `requantized` (the chip's output stage). */
  output: Int32Array;
  requantized: boolean;
  cycles: number;
  /** Wall-clock seconds of the simulation alone. */
  simSeconds: number;
  stats: ProgramStats;
  /** Which clusters shared which off-chip streams over the mesh. */
  mesh: RtlProgram['mesh'];
  staging: RtlProgram['staging'];
  iactCensus: IactCensus;
  configWrites: number;
  /** What crossed the chip boundary, counted by the harness (or by the system top's counters). */
  offchipWords: OffchipWords;
  offchipBytes: OffchipBytes;
  /** System top only: what the memory port moved, whole beats, descriptors and padding included. */
  dramBytes?: { read: number; write: number };
}

export type RtlBuildOptions = Pick<SimulatorOptions, 'hierarchical' | 'threads' | 'log' | 'cacheDir' | 'simulator' | 'randomInit' | 'waves'>;

/**
 * How long the simulator may go without answering one request (a whole layer) before the
 * watchdog kills it; the error names the last command sent. A chip that stalls is caught far
 * sooner by the cycle budget of runLayer; this bounds a simulator process that froze. An hour
 * is over 8x the slowest run measured (docs/rtl.md: AlexNet's five CONV layers, 440 s in all).
 */
export interface RtlSessionOptions {
  seed?: number;
  onBuild?: (message: string) => void;
  program?: ProgramOptions;
  build?: RtlBuildOptions;
  /** Every layer's raw 20-bit psums leave the chip, also those with a requant (the host requantizes them). */
  rawPsums?: boolean;
  /**
   * Run every layer through the system top (EyerissSystem: descriptors and streams in memory
   * behind the AXI port, the harness as the DRAM) instead of feeding the core's streams directly.
   */
  system?: { params?: Partial<Omit<SystemParams, 'chip'>>; dram?: DramModel };
}

export const SIMULATOR_TIMEOUT_MS = 60 * 60_000;

export class RtlSession {
  private constructor(
    readonly arch: ArchConfig,
    private readonly sim: Simulator<IoOf<typeof EyerissTop>> | Simulator<IoHandles>,
    /** The system top's parameters and DRAM model, when layers run through it. */
    private readonly system: { params: SystemParams; dram: DramModel } | null,
    /** Seconds the Verilator build took; 0 when the simulator came from the build cache. */
    readonly buildSeconds: number,
    private readonly program: ProgramOptions,
    private readonly rawPsums: boolean,
  ) {}

  /**
   * Builds (or takes from the build cache) the chip simulator; `onBuild` hears before a possible
   * long build; `program` holds the switches every layer's program is built with.
   */
  static async open(arch: ArchConfig, opts: RtlSessionOptions = {}): Promise<RtlSession> {
    const chip = chipParamsFromArch(arch);
    const system = opts.system ? { params: systemParamsFor(chip, opts.system.params), dram: opts.system.dram ?? {} } : null;
    const design = system ? await emitForSim(EyerissSystem, system.params) : await emitForSim(EyerissTop, chip);
    const what = system ? 'system top' : 'chip';
    opts.onBuild?.(
      `starting the ${arch.clusterRows}x${arch.clusterCols}-cluster ${what} simulator for arch '${arch.name}' (the first run builds it with Verilator, then it is cached under build/)`,
    );
    const name = `${system ? 'EyerissSystem' : 'EyerissTop'}-${arch.name}`;
    const sim = await Simulator.start(design, { name, seed: opts.seed ?? 1, timeoutMs: SIMULATOR_TIMEOUT_MS, ...opts.build });
    return new RtlSession(arch, sim, system, sim.build.cached ? 0 : sim.build.ms / 1000, opts.program ?? {}, opts.rawPsums ?? false);
  }

  /**
   * Runs one layer with the given mapping. `predictedCycles` (the golden model's figure) sizes the
   * deadlock budget: 20x the prediction plus a constant, far beyond any healthy run. `traffic`
   * sets the off-chip streams' backpressure (default: every word offered and taken at once).
   * `requant`: the chip's output stage requantizes the outputs with it (unless the session keeps
   * raw psums); null: raw psums. `program` overrides the session's program options for this layer.
   */
  async runLayer(
    l: Layer,
    d: LayerData,
    mapping: Mapping,
    predictedCycles: number,
    traffic: RtlTraffic = {},
    requant: Requant | null = null,
    program: Omit<ProgramOptions, 'requant'> = {},
  ): Promise<RtlLayerRun> {
    const prog = buildProgram(l, d, this.arch, mapping, { ...this.program, ...program, requant: this.rawPsums ? null : requant });
    const started = performance.now();
    const maxCycles = 20 * predictedCycles + 200_000;
    const run = this.system
      ? await this.runOnSystem({ ...this.system, dram: traffic.dram ?? this.system.dram }, [prog], traffic.seed ?? 1, maxCycles)
      : await runProgramOnRtl(this.sim as Simulator<IoOf<typeof EyerissTop>>, prog, { seed: 1, ...streamTraffic(traffic), maxCycles });
    return {
      output: run.output,
      requantized: prog.requant !== null,
      cycles: run.cycles,
      simSeconds: (performance.now() - started) / 1000,
      stats: prog.stats,
      mesh: prog.mesh,
      staging: prog.staging,
      iactCensus: iactCensus(prog.params, prog.clusters),
      configWrites: prog.config.length,
      offchipWords: run.offchipWords,
      offchipBytes: offchipBytes(prog.params, run.offchipWords, prog.requant !== null),
      ...('dramBytes' in run ? { dramBytes: run.dramBytes } : {}),
    };
  }

  /** Runs programs as one descriptor chain on the system top; the words are the system top's counters. */
  private async runOnSystem(system: { params: SystemParams; dram: DramModel }, progs: RtlProgram[], seed: number, maxCycles: number) {
    const chain = await runChain(this.sim, system.params, progs, { seed, maxCycles, dram: system.dram });
    const c = chain.counters;
    return {
      output: chain.outputs[0]!,
      outputs: chain.outputs,
      cycles: chain.cycles,
      offchipWords: { cfg: c.cfg, cmd: c.cmd, iact: c.iact, weight: c.weight, psum_in: 0, output: c.out, scale: c.scale },
      dramBytes: chain.dramBytes,
    };
  }

  /**
   * Runs whole layers as one descriptor chain through the system top (no host work between
   * them): each layer's outputs, and the chain's cycles and memory traffic. A layer with `gather`
   * takes the previous layer's 8-bit outputs as its iacts, which the chip gathers from memory
   * (its data's iacts are then unused).
   */
  async runChain(layers: { layer: Layer; data: LayerData; mapping: Mapping; requant: Requant | null; predictedCycles: number; gather?: boolean }[]) {
    if (!this.system) throw new Error('runChain needs a session opened with the system top (RtlSessionOptions.system)');
    const progs = layers.map((x) =>
      buildProgram(x.layer, x.data, this.arch, x.mapping, { ...this.program, requant: this.rawPsums ? null : x.requant, gather: x.gather === true }),
    );
    // A gather takes a cycle or a read per iact word before its layer runs, which the prediction leaves out.
    const gatherWords = (x: RtlProgram): number => (x.gather === null ? 0 : x.clusters.reduce((n, cl) => n + cl.iact.reduce((a, w) => a + w.length, 0), 0));
    const budget = layers.reduce((n, x, i) => n + 20 * x.predictedCycles + 200_000 + 8 * gatherWords(progs[i]!), 0);
    const run = await this.runOnSystem(this.system, progs, 1, budget);
    return {
      outputs: run.outputs,
      requantized: progs.map((p) => p.requant !== null),
      cycles: run.cycles,
      offchipWords: run.offchipWords,
      dramBytes: run.dramBytes,
    };
  }

  async close(): Promise<void> {
    await this.sim.close();
  }
}
