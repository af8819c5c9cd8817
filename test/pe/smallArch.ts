import { paperArch, parseArch } from '../../golden/arch.js';

/**
 * A PE with every SPad shrunk (and a non-power-of-two address SPad) and three psums per drain
 * word (a job's last word is often partly filled), to prove the sizes are parameters.
 */
export const smallPeArch = parseArch({
  ...paperArch,
  name: 'pe-small',
  noc: { ...paperArch.noc, psumPortBits: 60 },
  spads: {
    iactAddr: { depth: 5, width: 3 },
    iactData: { depth: 8, width: 12 },
    weightAddr: { depth: 6, width: 5 },
    weightData: { depth: 20, width: 24 },
    psum: { depth: 12, width: 20 },
  },
});
