// Multi-pass reductions on the paper chip: what the GLB psum bank's read-modify-write costs
// against feeding the previous pass's psums into the bottom PE of the column (spec 3), counted
// from the programs' psum bank commands. Prints the markdown table of docs/rtl.md ("Multi-pass
// reductions"). `npx tsx scripts/psum-passes.ts`
import { getNetwork, networkLayerData, type NetworkName, type Sparsity } from '../golden/networks.js';
import { namedArchs } from '../spec/archs.js';
import { buildProgram } from '../runtime/rtl/program.js';
import { mapForRun } from '../runtime/run-layer.js';

const benchmarks: { title: string; net: NetworkName; variant: Sparsity; convOnly: boolean }[] = [
  { title: 'sparse MobileNet 0.5-128', net: 'mobilenet-0.5-128', variant: 'sparse', convOnly: false },
  { title: 'dense AlexNet CONV', net: 'alexnet', variant: 'dense', convOnly: true },
  { title: 'sparse AlexNet CONV', net: 'alexnet', variant: 'sparse', convOnly: true },
  { title: 'sparse GoogLeNet CONV', net: 'googlenet', variant: 'sparse', convOnly: true },
];
const arch = namedArchs.paper!;
const n = (x: number): string => x.toLocaleString('en-US');
console.log(
  '| network (paper chip) | multi-pass layers | first-pass words (write) | later-pass words | bank accesses, read-modify-write | bank accesses, injection | psum words on the NoC besides, injection | layers with a partial last pass |',
);
console.log('|---|---:|---:|---:|---:|---:|---:|---:|');
for (const b of benchmarks) {
  const net = getNetwork(b.net);
  let layers = 0,
    partial = 0,
    first = 0,
    later = 0;
  net.layers.forEach((nl, i) => {
    if (b.convOnly && nl.layer.type !== 'conv') return;
    const d = networkLayerData(net, i, b.variant, 1);
    const m = mapForRun(nl.layer, d.weights, arch);
    if (m.reduction.passes === 1) return;
    layers++;
    if (m.reduction.slices % m.stack.height !== 0) partial++;
    for (const cl of buildProgram(nl.layer, d, arch, m).clusters)
      for (const c of cl.commands) {
        if (c.kind !== 'psumIn') continue;
        if (c.accumulate) later += c.addr.count0;
        else first += c.addr.count0;
      }
  });
  console.log(`| ${b.title} | ${layers} | ${n(first)} | ${n(later)} | ${n(2 * later)} | ${n(2 * later)} | ${n(later)} | ${partial} |`);
}
