export { SparsePe } from './pe.js';
export { paperPeParams, peParamsFromArch, peWidths, checkPeParams, CYCLE_COUNTER_WIDTH } from '../../../spec/pe/params.js';
export type { PeParams, PeWidths } from '../../../spec/pe/params.js';
export { peJobHeaderFields, peJobHeaderBundle } from './cfg-port.js';
export { encodePeJobHeader, checkPeJobHeader, streamSegments, weightColumns, denseWordsPerColumn } from '../../../spec/pe/job.js';
export type { PeJobHeader } from '../../../spec/pe/job.js';
