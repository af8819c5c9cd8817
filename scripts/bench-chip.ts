/**
 * Chip simulator build and run figures, each beside its baseline measured in the same run:
 * cold builds (empty cache) flat vs with hierarchical blocks, simulated cycles per second with
 * 1 and 2 model threads, and the wall time of sparse MobileNet 0.5-128, for the small and the
 * paper chip. The flat paper build takes about 25 minutes, so it runs only with --flat-paper.
 *   npm run bench:chip [-- --flat-paper] [--arch small,paper]
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Command } from 'commander';
import type { ArchConfig } from '../spec/arch.js';
import { EyerissTop, chipParamsFromArch } from '../generator/eyeriss/chip/index.js';
import { loadArch } from '../runtime/arch-file.js';
import { runNetwork } from '../runtime/network.js';
import { RtlSession, type RtlBuildOptions } from '../runtime/rtl/session.js';
import { emitForSim } from '../tb/dsl.js';
import { Simulator } from '../tb/sim.js';

const o = new Command('bench-chip')
  .option('--arch <list>', 'architectures, comma-separated', 'small,paper')
  .option('--flat-paper', 'also build the paper chip flat (about 25 minutes on 2 cores), the baseline of its figures')
  .parse()
  .opts<{ arch: string; flatPaper?: boolean }>();

/** Seconds of a build into an empty cache, as on a fresh machine (Verilator's runtime objects included). */
async function coldBuild(arch: ArchConfig, hierarchical: boolean): Promise<number> {
  const cacheDir = await mkdtemp(path.join(tmpdir(), 'eyeriss-bench-'));
  try {
    process.stderr.write(`[bench] cold ${hierarchical ? 'hierarchical' : 'flat'} build of '${arch.name}'...\n`);
    const sim = await Simulator.start(await emitForSim(EyerissTop, chipParamsFromArch(arch)), { cacheDir, hierarchical, log: () => {} });
    await sim.close();
    return sim.build.ms / 1000;
  } finally {
    await rm(cacheDir, { recursive: true, force: true });
  }
}

interface NetworkFigures {
  cycles: number;
  simSeconds: number;
  cyclesPerSecond: number;
  wallSeconds: number;
  matched: boolean;
}

/** Sparse MobileNet 0.5-128 with a simulator already in the build cache (built, untimed, if not). */
async function mobilenet(arch: ArchConfig, build: RtlBuildOptions): Promise<NetworkFigures> {
  const source = { kind: 'benchmark', network: 'mobilenet-0.5-128', variant: 'sparse', seed: 1 } as const;
  const quiet = { ...build, log: () => {} };
  await (await RtlSession.open(arch, { build: quiet })).close();
  process.stderr.write(
    `[bench] sparse MobileNet on '${arch.name}' (${build.hierarchical === false ? 'flat' : 'hierarchical'}, ${build.threads ?? 1} thread(s))...\n`,
  );
  const s = await runNetwork({ source, arch, backend: 'rtl', build: quiet });
  const simSeconds = s.layer_results.reduce((a, r) => a + (r.rtl?.sim_seconds ?? 0), 0);
  return { cycles: s.cycles, simSeconds, cyclesPerSecond: s.cycles / simSeconds, wallSeconds: s.wall_seconds, matched: s.all_matched };
}

const f1 = (x: number): string => x.toFixed(1);
const ratio = (x: number, base: number | undefined): string => (base === undefined ? 'not measured' : `${(x / base).toFixed(2)}x`);

async function benchArch(arch: ArchConfig): Promise<string[]> {
  const flat = arch.name !== 'paper' || o.flatPaper === true;
  const hierBuild = await coldBuild(arch, true);
  const flatBuild = flat ? await coldBuild(arch, false) : undefined;
  const t1 = await mobilenet(arch, { threads: 1 });
  const t2 = await mobilenet(arch, { threads: 2 });
  const flatRun = flat ? await mobilenet(arch, { hierarchical: false }) : undefined;
  const rows = [
    `| ${arch.name} | cold build, hierarchical (s) | ${f1(hierBuild)} | flat: ${flatBuild === undefined ? 'not measured (--flat-paper)' : f1(flatBuild)} | ${flatBuild === undefined ? 'not measured' : `${(flatBuild / hierBuild).toFixed(1)}x faster`} |`,
    `| ${arch.name} | simulated cycles/s, 1 thread | ${t1.cyclesPerSecond.toFixed(0)} | flat: ${flatRun === undefined ? 'not measured' : flatRun.cyclesPerSecond.toFixed(0)} | ${ratio(t1.cyclesPerSecond, flatRun?.cyclesPerSecond)} |`,
    `| ${arch.name} | simulated cycles/s, 2 threads | ${t2.cyclesPerSecond.toFixed(0)} | 1 thread: ${t1.cyclesPerSecond.toFixed(0)} | ${ratio(t2.cyclesPerSecond, t1.cyclesPerSecond)} |`,
    `| ${arch.name} | sparse MobileNet wall (s), cached build | ${f1(t1.wallSeconds)} | flat: ${flatRun === undefined ? 'not measured' : f1(flatRun.wallSeconds)} | ${ratio(t1.wallSeconds, flatRun?.wallSeconds)} |`,
    `| ${arch.name} | sparse MobileNet wall (s), cold build + run | ${f1(hierBuild + t1.wallSeconds)} | flat: ${flatBuild === undefined || flatRun === undefined ? 'not measured' : f1(flatBuild + flatRun.wallSeconds)} | ${flatBuild === undefined || flatRun === undefined ? 'not measured' : ratio(hierBuild + t1.wallSeconds, flatBuild + flatRun.wallSeconds)} |`,
  ];
  const all = [t1, t2, ...(flatRun ? [flatRun] : [])];
  if (all.some((r) => !r.matched || r.cycles !== t1.cycles))
    throw new Error(`'${arch.name}': a run mismatched or the builds disagree on cycles (${all.map((r) => r.cycles).join(', ')})`);
  rows.push(`| ${arch.name} | RTL cycles per inference (every build, all bit-exact) | ${t1.cycles} | | |`);
  return rows;
}

const rows: string[] = [];
for (const name of o.arch.split(',')) rows.push(...(await benchArch(await loadArch(name))));
console.log(['| chip | figure | value | baseline | ratio |', '|---|---|---:|---|---|', ...rows].join('\n'));
