import { createHash } from 'node:crypto';
import path from 'node:path';
import { elaborate, emitDesign, writeDesign, type IoHandles, type ModuleDef } from '../generator/dsl/index.js';
import type { TypedSources } from './io.js';
import { repoRoot } from './paths.js';

/**
 * Elaborates a DSL module, writes its Verilog under build/gen/<top>-<hash>/ and returns what
 * the harness and the lint gates need. The folder name includes a hash of the Verilog, so
 * concurrent test files never overwrite each other's sources.
 */
export async function emitForSim<P, IO extends IoHandles>(def: ModuleDef<P, IO>, params: P): Promise<TypedSources<IO>> {
  const design = elaborate(def, params);
  const top = design.top!;
  const texts = emitDesign(design);
  const hash = createHash('sha256');
  for (const [name, text] of texts) hash.update(name).update(text);
  const dir = path.join(repoRoot, 'build', 'gen', `${top.name}-${hash.digest('hex').slice(0, 12)}`);
  const written = await writeDesign(design, dir, {}, texts);
  const ports = [
    ...(top.usesClock ? [{ name: 'clock', direction: 'input' as const, width: 1 }] : []),
    ...(top.usesReset ? [{ name: 'reset', direction: 'input' as const, width: 1 }] : []),
    ...top.ports.map((p) => ({ name: p.name, direction: p.direction, width: p.type.width })),
  ];
  const io = top.io.map((d) => ({ name: d.name, type: d.type }));
  return { top: top.name, files: written.files, ports, hierBlocks: written.hierBlocks, io };
}
