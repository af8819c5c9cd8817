// How a bad input is judged: what the command printed and left behind, against what it should name.
import type { BadInput } from './cases.js';

export type Verdict = 'clear' | 'accepted' | 'unclear' | 'misled' | 'crash' | 'hang' | 'lost';

export interface Outcome {
  exitCode: number | undefined;
  signal: string | undefined;
  timedOut: boolean;
  stderr: string;
  /** Files the case wrote before the command whose bytes changed or that went. */
  changed: string[];
}

const STACK = /\n\s+at .+[:(].*\d+:\d+\)?/;
const RAW_ERRNO = /\b(EACCES|EPERM|EEXIST|ENOENT|ENOTDIR|EISDIR|EINVAL)\b(?!.*fix:)/;

/** The verdict and, for anything but clear or accepted, why. */
export function judge(c: BadInput, o: Outcome): { verdict: Verdict; why: string } {
  if (o.timedOut) return { verdict: 'hang', why: 'no exit within the time limit' };
  if (o.changed.length > 0) return { verdict: 'lost', why: `changed or removed: ${o.changed.join(', ')}` };
  if (o.signal !== undefined || STACK.test(o.stderr)) return { verdict: 'crash', why: o.signal ? `killed by ${o.signal}` : 'a stack trace' };
  if (c.names === 'accept')
    return o.exitCode === 0 ? { verdict: 'accepted', why: '' } : { verdict: 'misled', why: `a valid input refused: ${firstLine(o.stderr)}` };
  if (o.exitCode === 0) return { verdict: 'misled', why: 'exit 0 on an input that should be refused' };
  if (!/error/i.test(o.stderr)) return { verdict: 'unclear', why: `no error message: ${firstLine(o.stderr)}` };
  if (RAW_ERRNO.test(o.stderr)) return { verdict: 'unclear', why: `a raw system error: ${firstLine(o.stderr)}` };
  if (!c.names.test(o.stderr)) return { verdict: 'unclear', why: `does not name ${c.names}: ${firstLine(o.stderr)}` };
  return { verdict: 'clear', why: '' };
}

const firstLine = (s: string): string => s.trim().split('\n').slice(0, 2).join(' / ').slice(0, 200);
