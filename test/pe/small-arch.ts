import { paperArch, parseArch } from '../../spec/arch.js';

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

/**
 * A PE with SPads larger than the paper's: an iact data SPad past the 16 values a compressed
 * segment may span (dense segments use all 32), twice the weight SPads, a deeper psum SPad.
 */
export const largePeArch = parseArch({
  ...paperArch,
  name: 'pe-large',
  spads: {
    iactAddr: { depth: 12, width: 5 },
    iactData: { depth: 32, width: 12 },
    weightAddr: { depth: 24, width: 8 },
    weightData: { depth: 192, width: 24 },
    psum: { depth: 48, width: 20 },
  },
});
