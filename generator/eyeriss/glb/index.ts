export { AddrGen, addrGenCfg } from './addr-gen.js';
export type { AddrGenParams } from './addr-gen.js';
export { GlbIactBank } from './iact-bank.js';
export type { GlbBankParams } from './iact-bank.js';
export { GlbPsumBank } from './psum-bank.js';
export type { GlbPsumBankParams } from './psum-bank.js';
export { GlbCluster } from './glb-cluster.js';
export { glbParamsFromArch } from '../../../spec/glb.js';
export type { GlbParams } from '../../../spec/glb.js';
