// GLB iact staging [spec 1, 3]: iacts a later reuse window reads again are written into the GLB
// iact bank the first time they pass (store-and-forward) and read back from it afterwards, so
// they cross the chip boundary once per reuse window instead of once per iteration.
//
// A port's stream is cut into its reuse windows (one per (tg, chunk, tm) of the schedule,
// streams.ts); iterations of one tg and chunk but another tm read the same iacts, so their
// windows start alike. A
// window replays the longest prefix it shares with what the bank holds and passes the rest;
// a window that shares too little stores its first bank-full of words instead (the part that
// does not fit is streamed every time). The port is staged only where that moves fewer words
// across the boundary than bypass, header words counted; else it stays in bypass.
import { encodeIactSegment, iactSegmentMaxCount, type ChipParams, type IactSegment } from '../../../spec/chip/format.js';

/**
 * A replay costs its header and a few cycles of bank latency; a shorter common prefix is passed
 * again instead (and a store of the new window overwrites the bank).
 */
const MIN_REPLAY_WORDS = 8;

export interface IactStagingStats {
  /** Ports with off-chip words, and those of them that run staged. */
  ports: number;
  stagedPorts: number;
  /** Words the bank replays, that no longer cross the boundary. */
  replayedWords: number;
  /** Words written into the banks on their way to the routers. */
  storedWords: number;
  /** Segment headers: the off-chip words staging adds. */
  headerWords: number;
  /** replayedWords - headerWords: the iact words the layer saves. */
  savedWords: number;
}

export interface IactStaging {
  /** [cluster][iact port]: the port's stream is segments (ClusterLayerConfig.iactStaged). */
  staged: boolean[][];
  stats: IactStagingStats;
}

interface PortPlan {
  words: number[];
  replayed: number;
  stored: number;
  headers: number;
}

function commonPrefix(a: readonly number[], b: readonly number[]): number {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return i;
}

/** One port's stream as segments, with `windows` the offsets where its reuse windows start. */
function stagePort(p: ChipParams, stream: readonly number[], windows: readonly number[]): PortPlan {
  const plan: PortPlan = { words: [], replayed: 0, stored: 0, headers: 0 };
  const segment = (s: IactSegment, words: readonly number[]): void => {
    plan.words.push(encodeIactSegment(p, s), ...words);
    plan.headers++;
  };
  const pass = (words: readonly number[]): void => {
    for (let at = 0; at < words.length; at += iactSegmentMaxCount(p)) {
      const part = words.slice(at, at + iactSegmentMaxCount(p));
      segment({ kind: 'pass', count: part.length }, part);
    }
  };
  let bank: number[] = [];
  const starts = [...windows, stream.length];
  for (let w = 0; w + 1 < starts.length; w++) {
    const win = stream.slice(starts[w], starts[w + 1]);
    if (win.length === 0) continue;
    const shared = commonPrefix(win, bank);
    if (shared >= MIN_REPLAY_WORDS) {
      segment({ kind: 'replay', base: 0, count: shared }, []);
      plan.replayed += shared;
      pass(win.slice(shared));
    } else {
      bank = win.slice(0, p.glb.iactDepth);
      segment({ kind: 'store', base: 0, count: bank.length }, bank);
      plan.stored += bank.length;
      pass(win.slice(bank.length));
    }
  }
  return plan;
}

/**
 * Stages every port stream in place where that saves off-chip words; `windows[c][k]` are the
 * port's reuse window starts. With `enabled` false every port stays in bypass.
 */
export function stageIactStreams(p: ChipParams, streams: number[][][], windows: readonly (readonly (readonly number[])[])[], enabled: boolean): IactStaging {
  const stats: IactStagingStats = { ports: 0, stagedPorts: 0, replayedWords: 0, storedWords: 0, headerWords: 0, savedWords: 0 };
  const staged = streams.map((ports, c) =>
    ports.map((stream, k) => {
      if (stream.length === 0) return false;
      stats.ports++;
      if (!enabled) return false;
      const plan = stagePort(p, stream, windows[c]![k]!);
      if (plan.replayed <= plan.headers) return false;
      ports[k] = plan.words;
      stats.stagedPorts++;
      stats.replayedWords += plan.replayed;
      stats.storedWords += plan.stored;
      stats.headerWords += plan.headers;
      return true;
    }),
  );
  stats.savedWords = stats.replayedWords - stats.headerWords;
  return { staged, stats };
}
