import type { ElaboratedModule } from '../ir.js';
import type { Design } from '../module.js';
import { SRAM, type SramParams } from '../sram.js';
import { log2Ceil } from '../types.js';

/** One SRAM macro type of a design, as a flow that swaps in real macros needs to know it. */
export interface MemoryMacro {
  module: string;
  depth: number;
  width: number;
  /** Address bits of each port. */
  addrWidth: number;
  ports: '1R1W';
  /** Cycles from `rd_en` to `rd_data`. */
  readLatency: number;
  bits: number;
  count: number;
  /** Dotted instance paths from the top, e.g. `eyeriss_chip.core.cluster_0_0.glb.iact_bank_0.sram`. */
  instances: string[];
}

export interface MemoryList {
  generator: string;
  top: string;
  macros: MemoryMacro[];
  totalInstances: number;
  totalBits: number;
}

/** The `generator` field that marks a memory list as this writer's. */
export const MEMORY_LIST_GENERATOR = 'eyeriss-ts';

const SRAM_KEY = `${SRAM.baseName}#${SRAM.id}:`;

function sramParams(m: ElaboratedModule): SramParams | undefined {
  return m.key.startsWith(SRAM_KEY) ? (JSON.parse(m.key.slice(SRAM_KEY.length)) as SramParams) : undefined;
}

/** Every instance of the SRAM primitive under the design's top, by macro type, in name order. */
export function memoryList(design: Design): MemoryList {
  const top = design.top;
  if (!top) throw new Error('memoryList: the design has no top module (use elaborate())');
  const byModule = new Map<string, { params: SramParams; instances: string[] }>();
  const walk = (m: ElaboratedModule, path: string): void => {
    const params = sramParams(m);
    if (params) {
      const entry = byModule.get(m.name) ?? { params, instances: [] };
      entry.instances.push(path);
      byModule.set(m.name, entry);
      return;
    }
    for (const inst of m.instances) walk(inst.module, `${path}.${inst.name}`);
  };
  walk(top, top.name);
  const macros = [...byModule.entries()]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([module, { params, instances }]) => ({
      module,
      depth: params.depth,
      width: params.width,
      addrWidth: log2Ceil(params.depth),
      ports: '1R1W' as const,
      readLatency: 1,
      bits: params.depth * params.width,
      count: instances.length,
      instances: instances.sort(),
    }));
  return {
    generator: MEMORY_LIST_GENERATOR,
    top: top.name,
    macros,
    totalInstances: macros.reduce((s, m) => s + m.count, 0),
    totalBits: macros.reduce((s, m) => s + m.count * m.bits, 0),
  };
}

export const MEMORY_CSV_HEADER = 'module,depth,width,addr_width,ports,read_latency,bits,count,instance';

/** One row per instance, so a spreadsheet can filter and count; the macro's fields repeat. */
export function memoryListCsv(list: MemoryList): string {
  const rows = list.macros.flatMap((m) =>
    m.instances.map((i) => [m.module, m.depth, m.width, m.addrWidth, m.ports, m.readLatency, m.bits, m.count, i].join(',')),
  );
  return [MEMORY_CSV_HEADER, ...rows, ''].join('\n');
}

export function memoryListJson(list: MemoryList): string {
  return JSON.stringify(list, null, 2) + '\n';
}
