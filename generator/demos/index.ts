export { Counter } from './counter.js';
export { Fifo } from './fifo.js';
export { RoundRobinArbiter } from './arbiter.js';
export { SramWrapper } from './sram-wrapper.js';
