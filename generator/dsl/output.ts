import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { emitModule, GENERATED_HEADER } from './emit.js';
import type { Design } from './module.js';

export interface EmittedDesign {
  top: string;
  /** Absolute paths, children before parents. */
  files: string[];
  filelist: string;
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
 * Removes a file the manifest lists only if this writer could have made it: a plain name, and
 * a filelist, a Verilog file that starts with the generated header, or a Verilator config as
 * this writer writes them. A manifest can be edited or copied, so it alone never gets a user's
 * file deleted.
 */
async function removeOwn(dir: string, name: string): Promise<void> {
  if (!isPlainName(name)) return;
  const file = path.join(dir, name);
  const text = (): Promise<string> => readFile(file, 'utf8').catch(() => '');
  if (name.endsWith('.v')) {
    if (!(await text()).startsWith(GENERATED_HEADER)) return;
  } else if (name.endsWith('.vlt')) {
    if (!OWN_CONFIG.test(await text())) return;
  } else if (!name.endsWith('.f')) {
    return;
  }
  await rm(file, { force: true });
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
 * `verilator -F`), with `<top>.vlt` first in it when the design has hierarchical blocks. A manifest records what this writer put in the folder; any such file
 * that no filelist there names any more (a renamed module, say) is removed, while files the
 * user put in the folder are never touched.
 */
export async function writeDesign(design: Design, outDir: string, opts: WriteOptions = {}, texts = emitDesign(design)): Promise<EmittedDesign> {
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

  const readLines = (f: string) =>
    readFile(path.join(dir, f), 'utf8').then(
      (t) => t.split('\n').filter(Boolean),
      () => undefined,
    );
  const previous = ((await readLines(MANIFEST)) ?? []).filter(isPlainName);
  const filelists = [...new Set([...previous.filter((f) => f.endsWith('.f')), filelistName])];
  const live = new Set<string>();
  for (const f of filelists) {
    const listed = await readLines(f);
    if (!listed) continue;
    live.add(f);
    for (const v of listed) live.add(v);
  }
  for (const old of previous) if (!live.has(old)) await removeOwn(dir, old);
  await writeFile(path.join(dir, MANIFEST), [...live].sort().join('\n') + '\n');
  return { top: design.top.name, files: names.map((n) => path.join(dir, n)), filelist: path.join(dir, filelistName), texts, hierBlocks };
}

/**
 * After writing a complete set of tops into `outDir` (one `generate` run): removes every file
 * the writer put there earlier that none of `filelists` names, including the filelists of tops
 * that no longer exist (a module renamed by a new parameter, say). The user's files stay.
 */
export async function pruneDesigns(outDir: string, filelists: readonly string[]): Promise<string[]> {
  const dir = path.resolve(outDir);
  const manifest = (await readFile(path.join(dir, MANIFEST), 'utf8').catch(() => '')).split('\n').filter((f) => f !== '' && isPlainName(f));
  const live = new Set<string>();
  for (const f of filelists) {
    const name = path.basename(f);
    live.add(name);
    for (const v of (await readFile(path.join(dir, name), 'utf8')).split('\n').filter(Boolean)) live.add(v);
  }
  const removed = manifest.filter((f) => !live.has(f));
  for (const old of removed) await removeOwn(dir, old);
  await writeFile(path.join(dir, MANIFEST), [...live].sort().join('\n') + '\n');
  return removed;
}
