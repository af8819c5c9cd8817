export * from '../../../spec/chip/format.js';
export { PeShell, peShellParams } from './pe-shell.js';
export type { PeShellParams } from './pe-shell.js';
export { Cluster, clusterParams } from './cluster.js';
export type { ClusterParams } from './cluster.js';
export { EyerissTop, ERROR_BAD_CFG_ADDR, ERROR_BAD_CMD } from './top.js';
export { OutputRequant, outputCfgType } from './output-requant.js';
export type { OutputRequantParams } from './output-requant.js';
