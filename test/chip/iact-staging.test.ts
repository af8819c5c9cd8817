// GLB iact staging on the chip RTL: layers whose later reuse windows (another tm of a chunk) replay iacts
// from the GLB iact banks run bit-exactly with random off-chip stalls, and the harness counts
// exactly the staged program's iact words at the chip boundary: the bypass program's words less
// the replayed ones, plus one header per segment.
import { describe, expect, it } from 'vitest';
import type { ArchConfig } from '../../spec/arch.js';
import { makeLayer, type LayerInput } from '../../golden/layers.js';
import { generateLayerData } from '../../golden/random.js';
import { namedArchs } from '../../spec/archs.js';
import { EyerissTop, chipParamsFromArch } from '../../generator/eyeriss/chip/index.js';
import { buildProgram } from '../../runtime/rtl/program.js';
import { makeRng } from '../../tb/seed.js';
import { testSeed } from '../../tb/testing.js';
import { useSimulator } from '../support/sim.js';
import { iactPortWords, runStalledOnChip } from '../support/chip-run.js';

function stagedOnChip(arch: ArchConfig, layers: LayerInput[]): void {
  const sim = useSimulator(EyerissTop, chipParamsFromArch(arch), `EyerissTop-${arch.name}`);
  for (const layer of layers) {
    it(`${layer.name}: iacts replayed from the GLB iact banks, bit-exact, with the staged stream's words at the boundary`, async (ctx) => {
      const seed = testSeed(ctx);
      const r = makeRng(seed);
      const l = makeLayer(layer);
      const d = generateLayerData(l, { iact: 0.6, weight: 0.5 }, r.u32());
      const prog = buildProgram(l, d, arch);
      const plain = buildProgram(l, d, arch, prog.mapping, { iactStaging: false });
      // A mapping that plans staging gets it on the RTL.
      expect(prog.mapping.staging.mode, 'the mapper plans staging').toBe('staged');
      expect(prog.staging.stagedPorts, 'ports staged').toBeGreaterThan(0);
      expect(iactPortWords(plain) - iactPortWords(prog)).toBe(prog.staging.savedWords);
      const run = await runStalledOnChip(sim(), prog, l, d, arch, r, seed);
      console.log(
        `[${arch.name}] ${l.name}: ${prog.staging.stagedPorts}/${prog.staging.ports} ports staged, ${prog.staging.replayedWords} words replayed, ` +
          `iact words off chip ${iactPortWords(plain)} -> ${iactPortWords(prog)}, rtl ${run.cycles} cycles, mesh ${prog.mesh.iact.mode}`,
      );
    }, 600_000);
  }
}

describe('GLB iact staging on the small chip RTL (1x2 clusters)', () => {
  stagedOnChip(namedArchs.small!, [
    { name: 'pw-fits', type: 'pointwise', C: 32, M: 256, H: 8, W: 8 },
    { name: 'conv-tm', type: 'conv', C: 16, M: 96, H: 12, W: 12, R: 3, S: 3, padding: 1 },
  ]);
});

describe('GLB iact staging on the paper chip RTL (8x2 clusters)', () => {
  // Windows longer than a bank (partial staging), shared between clusters over the mesh.
  stagedOnChip(namedArchs.paper!, [{ name: 'pw-partial', type: 'pointwise', C: 64, M: 256, H: 28, W: 28 }]);
});
