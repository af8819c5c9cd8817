// Architecture description of an Eyeriss v2 instance. The paper configuration is the default;
// every size is a parameter so the generator, the mapper and the performance model read the same
// object. Sources for each default are in golden/README.md ("Architecture description").
import { z } from 'zod';
import { MAX_OUTPUT_MULTIPLIER_BITS, PAIR_BITS, PSUM_BITS } from './numerics.js';

const pos = z.number().int().positive();

const spadSchema = z.object({ depth: pos, width: pos }).strict();

export const ArchConfigSchema = z
  .object({
    name: z.string().min(1),
    /** Cluster array: rows share psums north->south, the columns share weights horizontally. */
    clusterRows: pos,
    clusterCols: pos,
    /** PEs per cluster: a PE row shares one weight router, a PE column one psum router. */
    peRows: pos,
    peCols: pos,
    /** MACs per PE per cycle (one iact times `simd` weights). */
    simd: z.literal([1, 2], { error: 'must be 1 or 2 (MACs per PE per cycle; the generated chip is 2)' }),
    spads: z
      .object({
        iactAddr: spadSchema,
        iactData: spadSchema,
        weightAddr: spadSchema,
        weightData: spadSchema,
        psum: spadSchema,
      })
      .strict(),
    glb: z
      .object({
        iactBanks: pos,
        iactBankBytes: pos,
        psumBanks: pos,
        psumBankBytes: pos,
      })
      .strict(),
    noc: z
      .object({
        iactPortBits: pos,
        weightPortBits: pos,
        psumPortBits: pos,
      })
      .strict(),
    clockMHz: z.number().positive(),
    /** Off-chip bytes per cycle; null = unlimited, as the paper's headline results assume. */
    dramBytesPerCycle: z.number().positive().nullable(),
    /** Bits of the output stage's optional per-output-channel multiplier; absent or 0: none (the paper chip has none). */
    outputMultiplierBits: z.number().int().min(0).max(MAX_OUTPUT_MULTIPLIER_BITS).optional(),
  })
  .strict()
  .superRefine((a, ctx) => {
    const need = (ok: boolean, path: (string | number)[], message: string): void => {
      if (!ok) ctx.addIssue({ code: 'custom', path, message });
    };
    // The CSC formats are fixed by the paper: 12-bit (4b count, 8b value) pairs, two per weight word.
    need(a.spads.iactData.width === PAIR_BITS, ['spads', 'iactData', 'width'], `iact data SPad width must be ${PAIR_BITS} (one 4b count + 8b value pair)`);
    need(
      a.spads.weightData.width === 2 * PAIR_BITS,
      ['spads', 'weightData', 'width'],
      `weight data SPad width must be ${2 * PAIR_BITS} (two count/value pairs per word, SIMD-2 packing)`,
    );
    need(
      a.spads.psum.width === PSUM_BITS,
      ['spads', 'psum', 'width'],
      `psum SPad width must be ${PSUM_BITS}: the golden numerics accumulate ${PSUM_BITS}-bit psums`,
    );
    // Iact address entries are pointers modulo the data SPad depth (circular buffer).
    need(
      2 ** a.spads.iactAddr.width === a.spads.iactData.depth,
      ['spads', 'iactAddr', 'width'],
      `iact address width ${a.spads.iactAddr.width} must satisfy 2^width == iact data depth ${a.spads.iactData.depth} (pointers are modulo the data SPad depth)`,
    );
    need(
      2 ** a.spads.weightAddr.width > a.spads.weightData.depth,
      ['spads', 'weightAddr', 'width'],
      `weight address width ${a.spads.weightAddr.width} cannot hold end pointer ${a.spads.weightData.depth}; use >= ${Math.ceil(Math.log2(a.spads.weightData.depth + 1))} bits`,
    );
    need(a.noc.psumPortBits >= PSUM_BITS, ['noc', 'psumPortBits'], `psum port must carry at least one ${PSUM_BITS}-bit psum`);
    need(a.noc.iactPortBits >= PAIR_BITS, ['noc', 'iactPortBits'], `iact port must carry at least one ${PAIR_BITS}-bit pair`);
    need(a.noc.weightPortBits >= PAIR_BITS, ['noc', 'weightPortBits'], `weight port must carry at least one ${PAIR_BITS}-bit pair`);
  });

export type ArchConfig = z.infer<typeof ArchConfigSchema>;

/** The 65-nm chip of the JETCAS paper (spec sections 1-4). */
export const paperArch: ArchConfig = Object.freeze({
  name: 'paper',
  clusterRows: 8,
  clusterCols: 2,
  peRows: 3,
  peCols: 4,
  simd: 2,
  spads: {
    iactAddr: { depth: 9, width: 4 },
    iactData: { depth: 16, width: PAIR_BITS },
    weightAddr: { depth: 16, width: 7 },
    weightData: { depth: 96, width: 24 },
    psum: { depth: 32, width: PSUM_BITS },
  },
  glb: { iactBanks: 3, iactBankBytes: 1536, psumBanks: 4, psumBankBytes: 1920 },
  noc: { iactPortBits: 24, weightPortBits: 24, psumPortBits: 40 },
  clockMHz: 200,
  dramBytesPerCycle: null,
});

/** A problem of an architecture: the field (dotted path) and what is wrong with it, fix included. */
export interface ArchProblem {
  path: string;
  message: string;
}

const throwProblems = (source: string, problems: readonly ArchProblem[]): never => {
  const lines = problems.map((p) => `  ${p.path || '(root)'}: ${p.message}`);
  throw new Error(`invalid ${source}:\n${lines.join('\n')}\n(see golden/README.md, "Architecture description", for every field)`);
};

/** Validates a user architecture (e.g. parsed JSON) and returns it typed; throws with every problem listed. */
export function parseArch(input: unknown, source = 'architecture'): ArchConfig {
  const r = ArchConfigSchema.safeParse(input);
  if (!r.success)
    return throwProblems(
      source,
      r.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
    );
  return r.data;
}

/**
 * Size limits of a user architecture. Generator, Verilator build and simulator grow with the
 * cluster and PE counts and the memories (a 1000x1000-cluster array never finishes generating),
 * so larger sizes are refused before any work rather than left to run out of time or memory.
 */
export const ARCH_LIMITS = { clusters: 256, pesPerCluster: 64, spadDepth: 1024, glbBanks: 16, glbBankBytes: 65536 } as const;

// A generated cluster is about this many lines of Verilog (paper 8x2: 29,729 lines, small 1x2: 11,851).
const VERILOG_LINES_PER_CLUSTER = 1300;

function sizeProblems(a: ArchConfig): ArchProblem[] {
  const out: ArchProblem[] = [];
  const L = ARCH_LIMITS;
  const clusters = a.clusterRows * a.clusterCols;
  if (clusters > L.clusters) {
    out.push({
      path: 'clusterRows',
      message: `${a.clusterRows} x ${a.clusterCols} = ${clusters} clusters exceed the limit of ${L.clusters}: the chip top alone would be about ${((clusters * VERILOG_LINES_PER_CLUSTER) / 1e6).toFixed(1)} million lines of Verilog (the generator holds it all in memory, Verilator builds it for hours); fix: use at most ${L.clusters} clusters`,
    });
  }
  if (a.peRows * a.peCols > L.pesPerCluster) {
    out.push({
      path: 'peRows',
      message: `${a.peRows} x ${a.peCols} = ${a.peRows * a.peCols} PEs per cluster exceed the limit of ${L.pesPerCluster}; fix: use at most ${L.pesPerCluster} PEs per cluster`,
    });
  }
  for (const [k, s] of Object.entries(a.spads)) {
    if (s.depth > L.spadDepth)
      out.push({ path: `spads.${k}.depth`, message: `${s.depth} entries exceed the limit of ${L.spadDepth} per SPad; fix: use at most ${L.spadDepth}` });
  }
  for (const k of ['iactBanks', 'psumBanks'] as const) {
    if (a.glb[k] > L.glbBanks) out.push({ path: `glb.${k}`, message: `${a.glb[k]} banks exceed the limit of ${L.glbBanks}; fix: use at most ${L.glbBanks}` });
  }
  for (const k of ['iactBankBytes', 'psumBankBytes'] as const) {
    if (a.glb[k] > L.glbBankBytes)
      out.push({ path: `glb.${k}`, message: `${a.glb[k]} B exceed the limit of ${L.glbBankBytes} B per bank; fix: use at most ${L.glbBankBytes}` });
  }
  return out;
}

const CHIP_PAIR_SLOT_POINTER_BITS = PAIR_BITS - 4 - 1; // an iact address slot's value bits, less the pad flag

/**
 * What the generated chip needs of an architecture beyond the schema: the one set of rules the
 * golden backend (runtime/arch-file.ts) and the generator (chipParamsFromArch) both apply, so no
 * backend reports results for a chip that cannot be built. SIMD 1 stays allowed: the golden
 * model's dense-PE comparisons use it, and the generator names it on its own.
 */
function chipProblems(a: ArchConfig): ArchProblem[] {
  const out: ArchProblem[] = [];
  const need = (ok: boolean, path: string, message: string): void => {
    if (!ok) out.push({ path, message });
  };
  need(
    a.glb.psumBanks === a.peCols,
    'glb.psumBanks',
    `${a.glb.psumBanks} psum banks for ${a.peCols} PE columns: each psum router ties one bank to one column; fix: make glb.psumBanks equal peCols`,
  );
  for (const [bank, port] of [
    ['iactBankBytes', 'iactPortBits'],
    ['psumBankBytes', 'psumPortBits'],
  ] as const) {
    need(
      (a.glb[bank] * 8) % a.noc[port] === 0,
      `glb.${bank}`,
      `a bank of ${a.glb[bank]} B is not a whole number of ${a.noc[port]}-bit words (noc.${port}); fix: pick a size whose bits the port width divides`,
    );
  }
  need(a.noc.iactPortBits === 2 * PAIR_BITS, 'noc.iactPortBits', `the iact port carries two ${PAIR_BITS}-bit slots; fix: set it to ${2 * PAIR_BITS}`);
  need(
    a.noc.weightPortBits === 2 * PAIR_BITS,
    'noc.weightPortBits',
    `the weight port carries one ${2 * PAIR_BITS}-bit weight word; fix: set it to ${2 * PAIR_BITS}`,
  );
  need(
    a.noc.psumPortBits % PSUM_BITS === 0,
    'noc.psumPortBits',
    `${a.noc.psumPortBits} b is not a whole number of ${PSUM_BITS}-bit psums; fix: use a multiple of ${PSUM_BITS}`,
  );
  need(
    a.noc.psumPortBits / PSUM_BITS <= a.spads.psum.depth,
    'noc.psumPortBits',
    `a drain word of ${Math.floor(a.noc.psumPortBits / PSUM_BITS)} psums is more than the ${a.spads.psum.depth}-entry psum SPad holds; fix: narrow the port or deepen spads.psum`,
  );
  need(
    a.spads.iactData.depth <= 2 ** CHIP_PAIR_SLOT_POINTER_BITS,
    'spads.iactData.depth',
    `an iact address slot holds a ${CHIP_PAIR_SLOT_POINTER_BITS}-bit end pointer (its top value bit marks pads); fix: use a depth <= ${2 ** CHIP_PAIR_SLOT_POINTER_BITS}`,
  );
  const perWord = Math.floor(a.noc.weightPortBits / a.spads.weightAddr.width);
  need(
    perWord >= 1,
    'spads.weightAddr.width',
    `a ${a.spads.weightAddr.width}-bit weight address entry does not fit a ${a.noc.weightPortBits}-bit word; fix: use at most ${a.noc.weightPortBits} bits`,
  );
  // The pad word (all ones) must never be a real weight address word.
  need(
    !(perWord >= 1 && perWord * a.spads.weightAddr.width === a.noc.weightPortBits && a.spads.weightData.depth >= 2 ** a.spads.weightAddr.width - 1),
    'spads.weightAddr.width',
    `weight address words of ${perWord} x ${a.spads.weightAddr.width} b fill the word, so one could equal the pad word; fix: use a width that leaves a bit free or a weightData depth below ${2 ** a.spads.weightAddr.width - 1}`,
  );
  return out;
}

/** Every problem of a schema-valid architecture: size limits and what the generated chip needs. */
export const archProblems = (a: ArchConfig): ArchProblem[] => [...sizeProblems(a), ...chipProblems(a)];

/** Throws every problem archProblems finds, and the caller's `extra` ones, in parseArch's format. */
export function checkArch(a: ArchConfig, source = `architecture '${a.name}'`, extra: readonly ArchProblem[] = []): void {
  const problems = [...extra, ...archProblems(a)];
  if (problems.length > 0) throwProblems(source, problems);
}

export const totalPes = (a: ArchConfig): number => a.clusterRows * a.clusterCols * a.peRows * a.peCols;
export const totalMacsPerCycle = (a: ArchConfig): number => totalPes(a) * a.simd;
