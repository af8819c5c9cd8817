import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { emitModule, GENERATED_HEADER } from './emit.js';
import { CORE_HEADER } from './handoff/fusesoc.js';
import { HASH_HEADER } from './handoff/filelists.js';
import { MEMORY_CSV_HEADER, MEMORY_LIST_GENERATOR } from './handoff/memories.js';
import type { Design } from './module.js';

export interface EmittedDesign {
  top: string;
  /** Absolute paths, children before parents. */
  files: string[];
  filelist: string;
  /** The Verilator configuration naming the hierarchical blocks, when there are any. */
  config?: string;
  /** Module name -> the Verilog written for it. */
  texts: Map<string, string>;
  /** Modules below the top that Verilator builds as hierarchical blocks (empty when switched off). */
  hierBlocks: string[];
}

export interface WriteOptions {
  /**
   * Writes `<top>.vlt`, naming the design's repeated blocks as Verilator hierarchical blocks,
   * and lists it in `<top>.f`; default true. Only `verilator --hierarchical` reads it.
   */
  hierBlocks?: boolean;
}

const MANIFEST = '.eyeriss-files';

/** A manifest entry naming a file in the folder itself; `../x` or `sub/x` was never written here. */
const isPlainName = (n: string): boolean => n === path.basename(n) && n !== '.' && n !== '..' && !n.includes('\\');

/** Exactly what verilatorConfig writes. */
const OWN_CONFIG = /^`verilator_config\n(hier_block -module "[A-Za-z_][A-Za-z0-9_]*"\n)*$/;

/**
 * How each kind of file this writer makes can be told from a user's: by its name and how it
 * starts. Longer suffixes first, so `x.memories.json` is judged as a memory list.
 */
const OWN_KINDS: readonly { suffix: string; own: (text: string) => boolean }[] = [
  { suffix: '.memories.json', own: (t) => t.startsWith(`{\n  "generator": ${JSON.stringify(MEMORY_LIST_GENERATOR)},`) },
  { suffix: '.memories.csv', own: (t) => t.startsWith(`${MEMORY_CSV_HEADER}\n`) },
  { suffix: '.icarus.f', own: (t) => t.startsWith(HASH_HEADER) },
  { suffix: '.yosys.tcl', own: (t) => t.startsWith(HASH_HEADER) },
  { suffix: '.sdc', own: (t) => t.startsWith(HASH_HEADER) },
  { suffix: '.core', own: (t) => t.startsWith(CORE_HEADER) },
  { suffix: '.v', own: (t) => t.startsWith(GENERATED_HEADER) },
  { suffix: '.vlt', own: (t) => OWN_CONFIG.test(t) },
  { suffix: '.f', own: () => true },
];

/**
 * Removes a file the manifest lists only if this writer could have made it: a plain name of
 * a kind it writes, starting as it starts such files. A manifest can be edited or copied, so
 * it alone never gets a user's file deleted.
 */
async function removeOwn(dir: string, name: string): Promise<void> {
  if (!isPlainName(name)) return;
  const kind = OWN_KINDS.find((k) => name.endsWith(k.suffix));
  if (!kind) return;
  const file = path.join(dir, name);
  if (kind.own(await readFile(file, 'utf8').catch(() => ''))) await rm(file, { force: true });
}

/** Module name -> Verilog text, in dependency order (children first). */
export function emitDesign(design: Design): Map<string, string> {
  const out = new Map<string, string>();
  for (const m of design.modules) out.set(m.name, emitModule(m));
  return out;
}

/** The modules of a design, the top excepted, whose definitions mark them as hierarchical blocks. */
export function hierBlocksOf(design: Design): string[] {
  return design.modules.filter((m) => m.hierBlock && m !== design.top).map((m) => m.name);
}

/**
 * A Verilator configuration file naming the hierarchical blocks. A config file rather than the
 * `hier_block` metacomment because every block is also a top of its own filelist, and Verilator
 * warns (HIERBLOCK, under -Wall) about a top that carries the metacomment.
 */
export function verilatorConfig(hierBlocks: readonly string[]): string {
  return ['`verilator_config', ...hierBlocks.map((m) => `hier_block -module "${m}"`), ''].join('\n');
}

/**
 * Writes one `<module>.v` per module and `<top>.f` (paths relative to the filelist, for
 * `verilator -F`), with `<top>.vlt` first in it when the design has hierarchical blocks.
 * Touches no manifest: `writeDesign` does that for one design, a caller writing several
 * (with more files beside them) records them all at once with `recordOutputs`.
 */
export async function writeDesignFiles(design: Design, outDir: string, opts: WriteOptions = {}, texts = emitDesign(design)): Promise<EmittedDesign> {
  if (!design.top) throw new Error('writeDesign: the design has no top module (use elaborate())');
  const dir = path.resolve(outDir);
  await mkdir(dir, { recursive: true });
  const names = [...texts.keys()].map((n) => `${n}.v`);
  const filelistName = `${design.top.name}.f`;
  for (const [name, text] of texts) await writeFile(path.join(dir, `${name}.v`), text);
  const hierBlocks = opts.hierBlocks === false ? [] : hierBlocksOf(design);
  const config = hierBlocks.length > 0 ? [`${design.top.name}.vlt`] : [];
  if (config.length > 0) await writeFile(path.join(dir, config[0]!), verilatorConfig(hierBlocks));
  await writeFile(path.join(dir, filelistName), [...config, ...names].join('\n') + '\n');
  return {
    top: design.top.name,
    files: names.map((n) => path.join(dir, n)),
    filelist: path.join(dir, filelistName),
    config: config.map((c) => path.join(dir, c))[0],
    texts,
    hierBlocks,
  };
}

const readLines = (file: string): Promise<string[] | undefined> =>
  readFile(file, 'utf8').then(
    (t) => t.split('\n').filter(Boolean),
    () => undefined,
  );

/**
 * Writes one design into a folder that may hold others: what an earlier write put there and
 * no filelist there still names (a renamed module, say) is removed; the user's files never are.
 */
export async function writeDesign(design: Design, outDir: string, opts: WriteOptions = {}, texts = emitDesign(design)): Promise<EmittedDesign> {
  const written = await writeDesignFiles(design, outDir, opts, texts);
  const dir = path.dirname(written.filelist);
  const previous = ((await readLines(path.join(dir, MANIFEST))) ?? []).filter(isPlainName);
  const filelists = [...new Set([...previous.filter((f) => f.endsWith('.f')), path.basename(written.filelist)])];
  const live = new Set<string>();
  for (const f of filelists) {
    const listed = await readLines(path.join(dir, f));
    if (!listed) continue;
    live.add(f);
    for (const v of listed) live.add(v);
  }
  await recordOutputs(dir, [...live]);
  return written;
}

/**
 * After writing a complete set of outputs into `outDir` (one `generate` run): records exactly
 * `live` (file names in the folder) as this writer's, and removes every file it put there
 * earlier that is not among them, such as the files of a top that no longer exists. The
 * user's files stay.
 */
export async function recordOutputs(outDir: string, live: readonly string[]): Promise<string[]> {
  const dir = path.resolve(outDir);
  const keep = new Set(live);
  const removed = ((await readLines(path.join(dir, MANIFEST))) ?? []).filter((f) => isPlainName(f) && !keep.has(f));
  for (const old of removed) await removeOwn(dir, old);
  await writeFile(path.join(dir, MANIFEST), [...keep].sort().join('\n') + '\n');
  return removed;
}
