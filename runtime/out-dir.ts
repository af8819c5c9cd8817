// Where a run writes (docs/run.md, "Where a run writes"). --out is checked before any work; a
// lock file stops a second run into the same folder; outputs are made in a fresh folder beside
// --out and moved in only when the run has finished, so --out never holds a mix of two runs or
// the start of one that failed or was stopped. Only files a run of this tool wrote are removed.
import {
  accessSync,
  constants,
  existsSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  unlinkSync,
  writeFileSync,
  closeSync,
} from 'node:fs';
import path from 'node:path';

/** Written last into --out: the files of the run that made the folder, `complete` once all are in place. */
export const RUN_MANIFEST = '.eyeriss-run.json';

interface RunManifest {
  complete: boolean;
  command: string;
  files: string[];
}

/** What a run writes at the top of --out: files, and folders it writes files into. */
export interface OutputNames {
  files: readonly string[];
  dirs: readonly string[];
}

// The only names a run writes; an old manifest listing anything else (edited, say) gets nothing deleted.
// (outputs/NN-name.npy covers a network layer's -u8, -iacts and -weights files too; layers/ holds import's tensors.)
const OWN_FILE =
  /^(output\.npy|output-u8\.npy|reference\.npy|iacts\.npy|weights\.npy|result\.json|layers\.md|layers\.csv|report\.html|summary\.json|waves\.fst|network\.json|quantization\.json|outputs\/\d\d+-[A-Za-z0-9._-]+\.npy|layers\/\d\d+-[A-Za-z0-9._-]+\.npy)$/;

const fail = (out: string, problem: string, fix: string): never => {
  throw new Error(`--out ${out}: ${problem}; fix: ${fix}`);
};

const reason = (e: unknown): string => (e as Error).message;

/** True when a process with this id runs (EPERM: it does, under another user). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Takes the lock file, replacing one left by a run that no longer exists. */
function takeLock(out: string, lock: string, command: string): void {
  for (let attempt = 0; ; attempt++) {
    try {
      const fd = openSync(lock, 'wx');
      writeFileSync(fd, `${JSON.stringify({ pid: process.pid, command, started: new Date().toISOString() })}\n`);
      closeSync(fd);
      return;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST')
        return fail(out, `cannot create the lock file ${lock} (${reason(e)})`, 'choose an --out in a folder you can write to');
    }
    let holder: { pid?: unknown; command?: unknown; started?: unknown } = {};
    try {
      holder = JSON.parse(readFileSync(lock, 'utf8')) as typeof holder;
    } catch {
      // Unreadable: taken as stale below unless it names a live process.
    }
    if (typeof holder.pid === 'number' && alive(holder.pid)) {
      fail(
        out,
        `another run (pid ${holder.pid}, started ${String(holder.started)}: ${String(holder.command)}) is writing this folder`,
        `wait for it to finish or give another --out; if no such run is active, delete ${lock}`,
      );
    }
    if (attempt > 0) fail(out, `the lock file ${lock} keeps coming back`, `delete it once no other run writes this folder`);
    rmSync(lock, { force: true });
  }
}

/** Every file under `dir`, relative, with '/' separators. */
function filesUnder(dir: string, prefix = ''): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? filesUnder(path.join(dir, e.name), `${prefix}${e.name}/`) : [`${prefix}${e.name}`],
  );
}

function readManifest(dir: string): string[] {
  try {
    const m = JSON.parse(readFileSync(path.join(dir, RUN_MANIFEST), 'utf8')) as Partial<RunManifest>;
    return Array.isArray(m.files) ? m.files.filter((f): f is string => typeof f === 'string' && OWN_FILE.test(f)) : [];
  } catch {
    return [];
  }
}

/**
 * Creates `folder` and its missing parents one at a time, each failure named. (Not mkdir's
 * recursive mode: under /proc it never returns.)
 */
export function makeFolder(out: string, folder: string): void {
  const missing: string[] = [];
  let ancestor = folder;
  while (!existsSync(ancestor)) {
    missing.unshift(ancestor);
    ancestor = path.dirname(ancestor);
  }
  if (!statSync(ancestor).isDirectory())
    fail(out, `${ancestor} is a file, so no folder can be made inside it`, 'give an --out whose parent folders are folders');
  for (const f of missing) {
    try {
      mkdirSync(f);
    } catch (e) {
      fail(out, `cannot create the folder ${f} (${reason(e)})`, 'choose an --out in a folder you can write to');
    }
  }
}

function refuseFile(out: string, dir: string): void {
  if (existsSync(dir) && !statSync(dir).isDirectory())
    fail(out, `${dir} exists and is not a folder`, 'give the path of a folder (it is created if needed), or move the file away');
}

/** For a command that writes straight into --out (generate): a folder, or nothing yet, made here. */
export function prepareFolder(out: string): void {
  const dir = path.resolve(out);
  refuseFile(out, dir);
  makeFolder(out, dir);
}

export class OutDir {
  private constructor(
    /** The absolute --out. */
    readonly dir: string,
    /** The fresh folder the run writes into. */
    readonly work: string,
    private readonly lock: string,
    private readonly command: string,
  ) {}

  /** Checks --out (a folder or nothing, writable, no other run in it) and makes the work folder beside it. */
  static open(out: string, command: string, names: OutputNames): OutDir {
    const dir = path.resolve(out);
    const parent = path.dirname(dir);
    refuseFile(out, dir);
    if (existsSync(dir)) {
      for (const [list, wantDir] of [
        [names.files, false],
        [names.dirs, true],
      ] as const) {
        for (const n of list) {
          const p = path.join(dir, n);
          if (existsSync(p) && statSync(p).isDirectory() !== wantDir) {
            fail(
              out,
              `${p} is ${wantDir ? 'a file' : 'a folder'}, where this run writes ${wantDir ? 'a folder of outputs' : 'a file'}`,
              'move it away or give another --out',
            );
          }
        }
      }
      try {
        accessSync(dir, constants.W_OK);
      } catch (e) {
        fail(out, `cannot write in ${dir} (${reason(e)})`, 'choose a folder you can write to');
      }
    }
    makeFolder(out, parent);
    const lock = path.join(parent, `.${path.basename(dir)}.eyeriss-lock`);
    takeLock(out, lock, command);
    // With the lock held no other run's work folder is live: any left is a killed run's.
    const prefix = `.${path.basename(dir)}.eyeriss-tmp-`;
    for (const f of readdirSync(parent)) if (f.startsWith(prefix)) rmSync(path.join(parent, f), { recursive: true, force: true });
    const work = path.join(parent, `${prefix}${process.pid}`);
    try {
      // Not mkdtemp, whose folder is private: renamed to --out, this one is an ordinary folder.
      mkdirSync(work);
    } catch (e) {
      rmSync(lock, { force: true });
      return fail(out, `cannot write in ${parent} (${reason(e)})`, 'choose an --out in a folder you can write to');
    }
    return new OutDir(dir, work, lock, command);
  }

  /**
   * Moves the work folder's files into --out: a rename of the whole folder when --out did not
   * exist, else file by file, the files an earlier run listed and this one does not write
   * removed, with a manifest that says incomplete until the last file is in.
   */
  commit(): void {
    const files = filesUnder(this.work);
    const manifest = (complete: boolean, list: string[]): string =>
      `${JSON.stringify({ complete, command: this.command, files: list } satisfies RunManifest, null, 2)}\n`;
    writeFileSync(path.join(this.work, RUN_MANIFEST), manifest(true, files));
    if (!existsSync(this.dir)) {
      renameSync(this.work, this.dir);
    } else {
      const old = readManifest(this.dir);
      writeFileSync(path.join(this.dir, RUN_MANIFEST), manifest(false, [...new Set([...old, ...files])]));
      for (const f of old) if (!files.includes(f)) rmSync(path.join(this.dir, f), { force: true });
      for (const f of files) {
        mkdirSync(path.dirname(path.join(this.dir, f)), { recursive: true });
        renameSync(path.join(this.work, f), path.join(this.dir, f));
      }
      renameSync(path.join(this.work, RUN_MANIFEST), path.join(this.dir, RUN_MANIFEST));
      rmSync(this.work, { recursive: true, force: true });
    }
    unlinkSync(this.lock);
  }

  /** Removes the work folder and the lock: --out keeps what it held before the run. */
  abandon(): void {
    rmSync(this.work, { recursive: true, force: true });
    rmSync(this.lock, { force: true });
  }
}

/**
 * Runs `body` with a work folder for --out and commits it when `body` returns; on an error or
 * Ctrl-C (SIGINT, SIGTERM) nothing reaches --out and the message says so.
 */
export async function withOutDir<T>(out: string, command: string, names: OutputNames, body: (work: string) => Promise<T>): Promise<T> {
  const o = OutDir.open(out, command, names);
  const stop = (signal: NodeJS.Signals): void => {
    o.abandon();
    console.error(`\nrun stopped (${signal}): nothing was written to ${o.dir}; what it held before is unchanged`);
    process.exit(signal === 'SIGINT' ? 130 : 143);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  try {
    const result = await body(o.work);
    o.commit();
    return result;
  } catch (e) {
    o.abandon();
    if (e instanceof Error) e.message += `\n(nothing was written to ${o.dir}; what it held before is unchanged)`;
    throw e;
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
  }
}
