export { AddrGen, addrGenCfg } from './addrGen.js';
export type { AddrGenParams } from './addrGen.js';
export { GlbIactBank } from './iactBank.js';
export type { GlbBankParams } from './iactBank.js';
export { GlbPsumBank } from './psumBank.js';
export type { GlbPsumBankParams } from './psumBank.js';
export { GlbCluster } from './glbCluster.js';
export { glbParamsFromArch } from '../../../spec/glb.js';
export type { GlbParams } from '../../../spec/glb.js';
