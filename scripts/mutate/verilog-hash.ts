// Prints one hash of the Verilog the generator emits for the shipped archs and the long
// regression's variants: `npm run mutate` runs it in a mutant's copy of the project, and a mutant
// whose hash equals the original's changes no hardware (it is equivalent, not survived).
import { createHash } from 'node:crypto';
import { namedArchs } from '../../spec/archs.js';
import { emitDesign } from '../../generator/dsl/index.js';
import { rtlTops } from '../../generator/eyeriss/generate.js';
import { variantPool } from '../../runtime/regress/plan.js';

const hash = createHash('sha256');
for (const arch of [...Object.values(namedArchs), ...variantPool(1, 8).slice(1)]) {
  for (const { design } of rtlTops(arch)) {
    for (const [name, text] of [...emitDesign(design)].sort(([a], [b]) => a.localeCompare(b))) hash.update(`${name}\n${text}\n`);
  }
}
console.log(hash.digest('hex'));
