// One Verilator simulation of the chip top for an architecture, reused for every layer of a run.
import { iactCensus, type IactCensus } from './program/census.js';
import type { ArchConfig } from '../../spec/arch.js';
import type { Layer, LayerData } from '../../golden/layers.js';
import type { Mapping } from '../../golden/mapper.js';
import type { Requant } from '../../spec/numerics.js';
import { EyerissTop, chipParamsFromArch } from '../../generator/eyeriss/chip/index.js';
import { emitForSim } from '../../tb/dsl.js';
import { Simulator, type SimulatorOptions } from '../../tb/sim.js';
import type { IoOf } from '../../tb/io.js';
import { buildProgram, type ProgramOptions, type ProgramStats, type RtlProgram } from './program.js';
import { offchipBytes, type OffchipBytes, type OffchipWords } from './offchip.js';
import { runProgramOnRtl, type RtlRunOptions } from './run.js';

/** The seed of the driver's draws and the streams' backpressure. */
export type RtlTraffic = Partial<Pick<RtlRunOptions, 'seed' | 'validProbability' | 'readyProbability'>>;

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
  /** What crossed the chip boundary, counted by the harness. */
  offchipWords: OffchipWords;
  offchipBytes: OffchipBytes;
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
}

export const SIMULATOR_TIMEOUT_MS = 60 * 60_000;

export class RtlSession {
  private constructor(
    readonly arch: ArchConfig,
    private readonly sim: Simulator<IoOf<typeof EyerissTop>>,
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
    const design = await emitForSim(EyerissTop, chipParamsFromArch(arch));
    opts.onBuild?.(
      `starting the ${arch.clusterRows}x${arch.clusterCols}-cluster chip simulator for arch '${arch.name}' (the first run builds it with Verilator, then it is cached under build/)`,
    );
    const sim = await Simulator.start(design, { name: `EyerissTop-${arch.name}`, seed: opts.seed ?? 1, timeoutMs: SIMULATOR_TIMEOUT_MS, ...opts.build });
    return new RtlSession(arch, sim, sim.build.cached ? 0 : sim.build.ms / 1000, opts.program ?? {}, opts.rawPsums ?? false);
  }

  /**
   * Runs one layer with the given mapping. `predictedCycles` (the golden model's figure) sizes the
   * deadlock budget: 20x the prediction plus a constant, far beyond any healthy run. `traffic`
   * sets the off-chip streams' backpressure (default: every word offered and taken at once).
   * `requant`: the chip's output stage requantizes the outputs with it (unless the session keeps
   * raw psums); null: raw psums.
   */
  async runLayer(
    l: Layer,
    d: LayerData,
    mapping: Mapping,
    predictedCycles: number,
    traffic: RtlTraffic = {},
    requant: Requant | null = null,
  ): Promise<RtlLayerRun> {
    const prog = buildProgram(l, d, this.arch, mapping, { ...this.program, requant: this.rawPsums ? null : requant });
    const started = performance.now();
    const run = await runProgramOnRtl(this.sim, prog, { seed: 1, ...traffic, maxCycles: 20 * predictedCycles + 200_000 });
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
    };
  }

  async close(): Promise<void> {
    await this.sim.close();
  }
}
