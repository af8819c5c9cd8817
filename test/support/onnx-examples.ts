// Writes the ONNX test networks with seeded inputs into a folder, so the figures in docs/onnx.md
// can be reproduced from the command line:
//   npx tsx test/support/onnx-examples.ts OUT_DIR
// gives OUT_DIR/{mobilenetv2-like,resnet-like,nhwc-like}.onnx, each with -x.npy (20 inputs; 1 for
// the fixed-batch NHWC net) and -cal.npy (16 calibration inputs), the data the tests use.
import { mkdirSync } from 'node:fs';
import { mobilenetV2Like, nhwcLike, resnetLike } from './onnx-models.js';
import { writeModel } from '../onnx/helpers.js';

const out = process.argv[2];
if (out === undefined) {
  console.error('usage: npx tsx test/support/onnx-examples.ts OUT_DIR');
  process.exit(1);
}
mkdirSync(out, { recursive: true });
for (const [name, build, items] of [
  ['mobilenetv2-like', mobilenetV2Like, 20],
  ['resnet-like', resnetLike, 20],
  ['nhwc-like', nhwcLike, 1],
] as const) {
  const f = writeModel(out, name, build(), items, 11);
  console.log(`${f.model} (inputs ${f.input}, calibration ${f.calibrate})`);
}
