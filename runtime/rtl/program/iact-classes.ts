// Iact classes: base groups of PEs that take the same words merged, and placed on iact ports.
import type { ChipParams } from '../../../spec/chip/format.js';
import type { IactGroups } from './iact-groups.js';
import { bestPorts } from './iact-ports.js';
import { sameWords } from './same-words.js';

export interface IactClasses {
  /** Per PE (cluster * PEs + PE): (cluster * iact ports + port) * PEs per cluster + class id on that port; -1 idle. */
  iactClass: Int32Array;
  /** Classes per iact port (cluster * iact ports + port). */
  iactWays: Int32Array;
  iactMembers: Map<number, number[]>;
  /** Message words that a class's further base groups take from the one copy (ProgramStats.multicastIactWords). */
  sharedWords: number;
}

/**
 * The iact delivery classes of a layer and the GLB iact port that feeds each. Base groups
 * (groupMembers: PEs of one cluster's PE row with the same schedule group; groupMsgs: the
 * message each takes at each job step, -1 none) of a cluster that take the same message at
 * every step become one class: the words cross the port once for all of them (row stationary's
 * diagonal reuse: with stride 1, PE row r+1 of one column reads the input row that PE row r of
 * the next column reads). Groups that differ only where one has no message stay apart: merged,
 * that one would run dummy jobs on the other's words, which cost more PE time than they save
 * port time (mobile-block's dw2 on 1x2 clusters of 2x4 PEs: 3,677 RTL cycles merged, with 192
 * dummy jobs, 3,639 apart). `merge` false: every group its own class. bestPorts then places
 * the classes on the ports.
 */
export function iactClasses(p: ChipParams, { groupMembers, groupCluster, groupMsgs, msgLen }: IactGroups, merge: boolean): IactClasses {
  const { iactRouters: ports, peRows, peCols } = p.noc;
  const pesPer = peRows * peCols;
  const nClusters = p.rows * p.cols;
  const iactClass = new Int32Array(nClusters * pesPer).fill(-1);
  const iactWays = new Int32Array(nClusters * ports);
  const iactMembers = new Map<number, number[]>();
  const maxWays = Math.min(pesPer, 2 ** p.noc.idWidth);
  let sharedWords = 0;
  for (let c = 0; c < nClusters; c++) {
    const classes: { msgs: Int32Array; members: number[] }[] = [];
    groupMembers.forEach((members, g) => {
      if (groupCluster[g] !== c) return;
      const msgs = groupMsgs[g]!;
      const mate = merge && msgs.some((m) => m >= 0) ? classes.find((cl) => sameWords(cl.msgs, msgs)) : undefined;
      if (mate === undefined) classes.push({ msgs, members: [...members] });
      else {
        for (const m of msgs) if (m >= 0) sharedWords += msgLen[m]!;
        mate.members.push(...members);
      }
    });
    const lens = classes.map((cl) => Float64Array.from(cl.msgs, (m) => (m < 0 ? 0 : msgLen[m]!)));
    const portOf = bestPorts(
      lens,
      ports,
      maxWays,
      classes.map((cl) => Math.floor((Math.min(...cl.members) % pesPer) / peCols) % ports),
    );
    if (portOf === undefined) throw new Error(`internal: cluster ${c} needs ${classes.length} iact classes, its ${ports} ports take ${ports * maxWays}`);
    classes.forEach((cl, k) => {
      const input = c * ports + portOf[k]!;
      const cls = input * pesPer + iactWays[input]!++;
      for (const gid of cl.members) iactClass[gid] = cls;
      iactMembers.set(cls, cl.members);
    });
  }
  return { iactClass, iactWays, iactMembers, sharedWords };
}
