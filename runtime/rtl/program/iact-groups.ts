// Iact base groups: the PEs of a cluster's PE row whose stacks have the same schedule group
// (same n, g, e, f) take the same words at every step. iactClasses merges and places them.
import type { JobIteration } from './jobs.js';
import { Messages } from './messages.js';
import type { PeStacks } from './pe-roles.js';
import type { ProgramTarget } from './target.js';

export interface IactGroups {
  /** Per chip-wide PE: its group, -1 idle. */
  groupOf: Int32Array;
  groupMembers: number[][];
  groupCluster: number[];
  /** Per group, per job step of the layer: the message it takes (an index into msgLen), -1 none. */
  groupMsgs: Int32Array[];
  /** Words of each distinct iact message. */
  msgLen: number[];
}

export function iactGroups(t: ProgramTarget, { stackOf, coords }: PeStacks, iterations: readonly JobIteration[], msgs: Messages): IactGroups {
  const { peRows, peCols } = t.p.noc;
  const sp = t.map.spatial;
  const groupOf = new Int32Array(stackOf.length).fill(-1);
  const groupMembers: number[][] = [];
  const groupCluster: number[] = [];
  for (let c = 0; c < t.nClusters; c++) {
    const byKey = new Map<number, number[]>();
    for (let pe = 0; pe < t.pesPer; pe++) {
      const gid = c * t.pesPer + pe;
      const s = stackOf[gid]!;
      if (s < 0) continue;
      const k = coords[s]!;
      const key = (((k.n * sp.g + k.g) * sp.e + k.e) * sp.f + k.f) * peRows + Math.floor(pe / peCols);
      byKey.set(key, [...(byKey.get(key) ?? []), gid]);
    }
    // Groups in key order, not PE order: clusters that hold the same groups in other PE columns
    // then number their classes alike, so their port streams are the same words and can share
    // one stream over the mesh (mesh-multicast.ts).
    for (const [, members] of [...byKey].sort((a, b) => a[0] - b[0])) {
      for (const gid of members) groupOf[gid] = groupMembers.length;
      groupMembers.push(members);
      groupCluster.push(c);
    }
  }
  const nSteps = iterations.reduce((a, x) => a + x.steps.length, 0);
  const msgIds = new Map<string, number>();
  const msgLen: number[] = [];
  const groupMsgs = groupMembers.map(() => new Int32Array(nSteps).fill(-1));
  let step = 0;
  for (const { steps } of iterations) {
    for (const jobs of steps) {
      for (const [gid, j] of jobs) {
        const key = Messages.iactKey(j);
        let id = msgIds.get(key);
        if (id === undefined) {
          msgIds.set(key, (id = msgLen.length));
          msgLen.push(msgs.iact(j).words.length);
        }
        const seq = groupMsgs[groupOf[gid]!]!;
        if (seq[step]! >= 0 && seq[step] !== id) throw new Error(`internal: PEs of iact group ${groupOf[gid]} need different streams`);
        seq[step] = id;
      }
      step++;
    }
  }
  return { groupOf, groupMembers, groupCluster, groupMsgs, msgLen };
}
