/** Files for the tools a design is handed to: filelists, a FuseSoC core, an SDC, a memory list, a fixed-name wrapper. */
export { fixedNameWrapper, WRAPPED_INSTANCE } from './wrapper.js';
export { icarusCommandFile, yosysReadScript } from './filelists.js';
export { coreFile } from './fusesoc.js';
export type { CoreFileInput } from './fusesoc.js';
export { sdcFor } from './sdc.js';
export type { SdcOptions } from './sdc.js';
export { memoryList, memoryListCsv, memoryListJson, MEMORY_CSV_HEADER } from './memories.js';
export type { MemoryList, MemoryMacro } from './memories.js';
