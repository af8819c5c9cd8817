import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { emitModule } from './emit.js';
import type { Design } from './module.js';

export interface EmittedDesign {
  top: string;
  /** Absolute paths, children before parents. */
  files: string[];
  filelist: string;
  /** Module name -> the Verilog written for it. */
  texts: Map<string, string>;
}

const MANIFEST = '.eyeriss-files';

/** Module name -> Verilog text, in dependency order (children first). */
export function emitDesign(design: Design): Map<string, string> {
  const out = new Map<string, string>();
  for (const m of design.modules) out.set(m.name, emitModule(m));
  return out;
}

/**
 * Writes one `<module>.v` per module and `<top>.f` (paths relative to the filelist, for
 * `verilator -F`). A manifest records what this writer put in the folder; any such file
 * that no filelist there names any more (a renamed module, say) is removed, while files the
 * user put in the folder are never touched.
 */
export async function writeDesign(design: Design, outDir: string, texts = emitDesign(design)): Promise<EmittedDesign> {
  if (!design.top) throw new Error('writeDesign: the design has no top module (use elaborate())');
  const dir = path.resolve(outDir);
  await mkdir(dir, { recursive: true });
  const names = [...texts.keys()].map((n) => `${n}.v`);
  const filelistName = `${design.top.name}.f`;
  for (const [name, text] of texts) await writeFile(path.join(dir, `${name}.v`), text);
  await writeFile(path.join(dir, filelistName), names.join('\n') + '\n');

  const readLines = (f: string) =>
    readFile(path.join(dir, f), 'utf8').then(
      (t) => t.split('\n').filter(Boolean),
      () => undefined,
    );
  const previous = (await readLines(MANIFEST)) ?? [];
  const filelists = [...new Set([...previous.filter((f) => f.endsWith('.f')), filelistName])];
  const live = new Set<string>();
  for (const f of filelists) {
    const listed = await readLines(f);
    if (!listed) continue;
    live.add(f);
    for (const v of listed) live.add(v);
  }
  for (const old of previous) if (!live.has(old)) await rm(path.join(dir, old), { force: true });
  await writeFile(path.join(dir, MANIFEST), [...live].sort().join('\n') + '\n');
  return { top: design.top.name, files: names.map((n) => path.join(dir, n)), filelist: path.join(dir, filelistName), texts };
}

/**
 * After writing a complete set of tops into `outDir` (one `generate` run): removes every file
 * the writer put there earlier that none of `filelists` names, including the filelists of tops
 * that no longer exist (a module renamed by a new parameter, say). The user's files stay.
 */
export async function pruneDesigns(outDir: string, filelists: readonly string[]): Promise<string[]> {
  const dir = path.resolve(outDir);
  const manifest = (await readFile(path.join(dir, MANIFEST), 'utf8').catch(() => '')).split('\n').filter(Boolean);
  const live = new Set<string>();
  for (const f of filelists) {
    const name = path.basename(f);
    live.add(name);
    for (const v of (await readFile(path.join(dir, name), 'utf8')).split('\n').filter(Boolean)) live.add(v);
  }
  const removed = manifest.filter((f) => !live.has(f));
  for (const old of removed) await rm(path.join(dir, old), { force: true });
  await writeFile(path.join(dir, MANIFEST), [...live].sort().join('\n') + '\n');
  return removed;
}
