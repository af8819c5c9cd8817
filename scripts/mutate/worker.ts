// One mutant judged in a private copy of the project: apply it, see whether the Verilog changes
// at all, then run its suites until one fails.
import { cp, mkdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { execa } from 'execa';
import { applyMutant, type Mutant } from './mutants.js';
import { stagesFor } from './suites.js';

export type MutantVerdict = 'killed' | 'survived' | 'equivalent' | 'timeout';

export interface MutantResult {
  mutant: Mutant;
  verdict: MutantVerdict;
  /** The suite file that killed it, or why it timed out. */
  by?: string;
  seconds: number;
}

/** A copy of the project's tracked and untracked (not ignored) files, sharing node_modules. */
export async function makeCopy(root: string, dir: string): Promise<void> {
  const { stdout } = await execa('git', ['ls-files', '--cached', '--others', '--exclude-standard', '-z'], { cwd: root });
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  for (const f of stdout.split('\0').filter((x) => x !== '' && !x.startsWith('rtl-out/'))) {
    await mkdir(path.dirname(path.join(dir, f)), { recursive: true });
    await cp(path.join(root, f), path.join(dir, f)).catch((e: NodeJS.ErrnoException) => {
      if (e.code !== 'ENOENT') throw e; // a tracked file deleted in the working tree
    });
  }
  await symlink(path.join(root, 'node_modules'), path.join(dir, 'node_modules'));
}

/** The hash of the Verilog of every arch, or of the small chip's only (scripts/mutate/verilog-hash.ts). */
export async function verilogHash(dir: string, scope: 'small' | 'all'): Promise<string> {
  const { stdout } = await execa('npx', ['tsx', 'scripts/mutate/verilog-hash.ts', ...(scope === 'small' ? ['small'] : [])], { cwd: dir });
  return stdout.trim();
}

export interface JudgeOptions {
  baseline: Record<'small' | 'all', string>;
  simCache: string;
  /** Per stage of suites, before the mutant counts as killed by a hang. */
  timeoutMs: number;
}

async function runSuites(dir: string, files: string[], o: JudgeOptions): Promise<{ failed: boolean; by?: string; timedOut: boolean }> {
  const r = await execa('npx', ['vitest', 'run', ...files, '--bail', '1', '--maxWorkers', '1', '--reporter', 'dot'], {
    cwd: dir,
    reject: false,
    timeout: o.timeoutMs,
    all: true,
    env: { EYERISS_SIM_CACHE: o.simCache, CI: '', EYERISS_JUNIT: '', NO_COLOR: '1', FORCE_COLOR: '0' },
  });
  if (r.timedOut) return { failed: true, by: `no verdict within ${o.timeoutMs / 1000} s`, timedOut: true };
  const by = /FAIL\s.*?(test\/[\w./-]+\.test\.ts)/.exec(r.all ?? '')?.[1];
  return { failed: r.exitCode !== 0, by: by ?? (r.exitCode !== 0 ? files.join(' ') : undefined), timedOut: false };
}

export async function judge(dir: string, m: Mutant, o: JudgeOptions): Promise<MutantResult> {
  const started = Date.now();
  const file = path.join(dir, m.file);
  const original = await readFile(file, 'utf8');
  const done = (verdict: MutantVerdict, by?: string): MutantResult => ({ mutant: m, verdict, by, seconds: (Date.now() - started) / 1000 });
  const refused = 'the generator refuses it (elaboration or emitter error)';
  const changes = async (scope: 'small' | 'all'): Promise<boolean | undefined> => {
    const hash = await verilogHash(dir, scope).catch(() => undefined);
    return hash === undefined ? undefined : hash !== o.baseline[scope];
  };
  await writeFile(file, applyMutant(original, m));
  try {
    // The small chip's Verilog first (seconds): a mutant that changes it needs no full hash unless
    // it survives, when only the full one can still show that another arch refuses it.
    const small = await changes('small');
    const all = small === false ? await changes('all') : undefined;
    const changed = small === false ? all : small;
    if (changed === undefined) return done('killed', refused);
    if (!changed) return done('equivalent');
    for (const stage of stagesFor(m.file)) {
      const r = await runSuites(dir, stage, o);
      if (r.timedOut) return done('timeout', r.by);
      if (r.failed) return done('killed', r.by);
    }
    const refusedElsewhere = all === undefined && (await changes('all')) === undefined;
    return refusedElsewhere ? done('killed', refused) : done('survived');
  } finally {
    await writeFile(file, original);
  }
}
