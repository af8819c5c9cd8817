import { describe, expect, it } from 'vitest';
import { applyMutant, mutantDiff, mutantsOf } from '../../scripts/mutate/mutants.js';

const SRC = [
  '// a.add(b) in a comment stays',
  "const s = 'x.eq(1)';",
  'const y = a.add(b).eq(3);',
  'm.when(go.and(ready), () => state.set(mux(f(x, y), lit(1, 2), z)));',
  'valid.set(busy.not());',
].join('\n');

describe('mutants of the generator source', () => {
  const ms = mutantsOf('g.ts', SRC);
  const ops = ms.map((m) => m.operator);
  const mutated = (op: string): string =>
    applyMutant(
      SRC,
      ms.find((m) => m.operator === op)!,
    )
      .split('\n')
      .find((l, i) => l !== SRC.split('\n')[i])!;

  it('finds operator, constant, condition, connection and mux mutants, none in comments or strings', () => {
    expect(ops).toEqual(
      expect.arrayContaining(['add->sub', 'eq->ne', 'eq-constant 3->4', 'and->or', 'negate-condition', 'mux-swap-arms', 'connect-constant', 'drop-not']),
    );
    expect(ms.every((m) => m.line >= 3)).toBe(true);
  });

  it('each mutant is one edit of one span', () => {
    expect(mutated('add->sub')).toBe('const y = a.sub(b).eq(3);');
    expect(mutated('eq-constant 3->4')).toBe('const y = a.add(b).eq(4);');
    expect(mutated('negate-condition')).toBe('m.when((go.and(ready)).not(), () => state.set(mux(f(x, y), lit(1, 2), z)));');
    expect(mutated('mux-swap-arms')).toBe('m.when(go.and(ready), () => state.set(mux(f(x, y), z, lit(1, 2))));');
    expect(mutated('drop-not')).toBe('valid.set(busy);');
  });

  it('a connection is tied to a constant, and ids name file, line, column and operator', () => {
    const sets = ms.filter((m) => m.operator === 'connect-constant').map((m) => applyMutant(SRC, m).split('\n'));
    expect(sets.map((l) => l[3])).toContain('m.when(go.and(ready), () => state.set(0));');
    expect(sets.map((l) => l[4])).toContain('valid.set(0);');
    expect(ms.find((m) => m.operator === 'add->sub')!.id).toBe('g.ts:3:13 add->sub');
    expect(
      mutantDiff(
        SRC,
        ms.find((m) => m.operator === 'add->sub')!,
      ),
    ).toBe('g.ts:3:13 add->sub\n- const y = a.add(b).eq(3);\n+ const y = a.sub(b).eq(3);');
  });
});
