// Prints one hash of the Verilog the generator emits: `npm run mutate` runs it in a mutant's copy
// of the project, and a mutant whose hash equals the original's changes no hardware (it is
// equivalent, not survived). With `small` as its argument it hashes the small chip's tops only: a
// quick first look, since most mutants change those and need no more to be known non-equivalent.
// Otherwise it hashes the shipped archs and the long regression's variants.
import { createHash } from 'node:crypto';
import { namedArchs } from '../../spec/archs.js';
import { emitDesign } from '../../generator/dsl/index.js';
import { rtlTops } from '../../generator/eyeriss/generate.js';
import { variantPool } from '../../runtime/regress/plan.js';

const archs = process.argv[2] === 'small' ? [namedArchs.small!] : [...Object.values(namedArchs), ...variantPool(1, 8).slice(1)];
const hash = createHash('sha256');
for (const arch of archs) {
  for (const { design } of rtlTops(arch)) {
    for (const [name, text] of [...emitDesign(design)].sort(([a], [b]) => a.localeCompare(b))) hash.update(`${name}\n${text}\n`);
  }
}
console.log(hash.digest('hex'));
