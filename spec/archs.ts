import { paperArch, parseArch, type ArchConfig } from './arch.js';

/**
 * Named architectures. `paper` is the 65-nm chip of the JETCAS paper; `small` keeps the
 * paper's cluster, PE and memory sizes but only a 1x2 cluster array, for fast full-chip tests.
 */
export const namedArchs: Record<string, ArchConfig> = {
  paper: paperArch,
  small: parseArch({ ...paperArch, name: 'small', clusterRows: 1, clusterCols: 2 }, 'the small architecture'),
};
