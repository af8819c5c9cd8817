import { describe, it } from 'vitest';
import { getNetwork } from '../../golden/networks.js';
import { checkNetworkLayer, FULL } from './netcheck.js';

// Every layer of MobileNet 1.0-224 and AlexNet, dense and sparse, with its real mapping; to stay fast
// only about 24 stack tasks per layer run (all reduction passes of each), unless GOLDEN_FULL=1.
describe(`chip model == reference on every layer of MobileNet 1.0-224 and AlexNet (${FULL ? 'all outputs' : 'sampled output tiles'})`, () => {
  for (const name of ['mobilenet-1.0-224', 'alexnet'] as const) {
    const net = getNetwork(name);
    for (const variant of ['dense', 'sparse'] as const) {
      it(`${name} ${variant}: all ${net.layers.length} layers`, () => {
        for (let i = 0; i < net.layers.length; i++) checkNetworkLayer(net, i, variant, 24);
      });
    }
  }
});
