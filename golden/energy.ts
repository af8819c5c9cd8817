// Energy model of the 65-nm chip: per-event energies times the event counts of the
// chip model, plus clock and leakage per cycle. Every constant is derived in
// golden/README.md ("Energy model") from public figures, the clocked flip-flops counted on the
// generated RTL; none is fitted to a paper result.
import type { ArchConfig } from '../spec/arch.js';
import type { LayerCounts } from './chip-model.js';
import { psumLanes } from '../spec/pe/params.js';

export interface EnergyConstants {
  /** 8b x 8b multiply + 20b accumulate. */
  macPJ: number;
  /** One access of a register-file SPad (iact address/data, weight address, psum: <= 32 x 20b). */
  regSpadPJ: number;
  /** One 24-bit access of the 96 x 24b weight data SRAM. */
  weightSramPJ: number;
  /** One port word (24b / 40b) through a router and the cluster fabric to or from a PE. */
  nocWordPJ: number;
  /** One word access of a GLB bank (1.5-1.9 kB SRAM). */
  glbWordPJ: number;
  /** Clock of one flip-flop for one cycle (clock pin and local clock wiring). */
  flopClockPJ: number;
  /** Whole-chip leakage. */
  leakageMW: number;
}

export const ENERGY_65NM: EnergyConstants = Object.freeze({
  macPJ: 0.67,
  regSpadPJ: 0.35,
  weightSramPJ: 1.2,
  nocWordPJ: 1.7,
  glbWordPJ: 2.5,
  flopClockPJ: 0.0058,
  leakageMW: 10,
});

/**
 * Flip-flops the chip clocks outside its SRAM macros, counted by yosys on the generated RTL of
 * the paper configuration with every SRAM kept as a macro (`npm run synth`): one PE as the
 * chip instantiates it (PeShell: 1780) less its register SPads (980 bits), i.e. its pipeline,
 * control and NoC adapters; and one cluster outside its PEs (23978 - 12 x 1780): routers, GLB
 * control and the cluster controller. test/golden/energy.test.ts recounts the PE.
 */
export const PE_LOGIC_FLOPS = 800;
export const CLUSTER_LOGIC_FLOPS = 2618;

/** Register-SPad bits of one PE: iact address and data, weight address, psum (the weight data SPad is an SRAM). */
export function peRegSpadBits(arch: ArchConfig): number {
  const s = arch.spads;
  return s.iactAddr.depth * s.iactAddr.width + s.iactData.depth * s.iactData.width + s.weightAddr.depth * s.weightAddr.width + s.psum.depth * s.psum.width;
}

/** Flip-flops of one PE of `arch`: its register SPads plus the measured logic of the paper PE. */
export const peFlops = (arch: ArchConfig): number => peRegSpadBits(arch) + PE_LOGIC_FLOPS;

export interface EnergyBreakdown {
  macPJ: number;
  spadPJ: number;
  nocPJ: number;
  glbPJ: number;
  clockPJ: number;
  leakagePJ: number;
  totalPJ: number;
}

export function layerEnergy(c: LayerCounts, arch: ArchConfig, k: EnergyConstants = ENERGY_65NM): EnergyBreakdown {
  const macPJ = c.macs * k.macPJ;
  // Per non-zero iact: iact address + data read, weight address read (col, col+1 in one access);
  // per MAC: psum read + write; weight words from the SRAM; SPad fills on loads.
  const regAccesses = c.iactReads * 3 + c.macs * 2 + c.iactPairsLoaded + c.psumTransfers;
  const spadPJ = regAccesses * k.regSpadPJ + (c.weightWordReads + c.weightWordsLoaded) * k.weightSramPJ;
  const psumPerWord = psumLanes(arch);
  const nocPJ = (Math.ceil(c.iactPairsLoaded / 2) + c.weightWordsLoaded + Math.ceil(c.psumTransfers / psumPerWord)) * k.nocWordPJ;
  const glbPJ = (c.glbIactWords + Math.ceil(c.glbPsumAccesses / psumPerWord)) * k.glbWordPJ;
  const clusters = arch.clusterRows * arch.clusterCols;
  // Clocked PEs (a PE with a task stays clocked while it waits) and every cluster, every cycle.
  const clockPJ = (c.peClockCycles * peFlops(arch) + c.cycles * clusters * CLUSTER_LOGIC_FLOPS) * k.flopClockPJ;
  const leakagePJ = k.leakageMW * 1e-3 * (c.cycles / (arch.clockMHz * 1e6)) * 1e12;
  return { macPJ, spadPJ, nocPJ, glbPJ, clockPJ, leakagePJ, totalPJ: macPJ + spadPJ + nocPJ + glbPJ + clockPJ + leakagePJ };
}
