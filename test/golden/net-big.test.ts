import { describe, it } from 'vitest';
import { getNetwork } from '../../golden/networks.js';
import { checkNetworkLayer, FULL } from './netcheck.js';

// Every layer of the three big networks, dense and sparse, with its real mapping; to stay fast
// only about 24 stack tasks per layer run (all reduction passes of each), unless GOLDEN_FULL=1.
describe(`architectural path == reference on every layer of the big networks (${FULL ? 'all outputs' : 'sampled output tiles'})`, () => {
  for (const name of ['mobilenet-1.0-224', 'alexnet', 'googlenet'] as const) {
    const net = getNetwork(name);
    for (const variant of ['dense', 'sparse'] as const) {
      it(`${name} ${variant}: all ${net.layers.length} layers`, () => {
        for (let i = 0; i < net.layers.length; i++) checkNetworkLayer(net, i, variant, 24);
      });
    }
  }
});
