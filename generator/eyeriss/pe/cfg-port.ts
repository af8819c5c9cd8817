import { Bool, Bundle, UInt, type GroundType } from '../../dsl/index.js';
import { PE_JOB_FIELDS } from '../../../spec/pe/job.js';
import { peWidths, type PeParams } from '../../../spec/pe/params.js';

type CfgPortFields = { [K in keyof typeof PE_JOB_FIELDS]: GroundType };

/** The cfg port's DSL fields, in the order and widths spec/pe/job.ts gives. */
export function peJobHeaderFields(p: PeParams): CfgPortFields {
  const w = peWidths(p);
  return Object.fromEntries(Object.entries(PE_JOB_FIELDS).map(([k, f]) => [k, f === 'flag' ? Bool() : UInt(w[f])])) as CfgPortFields;
}

export const peJobHeaderBundle = (p: PeParams) => Bundle(peJobHeaderFields(p));
