export { SparsePe } from './pe.js';
export { paperPeParams, peParamsFromArch, peWidths, checkPeParams, CYCLE_COUNTER_WIDTH } from './params.js';
export type { PeParams, PeWidths } from './params.js';
export {
  peConfigFields,
  peConfigBundle,
  encodePeConfig,
  checkPeConfig,
  streamSegments,
  weightColumns,
  denseWordsPerColumn,
} from './config.js';
export type { PeConfig } from './config.js';
