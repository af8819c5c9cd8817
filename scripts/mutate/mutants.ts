// The mutants of `npm run mutate`: small edits of the RTL generator's TypeScript that change the
// hardware it describes. Each is found in the source text (a DSL operator, a constant, a
// condition, a connection, a mux's arms), so a mutant is one replacement of one span.

export interface Mutant {
  /** `<file>:<line>:<column> <operator>`, stable for the same source. */
  id: string;
  file: string;
  line: number;
  operator: string;
  /** Offset and length of the replaced span in the file, and what replaces it. */
  offset: number;
  length: number;
  replacement: string;
}

/** DSL methods swapped for a neighbour: arithmetic, logic, comparisons and their bounds, reductions. */
const METHOD_SWAPS: Record<string, string> = {
  add: 'sub',
  sub: 'add',
  addWrap: 'subWrap',
  subWrap: 'addWrap',
  and: 'or',
  or: 'and',
  xor: 'or',
  eq: 'ne',
  ne: 'eq',
  lt: 'le',
  le: 'lt',
  gt: 'ge',
  ge: 'gt',
  orR: 'andR',
  andR: 'orR',
};
/** Methods whose integer argument is a constant worth moving by one (a width, a bound, an index). */
const CONSTANT_ARGS = new Set(['add', 'sub', 'addWrap', 'subWrap', 'eq', 'ne', 'lt', 'le', 'gt', 'ge', 'bits', 'bit', 'shl', 'shr']);

/** The end of the parenthesised group that starts at `open` (the index of its `(`), or -1. */
function closing(text: string, open: number): number {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    const ch = text[i];
    if (ch === '(' || ch === '[' || ch === '{') depth++;
    else if (ch === ')' || ch === ']' || ch === '}') {
      depth--;
      if (depth === 0) return i;
    } else if (ch === "'" || ch === '`' || ch === '"') {
      const end = text.indexOf(ch, i + 1);
      if (end < 0) return -1;
      i = end;
    }
  }
  return -1;
}

/** The top-level comma-separated arguments between `from` and `to`, as [start, end) spans. */
function splitArgs(text: string, from: number, to: number): [number, number][] {
  const spans: [number, number][] = [];
  let start = from;
  for (let i = from; i < to; i++) {
    const ch = text[i]!;
    if ('([{'.includes(ch)) {
      const end = closing(text, i);
      if (end < 0 || end > to) return [];
      i = end;
    } else if (ch === ',') {
      spans.push([start, i]);
      start = i + 1;
    }
  }
  spans.push([start, to]);
  return spans.filter(([a, b]) => text.slice(a, b).trim() !== '');
}

const trimmed = (text: string, [a, b]: [number, number]): [number, number] => {
  while (a < b && /\s/.test(text[a]!)) a++;
  while (b > a && /\s/.test(text[b - 1]!)) b--;
  return [a, b];
};

/** Spans of the text that are comments or strings: no mutant starts inside them. */
function inertSpans(text: string): [number, number][] {
  const spans: [number, number][] = [];
  const re = /\/\/[^\n]*|\/\*[\s\S]*?\*\/|'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*"|`(?:[^`\\]|\\.)*`/g;
  for (const m of text.matchAll(re)) spans.push([m.index, m.index + m[0].length]);
  return spans;
}

type Edit = Omit<Mutant, 'id' | 'file' | 'line'>;

function* methodEdits(text: string): Generator<Edit> {
  for (const m of text.matchAll(/\.([A-Za-z]+)\(/g)) {
    const name = m[1]!;
    const to = METHOD_SWAPS[name];
    if (to !== undefined) yield { operator: `${name}->${to}`, offset: m.index + 1, length: name.length, replacement: to };
    if (name === 'not' && text.startsWith('.not()', m.index)) yield { operator: 'drop-not', offset: m.index, length: 6, replacement: '' };
    if (CONSTANT_ARGS.has(name)) {
      const c = /^\((\d+)[,)]/.exec(text.slice(m.index + name.length + 1));
      if (c) {
        const n = Number(c[1]);
        yield { operator: `${name}-constant ${n}->${n + 1}`, offset: m.index + name.length + 2, length: c[1]!.length, replacement: String(n + 1) };
      }
    }
  }
}

function* callEdits(text: string): Generator<Edit> {
  for (const m of text.matchAll(/\b(mux|when|set)\(/g)) {
    const open = m.index + m[1]!.length;
    const close = closing(text, open);
    if (close < 0) continue;
    const args = splitArgs(text, open + 1, close).map((s) => trimmed(text, s));
    if (m[1] === 'mux' && args.length === 3) {
      const [, a, b] = args as [[number, number], [number, number], [number, number]];
      const swapped = text.slice(b[0], b[1]) + text.slice(a[1], b[0]) + text.slice(a[0], a[1]);
      yield { operator: 'mux-swap-arms', offset: a[0], length: b[1] - a[0], replacement: swapped };
    }
    if (m[1] === 'when' && args.length === 2) {
      const [c0, c1] = args[0]!;
      yield { operator: 'negate-condition', offset: c0, length: c1 - c0, replacement: `(${text.slice(c0, c1)}).not()` };
    }
    if (m[1] === 'set' && args.length === 1 && text[m.index - 1] === '.') {
      const [a0, a1] = args[0]!;
      const value = text.slice(a0, a1);
      yield { operator: 'connect-constant', offset: a0, length: a1 - a0, replacement: value === '0' ? '1' : '0' };
    }
  }
}

/** Every mutant of one source file, in source order. */
export function mutantsOf(file: string, text: string): Mutant[] {
  const inert = inertSpans(text);
  const live = (e: Edit): boolean => !inert.some(([a, b]) => e.offset >= a && e.offset < b);
  const edits = [...methodEdits(text), ...callEdits(text)].filter(live).sort((a, b) => a.offset - b.offset || a.operator.localeCompare(b.operator));
  return edits.map((e) => {
    const before = text.slice(0, e.offset);
    const line = before.split('\n').length;
    const column = e.offset - before.lastIndexOf('\n');
    return { ...e, id: `${file}:${line}:${column} ${e.operator}`, file, line };
  });
}

export const applyMutant = (text: string, m: Mutant): string => text.slice(0, m.offset) + m.replacement + text.slice(m.offset + m.length);

/** The mutated line before and after, for the survivors' report. */
export function mutantDiff(text: string, m: Mutant): string {
  const lineOf = (t: string, at: number): string => t.slice(t.lastIndexOf('\n', at - 1) + 1, (t.indexOf('\n', at) + 1 || t.length + 1) - 1);
  const after = applyMutant(text, m);
  return `${m.id}\n- ${lineOf(text, m.offset).trim()}\n+ ${lineOf(after, m.offset).trim()}`;
}
