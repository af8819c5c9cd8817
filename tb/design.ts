import { existsSync } from 'node:fs';
import { isAbsolute } from 'node:path';

/** One flattened Verilog port, as the emitter writes it. */
export interface PortInfo {
  name: string;
  direction: 'input' | 'output';
  width: number;
}

/** What the DSL hands the harness: an emitted design ready to build. */
export interface DesignSources {
  top: string;
  /** Absolute paths of the .v files, in dependency order. */
  files: string[];
  ports: PortInfo[];
  /** Clock port name, default 'clock'. A design without that port is treated as combinational. */
  clock?: string;
  /** Synchronous, active-high reset port name, default 'reset'. */
  reset?: string;
  /** Modules Verilator builds as hierarchical blocks (each built once however often it repeats). */
  hierBlocks?: string[];
}

/** A design whose defaults are filled in and whose consistency has been checked once. */
export interface ResolvedDesign {
  top: string;
  files: string[];
  ports: PortInfo[];
  byName: Map<string, PortInfo & { index: number }>;
  /** Undefined when the design has no clock port (pure combinational). */
  clock?: string;
  /** Undefined when the design has no reset port. */
  reset?: string;
  hierBlocks: string[];
}

const IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;

function hierBlocksOf(design: DesignSources, where: string): string[] {
  const blocks = design.hierBlocks ?? [];
  for (const m of blocks) {
    if (!IDENT.test(m)) throw new Error(`${where}: hierarchical block '${m}' is not a Verilog identifier`);
    if (m === design.top) throw new Error(`${where}: the top module cannot be one of its own hierarchical blocks`);
  }
  return [...new Set(blocks)];
}

export function resolveDesign(design: DesignSources): ResolvedDesign {
  const where = `design '${design.top}'`;
  if (!IDENT.test(design.top)) throw new Error(`${where}: top module name is not a Verilog identifier`);
  if (design.files.length === 0) throw new Error(`${where}: no Verilog files given`);
  for (const f of design.files) {
    if (!isAbsolute(f)) throw new Error(`${where}: Verilog file path '${f}' must be absolute`);
    if (!existsSync(f)) throw new Error(`${where}: Verilog file '${f}' does not exist; generate the design first`);
  }
  const byName = new Map<string, PortInfo & { index: number }>();
  design.ports.forEach((p, index) => {
    if (!IDENT.test(p.name)) throw new Error(`${where}: port name '${p.name}' is not a Verilog identifier`);
    if (!Number.isInteger(p.width) || p.width < 1) {
      throw new Error(`${where}: port '${p.name}' has width ${p.width}; widths are integers >= 1`);
    }
    if (p.direction !== 'input' && p.direction !== 'output') {
      throw new Error(`${where}: port '${p.name}' has direction '${String(p.direction)}'; use 'input' or 'output'`);
    }
    if (byName.has(p.name)) throw new Error(`${where}: port '${p.name}' is listed twice`);
    byName.set(p.name, { ...p, index });
  });
  const control = (explicit: string | undefined, fallback: string, what: string): string | undefined => {
    const name = explicit ?? fallback;
    const p = byName.get(name);
    if (!p) {
      if (explicit === undefined) return undefined;
      throw new Error(`${where}: ${what} port '${name}' is not among the design's ports`);
    }
    if (p.direction !== 'input' || p.width !== 1) {
      throw new Error(`${where}: ${what} port '${name}' must be a 1-bit input, found ${p.direction} of width ${p.width}`);
    }
    return name;
  };
  return {
    top: design.top,
    files: [...design.files],
    ports: design.ports.map((p) => ({ ...p })),
    byName,
    clock: control(design.clock, 'clock', 'clock'),
    reset: control(design.reset, 'reset', 'reset'),
    hierBlocks: hierBlocksOf(design, where),
  };
}
