// `npm run mutate`: mutation testing of the RTL generator. Every mutant (scripts/mutate/mutants.ts)
// of generator/eyeriss/ is applied in a private copy of the project; one whose Verilog does not
// change is equivalent; the others meet the block's RTL suites, then the chip's, until one fails.
// Prints the score (killed / non-equivalent) and every survivor with its diff.
//
//   npm run mutate                                   every mutant (hours on 2 cores)
//   npm run mutate -- --sample 60 --seed 1           a random sample, for an estimate of the score
//   npm run mutate -- --files 'noc/' --jobs 2        the mutants of matching files only
//
// A sample is judged in its random order and the report is rewritten after every mutant, so a run
// stopped early leaves a smaller random sample, not the alphabetically first files.
import { availableParallelism } from 'node:os';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Command } from 'commander';
import { execa } from 'execa';
import { makeRng } from '../tb/seed.js';
import { mutantDiff, mutantsOf, type Mutant } from './mutate/mutants.js';
import { judge, makeCopy, verilogHash, type MutantResult } from './mutate/worker.js';
import { wilson } from './mutate/wilson.js';

const program = new Command('mutate')
  .description('mutation testing of the RTL generator against the RTL suites')
  .option('--files <regex>', 'only files of generator/eyeriss/ whose path matches')
  .option('--sample <n>', 'judge a random sample of n mutants')
  .option('--seed <n>', 'seed of the sample', '1')
  .option('--jobs <n>', 'mutants judged at once', String(Math.max(1, availableParallelism())))
  .option('--timeout <s>', 'seconds per stage of suites before a mutant counts as hanging the tests', '1200')
  .option('--out <dir>', 'where report.json and survivors.md go', 'out/mutate');
program.parse();
const o = program.opts<{ files?: string; sample?: string; seed: string; jobs: string; timeout: string; out: string }>();
const fail = (message: string): never => program.error(`error: ${message}`);
const count = (name: string, text: string): number => {
  const n = Number(text);
  return Number.isInteger(n) && n >= 1 ? n : fail(`${name} must be a positive integer, got '${text}'`);
};
const jobs = count('--jobs', o.jobs);
const timeoutMs = count('--timeout', o.timeout) * 1000;
let filter: RegExp | undefined;
try {
  filter = o.files === undefined ? undefined : new RegExp(o.files);
} catch (e) {
  fail(`--files is not a regular expression: ${(e as Error).message}`);
}

const root = path.resolve(import.meta.dirname, '..');
const sources = (await execa('git', ['ls-files', 'generator/eyeriss'], { cwd: root })).stdout
  .split('\n')
  .filter((f) => f.endsWith('.ts') && (filter === undefined || filter.test(f)));
const texts = new Map<string, string>();
for (const f of sources) texts.set(f, await readFile(path.join(root, f), 'utf8'));
const everyMutant: Mutant[] = sources.flatMap((f) => mutantsOf(f, texts.get(f)!));
const population = everyMutant.length;
let mutants = everyMutant;
if (mutants.length === 0) fail(`no mutants in generator/eyeriss/${o.files ? ` matching '${o.files}'` : ''}`);
if (o.sample !== undefined) {
  const rng = makeRng(count('--seed', o.seed));
  const n = Math.min(count('--sample', o.sample), mutants.length);
  const pool = [...everyMutant];
  mutants = Array.from({ length: n }, () => pool.splice(rng.int(0, pool.length - 1), 1)[0]!);
}

const work = path.join(root, 'build', 'mutate');
const simCache = path.join(work, 'sim-cache');
console.log(`${mutants.length} mutants of ${sources.length} files, ${jobs} at a time; copies of the project under ${work}`);
const copies = Array.from({ length: Math.min(jobs, mutants.length) }, (_, k) => path.join(work, `copy-${k}`));
for (const c of copies) await makeCopy(root, c);
const baseline = { small: await verilogHash(copies[0]!, 'small'), all: await verilogHash(copies[0]!, 'all') };

const results: MutantResult[] = [];
const started = Date.now();
await mkdir(path.resolve(o.out), { recursive: true });

/** The score so far; for a sample, with its 95 % Wilson interval as an estimate of the whole set's. */
function tally() {
  const n = (v: MutantResult['verdict']): number => results.filter((r) => r.verdict === v).length;
  const detected = n('killed') + n('timeout');
  const nonEquivalent = detected + n('survived');
  const score = nonEquivalent === 0 ? 1 : detected / nonEquivalent;
  const interval = results.length < population && nonEquivalent > 0 ? wilson(detected, nonEquivalent) : undefined;
  const counts = { killed: n('killed'), timeout: n('timeout'), survived: n('survived'), equivalent: n('equivalent') };
  return { score, interval, detected, nonEquivalent, counts };
}

async function writeReport(complete: boolean): Promise<string[]> {
  const { score, interval, counts } = tally();
  const survivors = results.filter((r) => r.verdict === 'survived').sort((a, b) => a.mutant.id.localeCompare(b.mutant.id));
  const diffs = survivors.map((r) => mutantDiff(texts.get(r.mutant.file)!, r.mutant));
  const report = { complete, judged: results.length, planned: mutants.length, population, score, interval95: interval, ...counts, results };
  await writeFile(path.resolve(o.out, 'report.json'), `${JSON.stringify(report, null, 2)}\n`);
  await writeFile(path.resolve(o.out, 'survivors.md'), `# Surviving mutants\n\n${diffs.map((d) => `\`\`\`diff\n${d}\n\`\`\``).join('\n\n')}\n`);
  return diffs;
}

let next = 0;
await Promise.all(
  copies.map(async (dir) => {
    while (next < mutants.length) {
      const m = mutants[next++]!;
      const r = await judge(dir, m, { baseline, simCache, timeoutMs });
      results.push(r);
      await writeReport(false);
      console.log(`[${results.length}/${mutants.length}] ${r.verdict.padEnd(10)} ${m.id}${r.by ? ` (${r.by})` : ''} ${r.seconds.toFixed(0)} s`);
    }
  }),
);

const diffs = await writeReport(true);
const { score, interval, detected, nonEquivalent, counts } = tally();
for (const d of diffs) console.log(`\nSURVIVED ${d}`);
const pct = (x: number): string => `${(100 * x).toFixed(1)} %`;
console.log(
  `\nmutation score ${pct(score)}: ${detected} killed (${counts.timeout} by a hang) of ${nonEquivalent} non-equivalent mutants; ` +
    `${counts.survived} survived, ${counts.equivalent} equivalent (no Verilog change); ${((Date.now() - started) / 60_000).toFixed(1)} min`,
);
if (interval)
  console.log(
    `a sample of ${results.length} of the ${population} mutants: the whole set's score is ${pct(interval[0])} to ${pct(interval[1])} (95 % Wilson interval)`,
  );
console.log(`wrote ${path.join(o.out, 'report.json')} and survivors.md`);
