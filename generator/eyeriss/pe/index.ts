export { SparsePe } from './pe.js';
export { paperPeParams, peParamsFromArch, peWidths, checkPeParams, CYCLE_COUNTER_WIDTH } from '../../../spec/pe/params.js';
export type { PeParams, PeWidths } from '../../../spec/pe/params.js';
export { peConfigFields, peConfigBundle } from './cfg-port.js';
export { encodePeConfig, checkPeConfig, streamSegments, weightColumns, denseWordsPerColumn } from '../../../spec/pe/job.js';
export type { PeConfig } from '../../../spec/pe/job.js';
