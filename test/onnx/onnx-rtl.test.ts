// The ONNX test networks on the small chip's RTL: every chip layer bit-exact, so the whole
// network's output equals the golden backend's exactly, and agrees with onnxruntime as that does.
import { beforeAll, describe, expect, it } from 'vitest';
import { namedArchs } from '../../spec/archs.js';
import { EyerissTop, chipParamsFromArch } from '../../generator/eyeriss/chip/index.js';
import { prebuild } from '../support/sim.js';
import { mobilenetV2Like, resnetLike } from '../support/onnx-models.js';
import { withTmp } from '../runtime/helpers.js';
import { clearDisagreements, runModel, writeModel } from './helpers.js';

const small = namedArchs['small']!;

describe('ONNX networks on the chip RTL', () => {
  // The runs' sessions take the simulators from the build cache; other chip suites start them too.
  beforeAll(async () => {
    await prebuild(EyerissTop, chipParamsFromArch(small));
    await prebuild(EyerissTop, chipParamsFromArch(namedArchs['paper']!));
  }, 900_000);

  it.each([
    ['MobileNetV2-like', mobilenetV2Like],
    ['ResNet-like', resnetLike],
  ] as const)('%s, 20 inputs: bit-exact layers, output equal to the golden backend, cosine >= 0.99', async (name, build) => {
    await withTmp(async (dir) => {
      const files = writeModel(dir, 'net', build(), 20, 11);
      const rtl = await runModel(files, small, 'rtl');
      const golden = await runModel(files, small, 'golden');
      for (const l of rtl.run.layers) expect(l.result.matched, l.result.layer.name).toBe(true);
      expect(Array.from(rtl.run.output.data)).toEqual(Array.from(golden.run.output.data));
      expect(clearDisagreements(rtl.run, 0.01), name).toEqual([]);
      expect(rtl.run.agreement.cosine).toBeGreaterThanOrEqual(0.99);
      const cycles = rtl.run.layers.map((l) => `${l.result.layer.name} ${l.result.cycles}/${l.result.golden_predicted_cycles}`);
      console.log(`${name} on the small chip RTL (rtl/golden cycles per layer): ${cycles.join(', ')}`);
    });
  });

  it('MobileNetV2-like on the paper chip RTL, 4 inputs: bit-exact, output equal to the golden backend', async () => {
    await withTmp(async (dir) => {
      const paper = namedArchs['paper']!;
      const files = writeModel(dir, 'net', mobilenetV2Like(), 4, 13);
      const rtl = await runModel(files, paper, 'rtl');
      const golden = await runModel(files, paper, 'golden');
      for (const l of rtl.run.layers) expect(l.result.matched, l.result.layer.name).toBe(true);
      expect(Array.from(rtl.run.output.data)).toEqual(Array.from(golden.run.output.data));
      expect(rtl.run.agreement.cosine).toBeGreaterThanOrEqual(0.99);
    });
  });
});
