import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { copyFile, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { basename, join } from 'node:path';
import { execa } from 'execa';
import type { ResolvedDesign } from './design.js';
import { verilatorConfig } from '../generator/dsl/output.js';
import { generateDriver, type DriverSources } from './driver.js';
import { simCacheDir } from './paths.js';
import { findOnPath, isExecutable } from './which.js';
import { fillCacheEntry } from './cache-entry.js';

const INSTALL_HINT = 'install it with `sudo apt-get install -y verilator` (Debian/Ubuntu, needs 5.x)';
const MIN_MAJOR = 5;

export interface VerilatorInfo {
  path: string;
  version: string;
}

export interface BuildOptions {
  /** Verilator executable to use instead of searching PATH. */
  verilator?: string;
  /** Environment for finding and running Verilator; defaults to process.env. */
  env?: NodeJS.ProcessEnv;
  /** Build with FST tracing so the simulator can write waveforms. */
  waves?: boolean;
  /** Defaults to simCacheDir(): `EYERISS_SIM_CACHE`, else build/sim-cache. */
  cacheDir?: string;
  /** Build the design's hierarchical blocks on their own (default true); false inlines everything into one flat model. */
  hierarchical?: boolean;
  /** Threads the model evaluates on (Verilator --threads); default 1. */
  threads?: number;
  /** Parallel compile jobs; default the machine's available parallelism. */
  jobs?: number;
  /** Hears one line when a build starts and one when it ends; default: printed on stderr. */
  log?: (line: string) => void;
  /**
   * Build with `--x-assign unique --x-initial unique`: every X the Verilog leaves and every
   * register's start value come from the run's seed (+verilator+seed+N) instead of zero.
   */
  xUnique?: boolean;
}

export interface BuildResult {
  binary: string;
  /** Cache entry holding the binary and the generated port table. */
  dir: string;
  /** True when an earlier build was reused. */
  cached: boolean;
  ms: number;
}

function locate(opts: BuildOptions): string {
  if (opts.verilator !== undefined) {
    if (isExecutable(opts.verilator)) return opts.verilator;
    throw new Error(`Verilator not found at '${opts.verilator}'; ${INSTALL_HINT}, or pass the path of an installed verilator`);
  }
  const found = findOnPath('verilator', opts.env);
  if (found) return found;
  throw new Error(`Verilator not found on PATH; ${INSTALL_HINT}`);
}

const versions = new Map<string, Promise<VerilatorInfo>>();

/** Finds Verilator and checks it is new enough; the version probe runs once per executable. */
export function findVerilator(opts: BuildOptions = {}): Promise<VerilatorInfo> {
  let path: string;
  try {
    path = locate(opts);
  } catch (e) {
    return Promise.reject(e instanceof Error ? e : new Error(String(e)));
  }
  let info = versions.get(path);
  if (!info) {
    info = probeVersion(path, opts.env);
    versions.set(path, info);
  }
  return info;
}

async function probeVersion(path: string, env: NodeJS.ProcessEnv | undefined): Promise<VerilatorInfo> {
  const r = await execa(path, ['--version'], { reject: false, env, extendEnv: env === undefined });
  const m = /Verilator (\d+)\.(\d+)/.exec(r.stdout);
  if (r.failed || !m) {
    throw new Error(`'${path} --version' did not report a Verilator version (${r.shortMessage}); ${INSTALL_HINT}`);
  }
  const major = Number(m[1]);
  if (major < MIN_MAJOR) {
    throw new Error(`Verilator ${m[1]}.${m[2]} at '${path}' is too old: the harness needs ${MIN_MAJOR}.x; ${INSTALL_HINT}`);
  }
  return { path, version: `${m[1]}.${m[2]}` };
}

// The build is split into Verilator's C++ generation and our own `make` run (what --build
// does) so that the Verilator runtime objects, which take most of the compile time of a small
// design and do not depend on it, can be compiled once and shared by every design.
const FLAGS = [
  '--cc',
  '--exe',
  '-O3',
  // Lint is the emitter's job (its tests run -Wall); a warning must not stop a simulation.
  '-Wno-fatal',
  '--assert',
];
// Verilator's makefiles compile the model with -Os. -O1: measured on this 2-core machine, the small
// chip top compiles in 41.6 s instead of 61.3 s at -O2 (no ccache hits), and the paper chip runs
// sparse MobileNet's 28 layers in 32.9 s against 32.5 s at -O2: builds dominate, so -O1 wins.
const MAKE_VARS = ['OPT_FAST=-O1'];

export interface BuildPlan {
  waves: boolean;
  xUnique: boolean;
  threads: number;
  hierBlocks: string[];
}

/** What a build makes of the design and options; exported for its tests. */
export function planOf(design: ResolvedDesign, opts: BuildOptions): BuildPlan {
  const threads = opts.threads ?? 1;
  if (!Number.isInteger(threads) || threads < 1) throw new Error(`threads must be a whole number >= 1, got ${threads}`);
  const waves = opts.waves ?? false;
  // A waveform build is flat: Verilator traces no signal inside a hierarchical block, and 5.006
  // crashes in trace() on a block instantiated more than once (Verilator issue 5027, fixed in 5.024).
  return { waves, xUnique: opts.xUnique ?? false, threads, hierBlocks: opts.hierarchical === false || waves ? [] : design.hierBlocks };
}

function verilatorArgs(design: ResolvedDesign, plan: BuildPlan, tmp: string, driver: DriverSources, config: string | undefined): string[] {
  return [
    ...FLAGS,
    ...(plan.waves ? ['--trace-fst'] : []),
    ...(plan.xUnique ? ['--x-assign', 'unique', '--x-initial', 'unique'] : []),
    ...(plan.threads > 1 ? ['--threads', String(plan.threads)] : []),
    ...(config ? ['--hierarchical', config] : []),
    '--top-module',
    design.top,
    '--Mdir',
    join(tmp, 'obj'),
    '-o',
    'sim',
    // The generated ports.h and the fixed driver files sit side by side in the build folder.
    '-CFLAGS',
    `-I${tmp}`,
    ...driver.sources.map((f) => join(tmp, f)),
    ...design.files,
  ];
}

/** A short content hash over the parts, for build-cache keys. */
export function hash(...parts: (string | Buffer)[]): string {
  const h = createHash('sha256');
  for (const p of parts) h.update(p).update('\0');
  return h.digest('hex').slice(0, 20);
}

async function cacheKey(design: ResolvedDesign, info: VerilatorInfo, plan: BuildPlan, driver: DriverSources): Promise<string> {
  const parts: (string | Buffer)[] = [JSON.stringify({ verilator: info.version, flags: FLAGS, make: MAKE_VARS, ...plan, top: design.top }), driver.portTable];
  for (const f of driver.fixed) parts.push(f.file, f.text);
  for (const f of design.files) parts.push(basename(f), await readFile(f));
  return hash(...parts);
}

/** Pulls the lines that say what went wrong out of a long build log. */
function buildErrorSummary(log: string): string {
  const lines = log.split('\n');
  const relevant = lines.filter((l) => /%Error|error:|Error \d+|undefined reference/.test(l));
  const picked = relevant.length > 0 ? relevant.slice(0, 40) : lines.slice(-40);
  return picked.join('\n');
}

const isRuntimeObject = (f: string): boolean => /^verilated.*\.o$/.test(f);

/**
 * Copies precompiled runtime objects into a fresh Verilator output directory. The copies are
 * newer than the generated makefile, so make takes them as up to date instead of recompiling.
 */
async function reuseRuntime(runtime: string, mdir: string): Promise<boolean> {
  if (!existsSync(runtime)) return false;
  for (const f of (await readdir(runtime)).filter(isRuntimeObject)) await copyFile(join(runtime, f), join(mdir, f));
  return true;
}

async function keepRuntime(runtime: string, mdir: string): Promise<void> {
  await fillCacheEntry(runtime, async (tmp) => {
    for (const f of (await readdir(mdir)).filter(isRuntimeObject)) await copyFile(join(mdir, f), join(tmp, f));
  });
}

/**
 * Builds the design with its generated driver, or reuses the cached binary when the Verilog,
 * the driver and the options are unchanged (fillCacheEntry keeps concurrent builders apart).
 */
export async function buildSimulator(design: ResolvedDesign, opts: BuildOptions = {}): Promise<BuildResult> {
  const started = performance.now();
  const info = await findVerilator(opts);
  const plan = planOf(design, opts);
  const driver = await generateDriver(design);
  const cacheDir = opts.cacheDir ?? simCacheDir(opts.env);
  const key = await cacheKey(design, info, plan, driver);
  const dir = join(cacheDir, `${design.top}-${key}`);
  const binary = join(dir, 'sim');
  if (existsSync(binary)) return { binary, dir, cached: true, ms: performance.now() - started };

  const log = opts.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const blocks = plan.hierBlocks.length > 0 ? `hierarchical blocks ${plan.hierBlocks.join(', ')}` : 'flat';
  log(
    `[tb] building ${design.top} with Verilator ${info.version} (${blocks}${plan.threads > 1 ? `, ${plan.threads} threads` : ''}${plan.waves ? ', FST waves' : ''})`,
  );
  await fillCacheEntry(dir, (tmp) => compile(design, { info, plan, driver, cacheDir, key, tmp, opts }));
  const ms = performance.now() - started;
  log(`[tb] built ${design.top} in ${(ms / 1000).toFixed(1)} s (cached in ${dir})`);
  return { binary, dir, cached: false, ms };
}

interface CompileJob {
  info: VerilatorInfo;
  plan: BuildPlan;
  driver: DriverSources;
  cacheDir: string;
  key: string;
  tmp: string;
  opts: BuildOptions;
}

/** Verilates and compiles into `tmp`, leaving only `tmp/sim` and the driver's C++ it was built from behind. */
async function compile(design: ResolvedDesign, job: CompileJob): Promise<void> {
  const { info, plan, cacheDir, key, tmp, opts } = job;
  await writeFile(join(tmp, 'ports.h'), job.driver.portTable);
  for (const f of job.driver.fixed) await writeFile(join(tmp, f.file), f.text);
  let config: string | undefined;
  if (plan.hierBlocks.length > 0) {
    config = join(tmp, 'hier.vlt');
    await writeFile(config, verilatorConfig(plan.hierBlocks));
  }
  const mdir = join(tmp, 'obj');
  const env = { ...(opts.env ?? process.env), ...objectCache(cacheDir, tmp, opts.env) };
  const run = async (what: string, file: string, args: string[]): Promise<void> => {
    // Hierarchical Verilation runs make in the working directory, so it is the build's own.
    const r = await execa(file, args, { reject: false, all: true, cwd: tmp, env, extendEnv: false, timeout: 60 * 60_000 });
    if (!r.failed) return;
    if (r.code === 'ENOENT') throw new Error(`${file} not found on PATH; install it with \`sudo apt-get install -y make g++\``);
    const logFile = join(cacheDir, `failed-${design.top}-${key}.log`);
    await writeFile(logFile, `${file} ${args.join(' ')}\n\n${r.all ?? ''}`);
    throw new Error(
      `${what} '${design.top}' (${(r.shortMessage ?? `exit code ${r.exitCode}`).split('\n')[0]}):\n` +
        `${buildErrorSummary(r.all ?? '')}\nfull log: ${logFile}`,
    );
  };
  await run('Verilator could not build', info.path, verilatorArgs(design, plan, tmp, job.driver, config));
  const runtime = join(cacheDir, `runtime-${hash(info.version, JSON.stringify(FLAGS), JSON.stringify(MAKE_VARS), String(plan.waves), String(plan.threads))}`);
  const reused = await reuseRuntime(runtime, mdir);
  const jobs = opts.jobs ?? availableParallelism();
  const objcache = env.OBJCACHE !== undefined ? [`OBJCACHE=${env.OBJCACHE}`] : [];
  await run('the C++ compiler could not build', 'make', ['-C', mdir, '-f', `V${design.top}.mk`, '-j', String(jobs), ...MAKE_VARS, ...objcache]);
  if (!reused) await keepRuntime(runtime, mdir);
  await rename(join(mdir, 'sim'), join(tmp, 'sim'));
  // Object files are only needed to rebuild, which a cache hit never does.
  await rm(mdir, { recursive: true, force: true });
}

/**
 * ccache, when installed, keeps compiled objects by content beside the build cache: a design
 * whose hierarchical block did not change (a new chip size around the same cluster, say)
 * compiles none of the block again. Paths are taken relative to the private build folder so
 * that two builds of the same C++ share their objects.
 */
function objectCache(cacheDir: string, tmp: string, env: NodeJS.ProcessEnv | undefined): Record<string, string> {
  const ccache = findOnPath('ccache', env);
  if (!ccache) return {};
  return { OBJCACHE: ccache, CCACHE_DIR: join(cacheDir, 'ccache'), CCACHE_BASEDIR: tmp, CCACHE_NOHASHDIR: '1' };
}
