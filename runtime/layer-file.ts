// LAYER.json: one layer to run (docs/run.md). The schema is strict at every level so a misspelt
// field is an error rather than a silently ignored default, and every message names the file, the
// field and the fix, because the person reading it is editing that file.
import { z } from 'zod';
import { MAX_OUTPUT_MULTIPLIER_BITS, MAX_SCALED_SHIFT, PSUM_BITS } from '../spec/numerics.js';

const posInt = z.number().int().positive();

const ShapeSchema = z
  .object({
    N: posInt.optional(),
    C: posInt,
    M: posInt,
    H: posInt,
    W: posInt,
    R: posInt,
    S: posInt,
    stride: posInt,
    padding: z.number().int().nonnegative(),
    groups: posInt,
  })
  .strict();

const density = z.number().min(0).max(1);

const GenerateSchema = z
  .object({
    // Required unless the iacts are "previous" (checked below, with the fix in the message).
    iactDensity: density.optional(),
    weightDensity: density,
    seed: z
      .number()
      .int()
      .min(0)
      .max(2 ** 32 - 1),
  })
  .strict();

const RequantSchema = z
  .object({
    shift: z.number().int().min(0).max(MAX_SCALED_SHIFT),
    activation: z.literal('relu').optional(),
    multipliers: z
      .array(
        z
          .number()
          .int()
          .min(0)
          .max(2 ** MAX_OUTPUT_MULTIPLIER_BITS - 1),
      )
      .min(1)
      .optional(),
  })
  .strict()
  .superRefine((q, ctx) => {
    if (q.multipliers === undefined && q.shift > PSUM_BITS - 1)
      ctx.addIssue({
        code: 'custom',
        path: ['shift'],
        message: `${q.shift} passes the psum's ${PSUM_BITS} bits`,
        params: { fix: `use 0..${PSUM_BITS - 1}, or 0..${MAX_SCALED_SHIFT} with "multipliers"` },
      });
  });

const npyPath = z.string().min(1).endsWith('.npy');

/** The iacts of a network file's layer that are the 8-bit outputs of the layer before it. */
export const PREVIOUS = 'previous';

export const LayerFileSchema = z
  .object({
    name: z.string().min(1).optional(),
    type: z.enum(['conv', 'depthwise', 'pointwise', 'fc']),
    shape: ShapeSchema,
    iactSigned: z.boolean().optional(),
    requant: RequantSchema.optional(),
    iacts: z.union([npyPath, z.literal(PREVIOUS)]).optional(),
    weights: npyPath.optional(),
    generate: GenerateSchema.optional(),
  })
  .strict()
  .superRefine((f, ctx) => {
    const problem = (path: string[], message: string, fix: string): void => {
      ctx.addIssue({ code: 'custom', path, message, params: { fix } });
    };
    const mults = f.requant?.multipliers;
    if (mults !== undefined && mults.length !== f.shape.M)
      problem(
        ['requant', 'multipliers'],
        `has ${mults.length} entries for the layer's ${f.shape.M} output channels (shape.M)`,
        `give one multiplier per output channel`,
      );
    if (f.iacts === PREVIOUS) {
      // Chained: the weights still need a source of their own.
      if (f.weights !== undefined && f.generate !== undefined) {
        problem(
          ['generate'],
          'the layer gives both a weights .npy file and generate',
          'keep either "weights" or "generate" ({ "weightDensity", "seed" }), not both',
        );
      } else if (f.weights === undefined && f.generate === undefined) {
        problem([], 'the layer has no weights', `add "weights" (a .npy path) or "generate": { "weightDensity": 0..1, "seed": integer 0..2^32-1 }`);
      }
      if (f.generate?.iactDensity !== undefined) {
        problem(
          ['generate', 'iactDensity'],
          'the iacts are "previous" (the outputs of the layer before)',
          'remove it, or give the layer its own iacts instead of "previous"',
        );
      }
      return;
    }
    const fromFiles = f.iacts !== undefined || f.weights !== undefined;
    if (fromFiles && f.generate !== undefined) {
      problem(['generate'], 'the layer gives both .npy files (iacts/weights) and generate', 'keep either "iacts" + "weights" or "generate", not both');
    } else if (fromFiles) {
      for (const k of ['iacts', 'weights'] as const) {
        if (f[k] === undefined) problem([k], 'missing', `add it: ${HELP[k]}`);
      }
    } else if (f.generate === undefined) {
      problem([], 'the layer has no data', `add "iacts" and "weights" (.npy paths) or "generate": ${HELP['generate']}`);
    } else if (f.generate.iactDensity === undefined) {
      problem(['generate', 'iactDensity'], 'missing', `add it: ${HELP['generate.iactDensity']}`);
    }
  });

export type LayerFile = z.infer<typeof LayerFileSchema>;

/** What each field accepts, quoted in the fix of every message about it. */
const HELP: Record<string, string> = {
  name: 'a non-empty string (default: the file name without .json)',
  type: 'one of "conv", "depthwise", "pointwise", "fc"',
  shape: 'an object { "C", "M", "H", "W", "R", "S", "stride", "padding", "groups" } (and optional "N")',
  'shape.N': 'a positive integer, the batch (default 1)',
  'shape.C': 'a positive integer, the input channels of all groups',
  'shape.M': 'a positive integer, the output channels of all groups',
  'shape.H': 'a positive integer, the input height',
  'shape.W': 'a positive integer, the input width',
  'shape.R': 'a positive integer, the filter height (1 for pointwise, H for fc)',
  'shape.S': 'a positive integer, the filter width (1 for pointwise, W for fc)',
  'shape.stride': 'a positive integer (1 for fc)',
  'shape.padding': 'a non-negative integer, zero padding on each side (0 for fc)',
  'shape.groups': 'a positive integer dividing C and M (C for depthwise, 1 for fc)',
  iactSigned: 'true for int8 iacts, false (default) for uint8',
  requant: `an object { "shift": 0..${PSUM_BITS - 1}, "activation": "relu" (the default and only choice: outputs are uint8), "multipliers": [one per output channel] (optional; chips with "outputMultiplierBits") }`,
  'requant.shift': `an integer 0..${PSUM_BITS - 1}, the right shift of the 20-bit psums (0..${MAX_SCALED_SHIFT} with "multipliers")`,
  'requant.multipliers': `an array of shape.M integers 0..${2 ** MAX_OUTPUT_MULTIPLIER_BITS - 1}: output channel m's ReLU'd psum is multiplied by entry m before the shift; the architecture needs "outputMultiplierBits" wide enough for the largest`,
  'requant.activation': '"relu" (outputs are uint8, so ReLU is the only activation)',
  iacts:
    'the path, relative to the folder of this JSON file, of a .npy file of NCHW iacts (uint8, int8 when iactSigned), or "previous" in a network file (the 8-bit outputs of the layer before)',
  weights: 'the path, relative to the folder of this JSON file, of a .npy file of int8 MCRS weights (C/groups channels)',
  generate: 'an object { "iactDensity": 0..1, "weightDensity": 0..1, "seed": integer 0..2^32-1 }',
  'generate.iactDensity': 'a number in 0..1, the fraction of non-zero iacts (leave it out when the iacts are "previous")',
  'generate.weightDensity': 'a number in 0..1, the fraction of non-zero weights',
  'generate.seed': 'an integer 0..2^32-1 (the same seed always gives the same tensors)',
};

/** The fields `help` allows inside the object at `prefix` ('' = the top level). */
function allowedFields(help: Record<string, string>, prefix: string): string[] {
  const depth = prefix === '' ? 0 : prefix.split('.').length;
  return Object.keys(help)
    .filter((k) => (prefix === '' || k.startsWith(`${prefix}.`)) && k.split('.').length === depth + 1)
    .map((k) => k.split('.').pop()!);
}

function valueAt(json: unknown, path: readonly PropertyKey[]): unknown {
  let v = json;
  for (const k of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<PropertyKey, unknown>)[k];
  }
  return v;
}

/** A layer file that is wrong; `problems` are "field: problem; fix: ..." lines, the message names the file. */
export class LayerFileError extends Error {
  constructor(
    readonly file: string,
    readonly problems: string[],
  ) {
    super(problems.length === 1 ? `${file}: ${problems[0]!}` : `${file}: ${problems.length} problems\n${problems.map((p) => `  ${p}`).join('\n')}`);
    this.name = 'LayerFileError';
  }
}

export interface IssueContext {
  /** What each field (dotted path) accepts; also the list of allowed fields. */
  help: Record<string, string>;
  /** What the whole object (or a field without help) must be. */
  fallback: string;
  /** Where the object sits in its file ('' = the top level, e.g. "layers.2" of a NETWORK.json). */
  within?: string;
}

/**
 * "field: problem; fix: ..." lines for a JSON value's schema issues: unknown fields with the
 * allowed ones, missing fields with what to add, wrong values with what they must be, and the
 * schema's custom checks with their own fix. Shared by every user file, so all read alike.
 */
export function describeIssues(json: unknown, issues: readonly z.core.$ZodIssue[], c: IssueContext): string[] {
  const within = c.within ?? '';
  const where = (field: string): string => (within === '' ? (field === '' ? '(top level)' : field) : field === '' ? within : `${within}.${field}`);
  const problems: string[] = [];
  for (const iss of issues) {
    const at = iss.path.map(String).join('.');
    // An array element takes its array's help (requant.multipliers.3: requant.multipliers).
    const help =
      c.help[at] ??
      c.help[
        iss.path
          .filter((k) => typeof k !== 'number')
          .map(String)
          .join('.')
      ] ??
      c.fallback;
    if (iss.code === 'unrecognized_keys') {
      for (const key of iss.keys) {
        const scope = at === '' ? (within === '' ? 'at the top level' : `in ${within}`) : `in ${where(at)}`;
        problems.push(
          `${where(at === '' ? key : `${at}.${key}`)}: unknown field; fix: remove it or correct its spelling (allowed ${scope}: ${allowedFields(c.help, at).join(', ')})`,
        );
      }
    } else if (iss.code === 'custom') {
      problems.push(`${where(at)}: ${iss.message}; fix: ${String(iss.params?.['fix'])}`);
    } else if (valueAt(json, iss.path) === undefined) {
      problems.push(`${where(at)}: missing; fix: add it: ${help}`);
    } else {
      problems.push(`${where(at)}: ${iss.message}; fix: set it to ${help}`);
    }
  }
  return problems;
}

/**
 * Validates parsed LAYER.json content; throws LayerFileError listing every problem. `within`
 * names where the layer sits when it is one entry of a bigger file (e.g. "layers.2" of a
 * NETWORK.json), so that field names in the messages lead to the right place.
 */
export function parseLayerFile(json: unknown, file: string, within = ''): LayerFile {
  const r = LayerFileSchema.safeParse(json);
  if (r.success) return r.data;
  throw new LayerFileError(file, describeIssues(json, r.error.issues, { help: HELP, fallback: 'a JSON object with the fields of docs/run.md', within }));
}
