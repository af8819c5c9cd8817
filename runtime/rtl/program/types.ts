// The RTL program's public shape: what buildProgram returns and the switches it takes.
import type { Layer } from '../../../golden/layers.js';
import type { Mapping } from '../../../golden/mapper.js';
import type { TaskOutputs } from '../../../golden/tiles.js';
import type { ClusterRouting } from '../../../spec/noc/routing.js';
import type { ChipParams, ClusterCmd } from '../../../spec/chip/format.js';
import type { Requant } from '../../../spec/numerics.js';
import type { GatherSymbols } from './gather-words.js';
import type { IactStagingStats } from './iact-staging.js';
import type { MeshSharing } from './mesh-multicast.js';

/** One PE job whose psums leave the chip: which outputs its windows*M0 results are (forEachTaskOutput). */
export type OutputJob = TaskOutputs;

export interface ClusterProgram {
  /** The commands in order, readable; `cmds` holds their encodings (encodeClusterCmd). */
  commands: ClusterCmd[];
  cmds: bigint[];
  /** Words for iact port k (GLB iact bank k -> iact router k -> fabric input k): segments where iactStaged[k], else all bypass. */
  iact: number[][];
  /** Words for weight port k (weight router of PE row k). */
  weight: number[][];
  /** Words each out_<k> delivers over the layer. */
  outWords: number[];
  /** The jobs whose psums out_<k> delivers, in order; job j takes psumWordsOf(windows*M0) words. */
  outJobs: OutputJob[][];
  /** Words for scale_<k>, one per out word (the lanes' output multipliers); empty unless the requant has multipliers. */
  scale: number[][];
  /** The routers and fabrics (encoded into `config`), for readers and the interpreter test. */
  noc: ClusterRouting;
  psumBypass: boolean;
  iactStaged: boolean[];
}

export interface ProgramStats {
  iterations: number;
  /** PE jobs whose results are outputs or partial sums. */
  realJobs: number;
  /** PE jobs run only because a class mate takes the same words; `zeroDummyJobs` of them on an all-zero stream. */
  dummyJobs: number;
  zeroDummyJobs: number;
  /** PE jobs that take uncompressed iacts (messages.ts, IactFormat). */
  denseIactJobs: number;
  /** PAD_WORDs inserted to align the classes of a fabric input. */
  iactPadWords: number;
  weightPadWords: number;
  /** Weight words a cluster takes from its west neighbour instead of its own off-chip port. */
  multicastWeightWords: number;
  /**
   * Iact words PE rows take from another row's message (row stationary's diagonal reuse), which
   * would cross an iact port once more each if every PE row had its own classes.
   */
  multicastIactWords: number;
  /**
   * Sums over the job steps of the words the busiest iact / weight fabric input takes in that
   * step: cycles the step needs at least, at one word per cycle per router, whatever the PEs do.
   */
  iactPortBoundCycles: number;
  weightPortBoundCycles: number;
}

export interface RtlProgram {
  params: ChipParams;
  mapping: Mapping;
  layer: Layer;
  /** Configuration port writes (layerConfigWrites), `enable` last. */
  config: { addr: number; data: number }[];
  /** The output stage: outputs leave requantized to 8 bits on chip with this, or as raw psums (null). */
  requant: Requant | null;
  /** Row-major, cluster c = row*cols + col. */
  clusters: ClusterProgram[];
  stats: ProgramStats;
  /** Which clusters share which off-chip streams over the mesh, and the mode that makes. */
  mesh: { iact: MeshSharing; weight: MeshSharing };
  /** What staging iacts in the GLB iact banks saves (iact-staging.ts). */
  staging: IactStagingStats;
  /** With ProgramOptions.gather: what each iact word carries (its words are symbols until the chip gathers them). */
  gather: GatherSymbols | null;
}

/**
 * How iact messages are encoded. `auto` takes, message by message, the shorter of the two: dense
 * wins where a window has fewer zeros than segments (no address slots, every value a slot), as
 * in a camera image. `dense` makes every message's length independent of the data.
 */
export type IactFormat = 'auto' | 'csc' | 'dense';

/** Switches for studies of the chip's multicast: both on by default, as the chip runs. */
export interface ProgramOptions {
  /** Clusters of a row that take the same weight words share one off-chip stream (ProgramStats.multicastWeightWords). */
  weightMulticast?: boolean;
  /** PE rows that read the same iact words share one class (ProgramStats.multicastIactWords). */
  iactMulticast?: boolean;
  /** Clusters that take the same iact words share one off-chip stream over the iact mesh (RtlProgram.mesh.iact.savedWords). */
  iactMeshMulticast?: boolean;
  /** Iacts a later reuse window reads again are replayed from the GLB iact banks (RtlProgram.staging). */
  iactStaging?: boolean;
  /** How iact messages are encoded (messages.ts): default `auto`, the shorter of CSC and dense per message. */
  iactFormat?: IactFormat;
  /**
   * The chip gathers the layer's iacts from the previous layer's outputs in memory (a dependent
   * chain): every message uncompressed, its words gather symbols (RtlProgram.gather), the
   * layer data's iacts unused.
   */
  gather?: boolean;
  /** Requantize the outputs on chip with this (RtlProgram.requant); default null, raw psums. */
  requant?: Requant | null;
}
