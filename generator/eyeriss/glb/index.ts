export { AddrGen, addrGenCfg } from './addrGen.js';
export type { AddrGenParams } from './addrGen.js';
export { GlbIactBank } from './iactBank.js';
export type { GlbBankParams } from './iactBank.js';
export { GlbPsumBank } from './psumBank.js';
export type { GlbPsumBankParams } from './psumBank.js';
export { GlbCluster, glbParamsFromArch } from './glbCluster.js';
export type { GlbParams } from './glbCluster.js';
