// Iact multicast over the mesh on the chip RTL: layers whose mapping shares iact streams
// between clusters (mapping.noc.mesh) run bit-exactly with random off-chip stalls, in the mode
// the mapper planned, and the harness counts exactly the shared program's iact words at the
// chip boundary, fewer than with every cluster on its own ports.
import { describe, expect, it } from 'vitest';
import type { ArchConfig } from '../../spec/arch.js';
import type { MeshMode } from '../../spec/noc/routing.js';
import { makeLayer, type LayerInput } from '../../golden/layers.js';
import { generateLayerData } from '../../golden/random.js';
import { namedArchs } from '../../spec/archs.js';
import { EyerissTop, chipParamsFromArch } from '../../generator/eyeriss/chip/index.js';
import { buildProgram } from '../../runtime/rtl/program.js';
import { makeRng } from '../../tb/seed.js';
import { testSeed } from '../../tb/testing.js';
import { useSimulator } from '../support/sim.js';
import { iactPortWords, runStalledOnChip } from '../support/chip-run.js';

function meshModesOnChip(arch: ArchConfig, cases: { layer: LayerInput; mode: MeshMode }[]): void {
  const sim = useSimulator(EyerissTop, chipParamsFromArch(arch), `EyerissTop-${arch.name}`);
  for (const { layer, mode } of cases) {
    it(`${layer.name}: iacts in ${mode} multicast, bit-exact, with the shared stream's words at the boundary`, async (ctx) => {
      const seed = testSeed(ctx);
      const r = makeRng(seed);
      const l = makeLayer(layer);
      const d = generateLayerData(l, { iact: 0.6, weight: 0.5 }, r.u32());
      const prog = buildProgram(l, d, arch);
      // Port words without GLB staging measure the sharing alone; the run has both.
      const shared = buildProgram(l, d, arch, prog.mapping, { iactStaging: false });
      const own = buildProgram(l, d, arch, prog.mapping, { iactMeshMulticast: false, iactStaging: false });
      expect(prog.mapping.noc.mesh.iact.mode, 'the mapper plans the mode').toBe(mode);
      expect(prog.mesh.iact.mode, 'the program routes it').toBe(mode);
      expect(prog.mesh.iact.split).toEqual([]);
      expect(iactPortWords(own) - iactPortWords(shared)).toBe(prog.mesh.iact.savedWords);
      expect(prog.mesh.iact.savedWords).toBeGreaterThan(0);
      await runStalledOnChip(sim(), prog, l, d, arch, r, seed);
    }, 600_000);
  }
}

describe('iact mesh multicast on the small chip RTL (1x2 clusters)', () => {
  meshModesOnChip(namedArchs.small!, [{ layer: { name: 'pw-bcast', type: 'pointwise', C: 32, M: 64, H: 4, W: 4 }, mode: 'broadcast' }]);
});

describe('iact mesh multicast on the paper chip RTL (8x2 clusters)', () => {
  meshModesOnChip(namedArchs.paper!, [
    { layer: { name: 'fc-bcast', type: 'fc', C: 256, M: 1024, H: 1, W: 1 }, mode: 'broadcast' },
    { layer: { name: 'pw-interleaved', type: 'pointwise', C: 64, M: 256, H: 16, W: 16 }, mode: 'interleaved' },
    { layer: { name: 'pw-grouped', type: 'pointwise', C: 64, M: 512, H: 8, W: 8 }, mode: 'grouped' },
  ]);
});
