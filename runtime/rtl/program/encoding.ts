// The last pass: the streams and routings encoded as the chip takes them (command words, the
// configuration writes with `enable` last), with the readable forms kept beside them.
import { encodeClusterCmd, layerConfigWrites, multiplierBits } from '../../../spec/chip/format.js';
import { encodeClusterRouting } from '../../../spec/noc/cfg-layout.js';
import type { ClusterRouting } from '../../../spec/noc/routing.js';
import { checkRequantOnChip, type Requant } from '../../../spec/numerics.js';
import type { IactStaging } from './iact-staging.js';
import { scaleStream } from './scale-streams.js';
import type { ProgramStreams } from './streams.js';
import type { ProgramTarget } from './target.js';
import type { ClusterProgram, RtlProgram } from './types.js';

export function encodeProgram(
  t: ProgramTarget,
  s: ProgramStreams,
  nocs: readonly ClusterRouting[],
  mesh: RtlProgram['mesh'],
  staging: IactStaging,
  requant: Requant | null,
): Omit<RtlProgram, 'gather'> {
  if (requant !== null) checkRequantOnChip(requant, multiplierBits(t.p), `layer '${t.layer.name}'`, `architecture '${t.arch.name}'`);
  // Single-pass layers send the top PEs' psums straight out; multi-pass ones go through the bank.
  const psumBypass = t.map.reduction.passes === 1;
  const clusters: ClusterProgram[] = nocs.map((noc, c) => ({
    commands: s.commands[c]!,
    cmds: s.commands[c]!.map((cmd) => encodeClusterCmd(t.p, cmd)),
    iact: s.iact[c]!,
    weight: s.weight[c]!,
    outWords: s.outWords[c]!,
    outJobs: s.outJobs[c]!,
    scale: s.outJobs[c]!.map((jobs) => scaleStream(t, jobs, requant)),
    noc,
    psumBypass,
    iactStaged: staging.staged[c]!,
  }));
  const layerCfg = nocs.map((noc, c) => ({ noc: encodeClusterRouting(t.p.noc, noc), psumBypass, iactStaged: staging.staged[c]! }));
  return {
    params: t.p,
    mapping: t.map,
    layer: t.layer,
    config: layerConfigWrites(t.p, layerCfg, requant),
    requant,
    clusters,
    stats: s.stats,
    mesh,
    staging: staging.stats,
  };
}
