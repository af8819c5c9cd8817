// `npm run bad-inputs`: a hostile user's inputs (issue 24), each a command line run in a fresh
// folder with a time limit, judged clear, accepted, unclear, misled, crash, hang or lost
// (scripts/bad-inputs/judge.ts). Prints the table by class and every case that is not as it
// should be; writes out/bad-inputs/report.md and report.json; exits 1 unless every refusal is
// clear and every valid input runs.
//
//   npm run bad-inputs [-- --jobs 2] [--only <text in the class or case>] [--out out/bad-inputs]
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Command } from 'commander';
import { execa } from 'execa';
import { repoRoot } from '../tb/paths.js';
import { badInputs, type BadInput } from './bad-inputs/cases.js';
import { judge, type Verdict } from './bad-inputs/judge.js';

const program = new Command('bad-inputs')
  .description('run every bad input of scripts/bad-inputs/cases.ts through the CLI and judge what it says')
  .option('--jobs <n>', 'cases at a time', '2')
  .option('--only <text>', 'only the cases whose class or name contains this text')
  .option('--timeout <s>', 'seconds before a case counts as hung', '120')
  .option('--out <dir>', 'where report.md and report.json go', 'out/bad-inputs');
program.parse();
const o = program.opts<{ jobs: string; only?: string; timeout: string; out: string }>();
const jobs = Number(o.jobs);
const timeoutS = Number(o.timeout);
if (!Number.isInteger(jobs) || jobs < 1) program.error(`error: --jobs must be a positive integer, got '${o.jobs}'`);
if (!(timeoutS > 0)) program.error(`error: --timeout must be a positive number of seconds, got '${o.timeout}'`);

const script = path.join(repoRoot, 'scripts', 'eyeriss.ts');
const VERDICTS: Verdict[] = ['clear', 'accepted', 'unclear', 'misled', 'crash', 'hang', 'lost'];

/** Every file under dir with its content hash. */
async function snapshot(dir: string): Promise<Map<string, string>> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  const files = entries.filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name));
  return new Map(
    await Promise.all(
      files.map(
        async (f) =>
          [
            path.relative(dir, f),
            createHash('sha256')
              .update(await readFile(f))
              .digest('hex'),
          ] as const,
      ),
    ),
  );
}

/** Tracked files under rtl-out/ that differ from git: a run must never touch the shipped Verilog. */
const rtlOutChanges = async (): Promise<string[]> =>
  (await execa('git', ['status', '--porcelain', '--', 'rtl-out'], { cwd: repoRoot })).stdout.split('\n').filter((l) => l.length > 0);

async function runCase(c: BadInput) {
  const dir = await mkdtemp(path.join(tmpdir(), 'eyeriss-bad-'));
  try {
    await c.setup?.(dir);
    const before = await snapshot(dir);
    const r = await execa(process.execPath, ['--import', 'tsx', script, ...c.args(dir)], {
      cwd: repoRoot,
      reject: false,
      timeout: timeoutS * 1000,
      killSignal: 'SIGKILL',
    });
    const after = await snapshot(dir);
    const changed = [...before].filter(([f, h]) => after.get(f) !== h && !(c.mayChange ?? []).includes(f)).map(([f]) => f);
    const { verdict, why } = judge(c, {
      exitCode: r.exitCode,
      signal: r.timedOut ? undefined : r.signal,
      timedOut: r.timedOut,
      stderr: r.stderr,
      changed,
    });
    return { cls: c.cls, what: c.what, verdict, why, exitCode: r.exitCode, message: r.stderr.trim().split('\n')[0] ?? '' };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const cases = badInputs().filter((c) => o.only === undefined || `${c.cls} ${c.what}`.includes(o.only));
if (cases.length === 0) program.error(`error: no case matches --only '${o.only}'`);
if ((await rtlOutChanges()).length > 0)
  program.error('error: rtl-out/ differs from git already; fix: commit or restore it first, so that a case that touches it can be seen');
const started = Date.now();
const results: Awaited<ReturnType<typeof runCase>>[] = [];
let next = 0;
await Promise.all(
  Array.from({ length: jobs }, async () => {
    for (let i = next++; i < cases.length; i = next++) {
      results[i] = await runCase(cases[i]!);
      process.stdout.write(`${String(i + 1).padStart(4)}/${cases.length} ${results[i]!.verdict.padEnd(8)} ${cases[i]!.cls}: ${cases[i]!.what}\n`);
    }
  }),
);
const touched = await rtlOutChanges();

const classes = [...new Set(results.map((r) => r.cls))];
const count = (rs: typeof results, v: Verdict) => rs.filter((r) => r.verdict === v).length;
const rows = classes.map((cls) => {
  const rs = results.filter((r) => r.cls === cls);
  return `| ${cls} | ${rs.length} | ${VERDICTS.map((v) => count(rs, v)).join(' | ')} |`;
});
const total = `| **all** | ${results.length} | ${VERDICTS.map((v) => count(results, v)).join(' | ')} |`;
const table = [`| class | cases | ${VERDICTS.join(' | ')} |`, `|---|---:|${VERDICTS.map(() => '---:').join('|')}|`, ...rows, total];
const bad = results.filter((r) => r.verdict !== 'clear' && r.verdict !== 'accepted');
const md = [
  '# Bad inputs',
  '',
  `Made by \`npm run bad-inputs\` (${results.length} cases, ${((Date.now() - started) / 1000).toFixed(0)} s). clear = refused with a message that names the problem, no stack trace, no raw system error; accepted = a valid input among them that ran; unclear = refused without naming it; misled = exit 0 on a bad input, or a valid one refused; lost = a file the case wrote changed or went.`,
  '',
  ...table,
  '',
  ...(bad.length > 0 ? ['## Not as they should be', '', ...bad.map((r) => `- ${r.verdict}: ${r.cls}: ${r.what}: ${r.why}`), ''] : []),
  ...(touched.length > 0 ? [`rtl-out/ changed during the run: ${touched.join(', ')}`, ''] : []),
  '## Every case',
  '',
  '| class | case | verdict | first line of the message |',
  '|---|---|---|---|',
  ...results.map((r) => `| ${r.cls} | ${r.what} | ${r.verdict} | ${r.message.replace(/\|/g, '\\|').slice(0, 160)} |`),
  '',
].join('\n');
await mkdir(o.out, { recursive: true });
await writeFile(path.join(o.out, 'report.md'), md);
await writeFile(path.join(o.out, 'report.json'), JSON.stringify({ cases: results, rtlOutChanged: touched }, null, 2) + '\n');
console.log(['', ...table].join('\n'));
for (const r of bad) console.log(`${r.verdict}: ${r.cls}: ${r.what}: ${r.why}`);
if (touched.length > 0) console.log(`rtl-out/ changed: ${touched.join(', ')}`);
console.log(`report: ${path.join(o.out, 'report.md')}`);
process.exitCode = bad.length > 0 || touched.length > 0 ? 1 : 0;
