// Whether a mapping stages iacts in the GLB iact banks [spec 1, 3], and why. The schedule walks
// tg, chunk, tm, pass: every tm window of one (tg, chunk) reads the same iacts (they differ only
// in output channels), so a layer with tm > 1 streams them once and replays them from the banks
// in the later windows, as far as the banks hold them; with tm = 1 no window repeats and every
// port stays in bypass. The RTL program applies the plan per GLB iact port where it moves fewer
// words off-chip (runtime/rtl/program/iact-staging.ts; result.json rtl.staging says what it did).
import type { ArchConfig } from '../spec/arch.js';

export interface StagingPlan {
  mode: 'staged' | 'bypass';
  /** Reuse windows per iact tile: the tm loop. */
  windows: number;
  /** Bytes one cluster can replay per window: its GLB iact banks. */
  replayBytesPerCluster: number;
  reason: string;
}

export function stagingPlan(temporalM: number, arch: ArchConfig): StagingPlan {
  const replayBytesPerCluster = arch.glb.iactBanks * arch.glb.iactBankBytes;
  if (temporalM <= 1)
    return { mode: 'bypass', windows: 1, replayBytesPerCluster, reason: 'tm = 1: every iact tile is read in one window, so there is nothing to replay' };
  return {
    mode: 'staged',
    windows: temporalM,
    replayBytesPerCluster,
    reason: `tm = ${temporalM} windows read the same iacts: the first stores them in the GLB iact banks as they pass, the other ${temporalM - 1} replay up to ${replayBytesPerCluster} B per cluster and stream the rest`,
  };
}
