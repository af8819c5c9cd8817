import { createHash, randomBytes } from 'node:crypto';
import { accessSync, constants as fsConstants, existsSync, statSync } from 'node:fs';
import { copyFile, mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { basename, delimiter, join } from 'node:path';
import { execa } from 'execa';
import type { ResolvedDesign } from './design.js';
import { generateDriver } from './driver.js';
import { defaultCacheDir } from './paths.js';

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
  cacheDir?: string;
}

export interface BuildResult {
  binary: string;
  /** Cache entry holding the binary and the generated driver source. */
  dir: string;
  /** True when an earlier build was reused. */
  cached: boolean;
  ms: number;
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, fsConstants.X_OK);
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

function locate(opts: BuildOptions): string {
  if (opts.verilator !== undefined) {
    if (isExecutable(opts.verilator)) return opts.verilator;
    throw new Error(`Verilator not found at '${opts.verilator}'; ${INSTALL_HINT}, or pass the path of an installed verilator`);
  }
  const PATH = (opts.env ?? process.env).PATH ?? '';
  for (const dir of PATH.split(delimiter)) {
    if (dir === '') continue;
    const candidate = join(dir, 'verilator');
    if (isExecutable(candidate)) return candidate;
  }
  throw new Error(`Verilator not found on PATH; ${INSTALL_HINT}`);
}

const versions = new Map<string, Promise<VerilatorInfo>>();

/** Finds Verilator and checks it is new enough; the version probe runs once per executable. */
export function findVerilator(opts: BuildOptions = {}): Promise<VerilatorInfo> {
  let path: string;
  try {
    path = locate(opts);
  } catch (e) {
    return Promise.reject(e);
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
// does) so that the Verilator runtime objects, which take most of the compile time and do not
// depend on the design, can be compiled once and shared by every design.
const FLAGS = [
  '--cc', '--exe', '-O3',
  // Lint is the emitter's job (its tests run -Wall); a warning must not stop a simulation.
  '-Wno-fatal',
  '--assert',
];

function verilatorArgs(design: ResolvedDesign, waves: boolean, mdir: string, driver: string): string[] {
  return [
    ...FLAGS,
    ...(waves ? ['--trace-fst'] : []),
    '--top-module', design.top,
    '--Mdir', mdir,
    '-o', 'sim',
    driver,
    ...design.files,
  ];
}

function hash(...parts: (string | Buffer)[]): string {
  const h = createHash('sha256');
  for (const p of parts) h.update(p).update('\0');
  return h.digest('hex').slice(0, 20);
}

async function cacheKey(design: ResolvedDesign, info: VerilatorInfo, waves: boolean, driver: string): Promise<string> {
  const parts: (string | Buffer)[] = [JSON.stringify({ verilator: info.version, flags: FLAGS, waves, top: design.top }), driver];
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
  const tmp = `${runtime}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
  await mkdir(tmp);
  try {
    for (const f of (await readdir(mdir)).filter(isRuntimeObject)) await copyFile(join(mdir, f), join(tmp, f));
    await rename(tmp, runtime);
  } catch (e) {
    // A concurrent build kept an identical runtime first.
    if (!existsSync(runtime)) throw e;
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}

/**
 * Builds the design with its generated driver, or reuses the cached binary when the Verilog,
 * the driver and the options are unchanged. Builds happen in a private directory renamed into
 * place at the end, so concurrent builders of one design never see a half-built entry.
 */
export async function buildSimulator(design: ResolvedDesign, opts: BuildOptions = {}): Promise<BuildResult> {
  const started = performance.now();
  const info = await findVerilator(opts);
  const waves = opts.waves ?? false;
  const driver = generateDriver(design);
  const cacheDir = opts.cacheDir ?? defaultCacheDir;
  const key = await cacheKey(design, info, waves, driver);
  const dir = join(cacheDir, `${design.top}-${key}`);
  const binary = join(dir, 'sim');
  if (existsSync(binary)) return { binary, dir, cached: true, ms: performance.now() - started };

  await mkdir(cacheDir, { recursive: true });
  const tmp = join(cacheDir, `.tmp-${design.top}-${key}-${process.pid}-${randomBytes(4).toString('hex')}`);
  await mkdir(tmp, { recursive: true });
  try {
    const driverPath = join(tmp, 'driver.cpp');
    await writeFile(driverPath, driver);
    const mdir = join(tmp, 'obj');
    const run = async (what: string, file: string, args: string[]): Promise<void> => {
      const r = await execa(file, args, { reject: false, all: true, env: opts.env, extendEnv: opts.env === undefined, timeout: 60 * 60_000 });
      if (!r.failed) return;
      if (r.code === 'ENOENT') throw new Error(`${file} not found on PATH; install it with \`sudo apt-get install -y make g++\``);
      const log = join(cacheDir, `failed-${design.top}-${key}.log`);
      await writeFile(log, `${file} ${args.join(' ')}\n\n${r.all ?? ''}`);
      throw new Error(
        `${what} '${design.top}' (${(r.shortMessage ?? `exit code ${r.exitCode}`).split('\n')[0]}):\n` +
          `${buildErrorSummary(r.all ?? '')}\nfull log: ${log}`,
      );
    };
    await run('Verilator could not build', info.path, verilatorArgs(design, waves, mdir, driverPath));
    const runtime = join(cacheDir, `runtime-${hash(info.version, JSON.stringify(FLAGS), String(waves))}`);
    const reused = await reuseRuntime(runtime, mdir);
    await run('the C++ compiler could not build', 'make', ['-C', mdir, '-f', `V${design.top}.mk`, '-j', '2']);
    if (!reused) await keepRuntime(runtime, mdir);
    await rename(join(mdir, 'sim'), join(tmp, 'sim'));
    // Object files are only needed to rebuild, which a cache hit never does.
    await rm(mdir, { recursive: true, force: true });
    try {
      await rename(tmp, dir);
    } catch (e) {
      // Another worker finished the same build first; its entry is identical, so use it.
      if (!existsSync(binary)) throw e;
    }
    return { binary, dir, cached: false, ms: performance.now() - started };
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}
