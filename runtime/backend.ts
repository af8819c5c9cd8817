// Who produces a layer's outputs and cycles. runLayer talks to every backend through this
// interface: the golden model (golden-backend.ts) or the chip RTL simulated with Verilator
// (rtl/backend.ts). openBackend (open-backend.ts) makes one from its name.
import type { Layer, LayerData } from '../golden/layers.js';
import type { Mapping } from '../golden/mapper.js';
import type { MeshMode } from '../spec/noc/routing.js';
import type { Requant } from '../spec/numerics.js';
import type { OffchipBytes, OffchipWords } from './rtl/offchip.js';

export const BACKENDS = ['golden', 'rtl'] as const;
export type BackendName = (typeof BACKENDS)[number];

/** The RTL backend's own figures for result.json: simulation wall time and the program's counts. */
export interface RtlFigures {
  sim_seconds: number;
  real_jobs: number;
  dummy_jobs: number;
  /** PE jobs (real and dummy) that took their iacts uncompressed (`--iact-format`). */
  dense_iact_jobs: number;
  iact_pad_words: number;
  weight_pad_words: number;
  multicast_weight_words: number;
  multicast_iact_words: number;
  /**
   * How the clusters' off-chip streams were shared over the mesh, per network: the mode
   * (mapping.noc.mesh is the mapper's plan), the streams that fed several clusters, the words
   * that no longer crossed the chip boundary, and the groups that got more than one stream
   * because the mesh links ran out.
   */
  mesh: Record<'iact' | 'weight', { mode: MeshMode; shared_streams: number; saved_words: number; split_groups: number }>;
  /**
   * GLB iact staging (runtime/rtl/program/iact-staging.ts): the GLB iact ports with off-chip
   * words and those that ran staged, the words the banks stored and replayed, the segment
   * headers added, and replayed less headers: the iact words that did not cross the boundary.
   */
  staging: { ports: number; staged_ports: number; stored_words: number; replayed_words: number; header_words: number; saved_words: number };
  /**
   * What the off-chip iact words carried (runtime/rtl/program/census.ts): 12-bit slots of
   * (count, value) pairs, of segment end addresses and of pads, whole pad words, segment headers.
   */
  iact_census: { pair_slots: number; address_slots: number; pad_slots: number; pad_words: number; header_words: number };
  /**
   * Lower bounds of the RTL's cycles that the golden model does not have: per job step the words
   * of the busiest iact / weight fabric input (a router hands over one a cycle), summed; and the
   * configuration writes before the layer starts (one a cycle).
   */
  bounds: { iact_port_cycles: number; weight_port_cycles: number; config_writes: number };
  /** Words each kind of off-chip stream handed over, as the harness counted them (the system top: as its counters did). */
  offchip_words: OffchipWords;
  /** With --top system: bytes the AXI memory port moved (whole beats: descriptors, slot padding and half-used beats included). */
  dram_bytes?: { read: number; write: number };
}

/** What the golden model computed for the layer, which a backend may take as its own or only use to size its run. */
export interface GoldenLayer {
  /** The golden model's output: present only when the backend asked for values. */
  output?: Int32Array;
  cycles: number;
}

export interface BackendLayerRun {
  /** NMEF raw psums, or (requantized) the 8-bit outputs the chip requantized itself. */
  output: Int32Array;
  requantized: boolean;
  cycles: number;
  rtl?: RtlFigures;
  /** Bytes that crossed the chip boundary, measured (the rtl backend); the golden model only estimates dram_bytes. */
  offchipBytes?: OffchipBytes;
}

export interface Backend {
  readonly name: BackendName;
  /** Whether the golden model must compute the layer's values for this backend, or only count its work. */
  readonly needsGoldenValues: boolean;
  /** `requant`: the layer's 8-bit output stage; a backend that has one on chip applies it there (BackendLayerRun.requantized), else returns raw psums. */
  runLayer(layer: Layer, data: LayerData, mapping: Mapping, golden: GoldenLayer, requant: Requant | null): Promise<BackendLayerRun>;
  /** Seconds spent building the backend before its first layer (0 when nothing was built). */
  readonly buildSeconds: number;
  close(): Promise<void>;
}
