// GLB iact staging on the chip RTL: layers whose later reuse windows (another tm of a chunk) replay iacts
// from the GLB iact banks run bit-exactly with random off-chip stalls, and the harness counts
// exactly the staged program's iact words at the chip boundary: the bypass program's words less
// the replayed ones, plus one header per segment.
import { describe, expect, it } from 'vitest';
import type { ArchConfig } from '../../spec/arch.js';
import { makeLayer, type LayerInput } from '../../golden/layers.js';
import { referenceLayer } from '../../golden/reference.js';
import { generateLayerData } from '../../golden/random.js';
import { runChipModel } from '../../golden/chip-model.js';
import { namedArchs } from '../../spec/archs.js';
import { EyerissTop, chipParamsFromArch } from '../../generator/eyeriss/chip/index.js';
import { buildProgram, type RtlProgram } from '../../runtime/rtl/program.js';
import { runProgramOnRtl } from '../../runtime/rtl/run.js';
import { makeRng } from '../../tb/seed.js';
import { testSeed } from '../../tb/testing.js';
import { useSimulator } from '../support/sim.js';

const iactWords = (prog: RtlProgram): number => prog.clusters.reduce((a, cl) => a + cl.iact.reduce((b, w) => b + w.length, 0), 0);

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
      expect(iactWords(plain) - iactWords(prog)).toBe(prog.staging.savedWords);
      const predicted = runChipModel(l, d, { arch, mapping: prog.mapping, mode: 'timing' }).counts.cycles;
      const run = await runProgramOnRtl(sim(), prog, { seed: r.u32(), maxCycles: 20 * predicted + 200_000, validProbability: 0.8, readyProbability: 0.7 });
      const ref = referenceLayer(l, d);
      const bad = run.output.findIndex((v, k) => v !== ref[k]);
      expect(bad, `SEED=${seed}: first wrong output ${bad} (got ${run.output[bad]}, want ${ref[bad]})`).toBe(-1);
      expect(run.offchipWords.iact, 'iact words the harness handed over').toBe(iactWords(prog));
      console.log(
        `[${arch.name}] ${l.name}: ${prog.staging.stagedPorts}/${prog.staging.ports} ports staged, ${prog.staging.replayedWords} words replayed, ` +
          `iact words off chip ${iactWords(plain)} -> ${iactWords(prog)}, rtl ${run.cycles} cycles, mesh ${prog.mesh.iact.mode}`,
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
