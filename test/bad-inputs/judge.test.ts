// npm run bad-inputs judges each case from what the CLI printed and left; the judge must tell
// a clear refusal from every way of failing one, or the table it prints proves nothing.
import { describe, expect, it } from 'vitest';
import { badInputs, type BadInput } from '../../scripts/bad-inputs/cases.js';
import { judge, type Outcome } from '../../scripts/bad-inputs/judge.js';

const refused: BadInput = { cls: 'c', what: 'w', args: () => [], names: /shape\.C/ };
const valid: BadInput = { ...refused, names: 'accept' };
const outcome = (o: Partial<Outcome>): Outcome => ({ exitCode: 1, signal: undefined, timedOut: false, stderr: '', changed: [], ...o });

describe('the bad-input judge', () => {
  it('gives each verdict for its own outcome', () => {
    const cases: [BadInput, Partial<Outcome>, string][] = [
      [refused, { stderr: 'error: l.json: shape.C: missing; fix: add it' }, 'clear'],
      [refused, { stderr: 'error: something went wrong' }, 'unclear'],
      [refused, { stderr: 'error: shape.C: EACCES: permission denied' }, 'unclear'],
      [refused, { stderr: 'shape.C' }, 'unclear'],
      [refused, { exitCode: 0 }, 'misled'],
      [refused, { stderr: 'TypeError: x is undefined\n    at f (/work/runtime/a.ts:3:9)' }, 'crash'],
      [refused, { exitCode: undefined, signal: 'SIGSEGV' }, 'crash'],
      [refused, { timedOut: true, exitCode: undefined }, 'hang'],
      [refused, { stderr: 'error: shape.C: bad', changed: ['victim.txt'] }, 'lost'],
      [valid, { exitCode: 0 }, 'accepted'],
      [valid, { stderr: 'error: no' }, 'misled'],
    ];
    for (const [c, o, verdict] of cases) expect(judge(c, outcome(o)).verdict, JSON.stringify(o)).toBe(verdict);
  });

  it('the cases: at least the 133 of issue 24, each named once, some valid among them', () => {
    const all = badInputs();
    expect(all.length).toBeGreaterThanOrEqual(133);
    const names = all.map((c) => `${c.cls}: ${c.what}`);
    expect(new Set(names).size).toBe(names.length);
    expect(all.filter((c) => c.names === 'accept').length).toBeGreaterThan(0);
  });
});
