// Multicast over the mesh [spec 2.5]: clusters whose router r takes the same words share one
// off-chip stream. The stream enters at one member's GLB port and its router forks it along a
// tree of mesh links to the other members; clusters on the way that are not members pass it on
// while their own PEs take their own stream (the paper's interleaved multicast).
import { validateMesh } from '../../../golden/noc/delivery.js';
import type { ChipParams } from '../../../spec/chip/format.js';
import { routerCount, type ClusterRouting, type MeshMode, type RouterSettings } from '../../../spec/noc/routing.js';
import { isMeshDir, neighbour, oppositeDir, routerSpec, type PortDir } from '../../../spec/noc/topology.js';
import { sameWords } from './same-words.js';

export type MeshNet = 'iact' | 'weight';

/** One off-chip stream and the clusters that take it. */
export interface SharedStream {
  router: number;
  /** The cluster whose port carries the words. */
  source: number;
  /** Every cluster that takes the words, the source first. */
  members: number[];
  /** Clusters that only pass the words on. */
  via: number[];
  words: number;
}

export interface MeshSharing {
  net: MeshNet;
  mode: MeshMode;
  /** Streams that feed more than one cluster. */
  shared: SharedStream[];
  /**
   * Clusters that take the same words on a router but got more than one stream, because the
   * mesh links ran out (each link carries one stream per layer): how many streams they got.
   */
  split: { router: number; clusters: number[]; streams: number }[];
  /** Words that no longer cross the off-chip interface. */
  savedWords: number;
}

/** Every cluster on its own ports. */
export const unsharedMesh = (net: MeshNet): MeshSharing => ({ net, mode: 'unicast', shared: [], split: [], savedWords: 0 });

interface Node {
  /** The port the stream arrives by (absent at the source). */
  from?: PortDir;
  parent?: number;
  dir?: PortDir;
}

const fabricInput = (noc: ClusterRouting, net: MeshNet, r: number) => (net === 'iact' ? noc.iact.fabric.inputs[r]! : noc.weight.fabrics[r]!.inputs[0]!);
const routersOf = (noc: ClusterRouting, net: MeshNet): RouterSettings[] => noc[net].routers;

/**
 * Shares every stream of `net` that several clusters take, in place: the members' streams but
 * the source's become empty and the routers carry the words. Groups route one after the other,
 * biggest saving first (links one tree takes are gone for the next); members no free path
 * reaches share with the others left, or keep their own streams (MeshSharing.split).
 */
export function shareMeshStreams(p: ChipParams, nocs: ClusterRouting[], net: MeshNet, streams: number[][][]): MeshSharing {
  const shared: SharedStream[] = [];
  const split: MeshSharing['split'] = [];
  for (let r = 0; r < routerCount(p.noc, net); r++) {
    for (const group of sameStreamGroups(p, nocs, net, streams, r)) {
      const trees = routeGroup(p, nocs, net, r, group, streams);
      if (trees.length !== 1 || trees[0]!.members.length !== group.length)
        split.push({ router: r, clusters: group, streams: group.length - trees.reduce((a, t) => a + t.members.length - 1, 0) });
      for (const t of trees) for (const c of t.members.slice(1)) streams[c]![r] = [];
      shared.push(...trees);
    }
  }
  const rows = Array.from({ length: p.rows }, (_, i) => nocs.slice(i * p.cols, (i + 1) * p.cols));
  validateMesh(p.noc, { rows: p.rows, cols: p.cols, open: false, clusters: rows }, net);
  return { net, mode: meshMode(nocs.length, streams, shared), shared, split, savedWords: shared.reduce((a, s) => a + s.words * (s.members.length - 1), 0) };
}

/** Routes one group's trees on router r, setting the routers: one tree, or several when links run out. */
function routeGroup(p: ChipParams, nocs: ClusterRouting[], net: MeshNet, r: number, group: number[], streams: number[][][]): SharedStream[] {
  const trees: SharedStream[] = [];
  for (let left = group; left.length > 1;) {
    const tree = bestTree(p, nocs, net, r, left);
    if (tree.members.length < 2) break;
    commitTree(nocs, net, r, tree);
    trees.push({ router: r, source: tree.source, members: tree.members, via: tree.via, words: streams[tree.source]![r]!.length });
    left = left.filter((c) => !tree.members.includes(c));
  }
  return trees;
}

/**
 * Clusters whose router r gets the same non-empty words through the same fabric classes, biggest
 * saving first; for weights only within a cluster row (the weight routers have no vertical
 * ports).
 */
function sameStreamGroups(p: ChipParams, nocs: ClusterRouting[], net: MeshNet, streams: number[][][], r: number): number[][] {
  const groups: number[][] = [];
  const part = (c: number) => (net === 'weight' ? Math.floor(c / p.cols) : 0);
  nocs.forEach((noc, c) => {
    const words = streams[c]![r]!;
    if (words.length === 0) return;
    const f = fabricInput(noc, net, r);
    const g = groups.find((m) => {
      const h = fabricInput(nocs[m[0]!]!, net, r);
      return part(m[0]!) === part(c) && h.ways === f.ways && h.burst === f.burst && sameWords(streams[m[0]!]![r]!, words);
    });
    if (g) g.push(c);
    else groups.push([c]);
  });
  const saving = (g: number[]) => streams[g[0]!]![r]!.length * (g.length - 1);
  return groups.filter((g) => g.length > 1).sort((a, b) => saving(b) - saving(a) || a[0]! - b[0]!);
}

interface Tree {
  source: number;
  members: number[];
  via: number[];
  nodes: Map<number, Node>;
}

/**
 * Of the trees from every member, grown through members first or not, the one that reaches the
 * most members over the fewest links (the fewest links leave the most for other streams).
 */
function bestTree(p: ChipParams, nocs: ClusterRouting[], net: MeshNet, r: number, group: number[]): Tree {
  let best: Tree | undefined;
  for (const source of group) {
    for (const membersFirst of [true, false]) {
      const t = treeFrom(p, nocs, net, r, source, new Set(group), membersFirst);
      if (!best || t.members.length > best.members.length || (t.members.length === best.members.length && t.nodes.size < best.nodes.size)) best = t;
    }
  }
  return best!;
}

/**
 * Breadth-first over router r's free mesh links from `source` (with `membersFirst`: through
 * members only, then on through any cluster to the members still unreached), pruned to the
 * paths that end at a member. A link is free when the sending router's destination port is
 * unused; a cluster joins a tree once.
 */
function treeFrom(p: ChipParams, nocs: ClusterRouting[], net: MeshNet, r: number, source: number, group: Set<number>, membersFirst: boolean): Tree {
  const spec = routerSpec(net, p.noc.eastWest);
  const mesh = { rows: p.rows, cols: p.cols };
  const reached = new Map<number, Node>([[source, {}]]);
  const grow = (through: (c: number) => boolean) => {
    const queue = [...reached.keys()];
    while (queue.length > 0) {
      const u = queue.shift()!;
      const rc = routersOf(nocs[u]!, net)[r]!;
      const from = reached.get(u)!.from ?? 'glb';
      for (const d of spec.dsts.filter(isMeshDir)) {
        if (rc[d] || !spec.allowed(from, d)) continue;
        const nb = neighbour(mesh, Math.floor(u / p.cols), u % p.cols, d);
        const v = nb && nb.i * p.cols + nb.j;
        if (v === undefined || reached.has(v) || !through(v)) continue;
        reached.set(v, { from: oppositeDir(d), parent: u, dir: d });
        queue.push(v);
      }
    }
  };
  if (membersFirst) grow((c) => group.has(c));
  grow(() => true);
  const nodes = new Map<number, Node>([[source, reached.get(source)!]]);
  for (const m of group) {
    if (!reached.has(m)) continue;
    for (let c = m; !nodes.has(c); c = reached.get(c)!.parent!) nodes.set(c, reached.get(c)!);
  }
  const members = [source, ...[...group].filter((m) => m !== source && nodes.has(m))];
  const via = [...nodes.keys()].filter((c) => !group.has(c)).sort((a, b) => a - b);
  return { source, members, via, nodes };
}

function commitTree(nocs: ClusterRouting[], net: MeshNet, r: number, tree: Tree): void {
  for (const n of tree.nodes.values()) {
    if (n.parent === undefined) continue;
    const parent = tree.nodes.get(n.parent)!;
    routersOf(nocs[n.parent]!, net)[r]![n.dir!] = parent.from ?? 'glb';
  }
  for (const m of tree.members.slice(1)) routersOf(nocs[m]!, net)[r]!.pe = tree.nodes.get(m)!.from!;
}

/**
 * The layer's mode: unicast when nothing is shared; broadcast when every router that carries
 * words has one stream and it feeds every cluster of the chip; interleaved when some tree
 * passes through a cluster that is not a member; grouped otherwise.
 */
function meshMode(clusters: number, streams: number[][][], shared: SharedStream[]): MeshMode {
  if (shared.length === 0) return 'unicast';
  const used = streams[0]!.map((_, r) => r).filter((r) => streams.some((s) => s[r]!.length > 0));
  if (used.every((r) => shared.some((s) => s.router === r && s.members.length === clusters))) return 'broadcast';
  return shared.some((s) => s.via.length > 0) ? 'interleaved' : 'grouped';
}
