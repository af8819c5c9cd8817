import { paperArch, parseArch } from '../../golden/arch.js';

/** A PE with every SPad shrunk (and a non-power-of-two address SPad), to prove the sizes are parameters. */
export const smallPeArch = parseArch({
  ...paperArch,
  name: 'pe-small',
  spads: {
    iactAddr: { depth: 5, width: 3 },
    iactData: { depth: 8, width: 12 },
    weightAddr: { depth: 6, width: 5 },
    weightData: { depth: 20, width: 24 },
    psum: { depth: 12, width: 20 },
  },
});
