/** The eyeriss-ts hardware description DSL: types, expressions, modules, emission. */
export { Bool, UInt, SInt, Vec, Bundle, Decoupled, flip, log2Ceil, widthOf } from './types.js';
export type { HwType, GroundType, VecType, BundleType } from './types.js';
export { Expr, Signal, lit, slit, mux, cat } from './expr.js';
export type { Operand } from './expr.js';
export { VecHandle } from './handles.js';
export type { Handle, BundleHandle } from './handles.js';
export { defineModule, elaborate, Design, ModuleBuilder, Mem } from './module.js';
export type { ModuleDef, IoHandles, ElaborateOptions } from './module.js';
export type { ElaboratedModule, PortLeaf } from './ir.js';
export { ElaborationError } from './site.js';
export { emitModule } from './emit.js';
export { emitDesign, hierBlocksOf, recordOutputs, verilatorConfig, writeDesign, writeDesignFiles } from './output.js';
export type { EmittedDesign, WriteOptions } from './output.js';
export { SRAM } from './sram.js';
export type { SramParams } from './sram.js';
export * from './handoff/index.js';
