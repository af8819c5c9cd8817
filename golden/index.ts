// Public API of the golden model (see golden/README.md).
export * from '../spec/arch.js';
export * from '../spec/csc.js';
export * from '../spec/numerics.js';
export * from './npy.js';
export * from './layers.js';
export * from './reference.js';
export * from './random.js';
export * from './mapper.js';
export * from './pe.js';
export * from './schedule.js';
export * from './chip-model.js';
export * from './networks.js';
export * from './energy.js';
export * from './perf.js';
