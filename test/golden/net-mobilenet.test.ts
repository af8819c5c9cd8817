import { describe, it } from 'vitest';
import { getNetwork } from '../../golden/networks.js';
import { checkNetworkLayer } from './netcheck.js';

// The paper's benchmark and the RTL's first target: every output of every layer, dense and sparse.
describe('chip model == reference on every layer of MobileNet v1 0.5-128', () => {
  const net = getNetwork('mobilenet-0.5-128');
  for (const variant of ['dense', 'sparse'] as const) {
    it(`${variant}: all 28 layers bit-identical`, () => {
      for (let i = 0; i < net.layers.length; i++) checkNetworkLayer(net, i, variant, null);
    });
  }
});
