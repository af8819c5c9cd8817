import { emitForSim } from '../tb/dsl.js';
import { Simulator } from '../tb/sim.js';
import { EyerissTop, chipParamsFromArch } from '../generator/eyeriss/chip/index.js';
import { namedArchs } from '../generator/eyeriss/archs.js';
const t0 = Date.now();
const sim = await Simulator.start(await emitForSim(EyerissTop, chipParamsFromArch(namedArchs[process.argv[2] ?? 'small']!)), { name: 'top', timeoutMs: 3_600_000 });
console.log('built+started', (Date.now() - t0) / 1000, 's');
await sim.close();
