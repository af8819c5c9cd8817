// A random DRAM behind a DMA's m_axi_* port for the block tests: latency, delays, backpressure
// and a bandwidth limit drawn from `r`.
import type { Rng } from '../../tb/seed.js';
import type { AxiSlaveMemory } from '../../tb/sim.js';

export const randomSlave = (r: Rng, memory: Uint32Array, base: number): AxiSlaveMemory => ({
  prefix: 'm_axi',
  memory,
  base,
  latency: r.pick([1, 4, 30]),
  jitterCycles: r.pick([0, 8]),
  jitterProbability: 0.3,
  arreadyProbability: r.pick([1, 0.5]),
  rvalidProbability: r.pick([1, 0.6]),
  bytesPerCycle: r.pick([0, 0, 8, 40]),
});
