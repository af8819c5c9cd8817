// The rtl backend: one Verilator simulation of the chip (RtlSession) runs every layer it is given.
import type { ArchConfig } from '../../spec/arch.js';
import type { Layer, LayerData } from '../../golden/layers.js';
import type { Mapping } from '../../golden/mapper.js';
import type { Requant } from '../../spec/numerics.js';
import type { Backend, BackendLayerRun, GoldenLayer, RtlFigures } from '../backend.js';
import type { MeshSharing } from './program.js';
import { RtlSession, type RtlSessionOptions } from './session.js';

const meshFigures = (m: MeshSharing): RtlFigures['mesh']['iact'] => ({
  mode: m.mode,
  shared_streams: m.shared.length,
  saved_words: m.savedWords,
  split_groups: m.split.length,
});

export class RtlBackend implements Backend {
  readonly name = 'rtl' as const;
  readonly needsGoldenValues = false;

  private constructor(private readonly session: RtlSession) {}

  static async open(arch: ArchConfig, opts: RtlSessionOptions = {}): Promise<RtlBackend> {
    return new RtlBackend(await RtlSession.open(arch, opts));
  }

  get buildSeconds(): number {
    return this.session.buildSeconds;
  }

  async runLayer(layer: Layer, data: LayerData, mapping: Mapping, golden: GoldenLayer, requant: Requant | null): Promise<BackendLayerRun> {
    const run = await this.session.runLayer(layer, data, mapping, golden.cycles, {}, requant);
    const s = run.stats;
    return {
      output: run.output,
      requantized: run.requantized,
      cycles: run.cycles,
      rtl: {
        sim_seconds: Number(run.simSeconds.toFixed(3)),
        real_jobs: s.realJobs,
        dummy_jobs: s.dummyJobs,
        dense_iact_jobs: s.denseIactJobs,
        iact_pad_words: s.iactPadWords,
        weight_pad_words: s.weightPadWords,
        multicast_weight_words: s.multicastWeightWords,
        multicast_iact_words: s.multicastIactWords,
        mesh: {
          iact: meshFigures(run.mesh.iact),
          weight: meshFigures(run.mesh.weight),
        },
        staging: {
          ports: run.staging.ports,
          staged_ports: run.staging.stagedPorts,
          stored_words: run.staging.storedWords,
          replayed_words: run.staging.replayedWords,
          header_words: run.staging.headerWords,
          saved_words: run.staging.savedWords,
        },
        bounds: { iact_port_cycles: s.iactPortBoundCycles, weight_port_cycles: s.weightPortBoundCycles, config_writes: run.configWrites },
        iact_census: {
          pair_slots: run.iactCensus.pairSlots,
          address_slots: run.iactCensus.addressSlots,
          pad_slots: run.iactCensus.padSlots,
          pad_words: run.iactCensus.padWords,
          header_words: run.iactCensus.headerWords,
        },
        offchip_words: run.offchipWords,
        ...(run.dramBytes ? { dram_bytes: run.dramBytes } : {}),
      },
      offchipBytes: run.offchipBytes,
    };
  }

  close(): Promise<void> {
    return this.session.close();
  }
}
