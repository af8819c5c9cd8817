import { describe, it } from 'vitest';
import { getNetwork } from '../../golden/networks.js';
import { checkNetworkLayer, FULL } from './netcheck.js';

// Every layer of GoogLeNet, dense and sparse, with its real mapping; to stay fast
// only about 24 stack tasks per layer run (all reduction passes of each), unless GOLDEN_FULL=1.
describe(`chip model == reference on every layer of GoogLeNet (${FULL ? 'all outputs' : 'sampled output tiles'})`, () => {
  const net = getNetwork('googlenet');
  for (const variant of ['dense', 'sparse'] as const) {
    it(`googlenet ${variant}: all ${net.layers.length} layers`, () => {
      for (let i = 0; i < net.layers.length; i++) checkNetworkLayer(net, i, variant, 24);
    });
  }
});
