// Architecture description of an Eyeriss v2 instance. The paper configuration is the default;
// every size is a parameter so the generator, the mapper and the performance model read the same
// object. Sources for each default are in golden/README.md ("Architecture description").
import { z } from 'zod';

// The pair width is fixed by the paper's CSC format (golden/csc.ts), not a free parameter.
const PAIR_BITS_ARCH = 12;

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
    simd: z.union([z.literal(1), z.literal(2)]),
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
  })
  .strict()
  .superRefine((a, ctx) => {
    const need = (ok: boolean, path: (string | number)[], message: string): void => {
      if (!ok) ctx.addIssue({ code: 'custom', path, message });
    };
    // The CSC formats are fixed by the paper: 12-bit (4b count, 8b value) pairs, two per weight word.
    need(a.spads.iactData.width === PAIR_BITS_ARCH, ['spads', 'iactData', 'width'],
      `iact data SPad width must be ${PAIR_BITS_ARCH} (one 4b count + 8b value pair)`);
    need(a.spads.weightData.width === 2 * PAIR_BITS_ARCH, ['spads', 'weightData', 'width'],
      `weight data SPad width must be ${2 * PAIR_BITS_ARCH} (two count/value pairs per word, SIMD-2 packing)`);
    need(a.spads.psum.width === 20, ['spads', 'psum', 'width'],
      'psum SPad width must be 20: the golden numerics accumulate 20-bit psums');
    // Iact address entries are pointers modulo the data SPad depth (circular buffer).
    need(2 ** a.spads.iactAddr.width === a.spads.iactData.depth, ['spads', 'iactAddr', 'width'],
      `iact address width ${a.spads.iactAddr.width} must satisfy 2^width == iact data depth ${a.spads.iactData.depth} (pointers are modulo the data SPad depth)`);
    need(2 ** a.spads.weightAddr.width > a.spads.weightData.depth, ['spads', 'weightAddr', 'width'],
      `weight address width ${a.spads.weightAddr.width} cannot hold end pointer ${a.spads.weightData.depth}; use >= ${Math.ceil(Math.log2(a.spads.weightData.depth + 1))} bits`);
    need(a.noc.psumPortBits >= 20, ['noc', 'psumPortBits'], 'psum port must carry at least one 20-bit psum');
    need(a.noc.iactPortBits >= PAIR_BITS_ARCH, ['noc', 'iactPortBits'], 'iact port must carry at least one 12-bit pair');
    need(a.noc.weightPortBits >= PAIR_BITS_ARCH, ['noc', 'weightPortBits'], 'weight port must carry at least one 12-bit pair');
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
    iactData: { depth: 16, width: 12 },
    weightAddr: { depth: 16, width: 7 },
    weightData: { depth: 96, width: 24 },
    psum: { depth: 32, width: 20 },
  },
  glb: { iactBanks: 3, iactBankBytes: 1536, psumBanks: 4, psumBankBytes: 1920 },
  noc: { iactPortBits: 24, weightPortBits: 24, psumPortBits: 40 },
  clockMHz: 200,
  dramBytesPerCycle: null,
}) as ArchConfig;

/** Validates a user architecture (e.g. parsed JSON) and returns it typed; throws with every problem listed. */
export function parseArch(input: unknown, source = 'architecture'): ArchConfig {
  const r = ArchConfigSchema.safeParse(input);
  if (!r.success) {
    const lines = r.error.issues.map((i) => `  ${i.path.join('.') || '(root)'}: ${i.message}`);
    throw new Error(`invalid ${source}:\n${lines.join('\n')}\n(see golden/README.md, "Architecture description", for every field)`);
  }
  return r.data;
}

export const totalPes = (a: ArchConfig): number => a.clusterRows * a.clusterCols * a.peRows * a.peCols;
export const totalMacsPerCycle = (a: ArchConfig): number => totalPes(a) * a.simd;
