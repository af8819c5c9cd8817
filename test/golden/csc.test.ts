import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  CscCapacityError,
  FILLER_PAIR,
  PAD_PAIR,
  checkIactWindow,
  decodeIactSegments,
  decodeWeightCsc,
  encodeIactFlat,
  encodeIactSegments,
  encodeWeightCsc,
  iactSegmentPairs,
  unpackWordToPairs,
  weightColumnEntries,
} from '../../spec/csc.js';
import { paperArch, parseArch } from '../../spec/arch.js';

/** A value that is zero with probability 1 - density, else a uniform non-zero in [lo, hi]. */
const sparseValue = (density: number, lo: number, hi: number) =>
  fc.tuple(fc.double({ min: 0, max: 1, noNaN: true }), fc.integer({ min: lo, max: hi - 1 })).map(([u, v]) => (u < density ? (v >= 0 ? v + 1 : v) : 0));

const weightMatrix = fc
  .record({ rows: fc.integer({ min: 1, max: 32 }), cols: fc.integer({ min: 1, max: 16 }), density: fc.constantFrom(0, 0.05, 0.1, 0.25, 0.5, 0.75, 0.9, 1) })
  .chain(({ rows, cols, density }) =>
    fc.array(sparseValue(density, -128, 127), { minLength: rows * cols, maxLength: rows * cols }).map((data) => ({ rows, cols, data })),
  );

describe('weight CSC', () => {
  it('reproduces the paper Fig. 16 example (count and address vectors)', () => {
    // 4 x 8, column-major; non-zeros a..l at the positions of the figure.
    const rows = 4,
      cols = 8;
    const data = new Array<number>(rows * cols).fill(0);
    const nz: [number, number, number][] = [
      [1, 0, 1],
      [2, 0, 2],
      [0, 1, 3],
      [1, 1, 4],
      [3, 1, 5],
      [2, 2, 6],
      [3, 4, 7],
      [1, 5, 8],
      [3, 5, 9],
      [0, 7, 10],
      [1, 7, 11],
      [2, 7, 12],
    ];
    for (const [r, c, v] of nz) data[c * rows + r] = v;
    const csc = encodeWeightCsc({ rows, cols, data });
    const pairs = csc.words.flatMap(unpackWordToPairs).filter((p) => p !== PAD_PAIR);
    expect(pairs.map((p) => p >> 8)).toEqual([1, 0, 0, 0, 1, 2, 3, 1, 1, 0, 0, 0]);
    expect(pairs.map((p) => p & 0xff)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    // Word-granular end pointers: columns of 2,3,1,0,1,2,0,3 pairs -> 1,2,1,0,1,1,0,2 words.
    expect(csc.addr).toEqual([1, 3, 4, 4, 5, 6, 6, 8]);
    expect(decodeWeightCsc(csc, rows).data).toEqual(data);
  });

  it('packs pair 0 in bits [11:0], pair 1 in [23:12], odd column padded with (0,0)', () => {
    const csc = encodeWeightCsc({ rows: 3, cols: 1, data: [-1, 0, 5] });
    expect(csc.words).toEqual([(0 << 8) | 0xff | (((1 << 8) | 5) << 12)]);
    const odd = encodeWeightCsc({ rows: 3, cols: 1, data: [0, 7, 0] });
    expect(odd.words).toEqual([(1 << 8) | 7]);
  });

  it('uses (15,0) fillers for zero runs longer than 15', () => {
    const data = new Array<number>(32).fill(0);
    data[31] = 9;
    const csc = encodeWeightCsc({ rows: 32, cols: 1, data });
    const pairs = csc.words.flatMap(unpackWordToPairs);
    expect(pairs).toEqual([FILLER_PAIR, (15 << 8) | 9]);
    expect(weightColumnEntries(csc, 0).map((e) => e.row)).toEqual([15, 31]);
    const d16 = new Array<number>(17).fill(0);
    d16[16] = -3;
    expect(encodeWeightCsc({ rows: 17, cols: 1, data: d16 }).words.flatMap(unpackWordToPairs)).toEqual([FILLER_PAIR, 0xfd]);
  });

  it('handles runs of empty columns at the start, middle and end', () => {
    const rows = 2,
      cols = 7;
    const data = [0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 2, 0, 0];
    const csc = encodeWeightCsc({ rows, cols, data });
    expect(csc.addr).toEqual([0, 0, 1, 1, 1, 2, 2]);
    expect(decodeWeightCsc(csc, rows).data).toEqual(data);
  });

  it('decode(encode(x)) == x for random tiles of every density', () => {
    fc.assert(
      fc.property(weightMatrix, (w) => {
        let csc;
        try {
          csc = encodeWeightCsc(w);
        } catch (e) {
          // Only the data SPad can overflow for shapes within M0 <= 32, C0*S <= 16.
          expect(e).toBeInstanceOf(CscCapacityError);
          expect((e as CscCapacityError).limit).toBe('spads.weightData.depth');
          expect((e as CscCapacityError).needed).toBeGreaterThan(96);
          return;
        }
        expect(csc.words.length).toBeLessThanOrEqual(96);
        expect(csc.addr.length).toBe(w.cols);
        expect(csc.words.every((x) => x >= 0 && x < 1 << 24)).toBe(true);
        expect(decodeWeightCsc(csc, w.rows).data).toEqual(w.data);
      }),
      { numRuns: 600 },
    );
  });

  it('rejects tiles that exceed the SPads, naming the limit', () => {
    expect(() => encodeWeightCsc({ rows: 33, cols: 1, data: new Array(33).fill(1) })).toThrow(/spads\.psum\.depth is 32/);
    expect(() => encodeWeightCsc({ rows: 1, cols: 17, data: new Array(17).fill(1) })).toThrow(/spads\.weightAddr\.depth is 16/);
    // 193 non-zeros cannot fit 96 words of two pairs.
    expect(() => encodeWeightCsc({ rows: 32, cols: 7, data: new Array(224).fill(1) })).toThrow(/needs 112 but spads\.weightData\.depth is 96/);
    // Exactly 192 non-zeros in even columns fit.
    expect(encodeWeightCsc({ rows: 32, cols: 6, data: new Array(192).fill(1) }).words.length).toBe(96);
    // Column alignment costs words: 16 columns of 11 non-zeros = 176 non-zeros but 16*6 = 96 words; 12 makes 192 -> fits; 13 does not.
    expect(() => encodeWeightCsc({ rows: 13, cols: 16, data: new Array(208).fill(1) })).toThrow(CscCapacityError);
  });
});

const iactStream = fc
  .record({
    segLen: fc.integer({ min: 1, max: 15 }),
    nSeg: fc.integer({ min: 0, max: 40 }),
    signed: fc.boolean(),
    density: fc.constantFrom(0, 0.1, 0.3, 0.5, 0.8, 1),
  })
  .chain(({ segLen, nSeg, signed, density }) =>
    fc
      .array(fc.array(sparseValue(density, signed ? -128 : 0, signed ? 127 : 255), { minLength: segLen, maxLength: segLen }), {
        minLength: nSeg,
        maxLength: nSeg,
      })
      .map((segments) => ({ segments, signed })),
  );

describe('iact CSC', () => {
  it('decode(encode(x)) == x for random streams of every density', () => {
    fc.assert(
      fc.property(iactStream, ({ segments, signed }) => {
        const csc = encodeIactSegments(segments, signed);
        expect(csc.addr.every((a) => a >= 0 && a < 16)).toBe(true);
        expect(csc.data.every((p) => p >= 0 && p < 1 << 12)).toBe(true);
        expect(decodeIactSegments(csc)).toEqual(segments);
      }),
      { numRuns: 600 },
    );
  });

  it('counts restart per segment; an all-zero segment repeats the pointer; pointers wrap modulo 16', () => {
    const csc = encodeIactSegments(
      [
        [0, 0, 5],
        [0, 0, 0],
        [7, 0, 0],
        [1, 2, 3],
        [4, 5, 6],
        [7, 8, 9],
        [1, 1, 1],
        [2, 2, 2],
      ],
      false,
    );
    expect(csc.data.slice(0, 2)).toEqual([(2 << 8) | 5, 7]);
    expect(csc.addr).toEqual([1, 1, 2, 5, 8, 11, 14, 1]);
    expect(iactSegmentPairs(csc).map((p) => p.length)).toEqual([1, 0, 1, 3, 3, 3, 3, 3]);
  });

  it('keeps signed and unsigned 8-bit values apart', () => {
    expect(decodeIactSegments(encodeIactSegments([[255, 128]], false))).toEqual([[255, 128]]);
    expect(decodeIactSegments(encodeIactSegments([[-1, -128]], true))).toEqual([[-1, -128]]);
    expect(() => encodeIactSegments([[-1]], false)).toThrow(/uint8/);
    expect(() => encodeIactSegments([[200]], true)).toThrow(/int8/);
  });

  it('rejects segments and windows that do not fit, naming the limit', () => {
    expect(() => encodeIactSegments([new Array(16).fill(1)], false)).toThrow(/spads\.iactData\.depth - 1 is 15/);
    expect(() => checkIactWindow(4, 5)).toThrow(/needs 20 but spads\.iactData\.depth is 16/);
    expect(() => checkIactWindow(1, 10)).toThrow(/spads\.iactAddr\.depth is 9/);
    expect(() => checkIactWindow(4, 4)).not.toThrow();
  });

  it('an iact stream that is not a whole number of segments is an error that says so', () => {
    expect(() => encodeIactFlat([1, 2, 3, 4, 5], 2, false)).toThrow(/5 iact values do not split into segments of 2/);
  });
});

describe('architecture description', () => {
  it('accepts the paper configuration and a small one, rejects bad fields with their path', () => {
    expect(parseArch(JSON.parse(JSON.stringify(paperArch)))).toEqual(paperArch);
    expect(parseArch({ ...paperArch, name: 'small', clusterRows: 1 }).clusterRows).toBe(1);
    expect(() => parseArch({ ...paperArch, clusterRows: 0 })).toThrow(/clusterRows/);
    expect(() => parseArch({ ...paperArch, extra: 1 })).toThrow(/extra/);
    expect(() => parseArch({ ...paperArch, spads: { ...paperArch.spads, weightData: { depth: 96, width: 36 } } })).toThrow(/spads\.weightData\.width/);
    expect(() => parseArch({ ...paperArch, spads: { ...paperArch.spads, weightAddr: { depth: 16, width: 6 } } })).toThrow(/weight address width 6/);
  });
});
