// tb/depth.ts: logic depth of a hierarchical netlist without flattening. A hand-made netlist
// checks the arithmetic; yosys checks the method: on a mapped router cluster (instances of
// routers and link buffers, no SRAMs) the hierarchical figure equals `ltp -noff` on the same
// netlist flattened.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DepthAnalysis, yosysGateLibrary, type Netlist } from '../../tb/depth.js';
import { emitForSim } from '../../tb/dsl.js';
import { readVerilog, runYosys } from '../../tb/synth.js';
import { RouterCluster } from '../../generator/eyeriss/noc/router-cluster.js';
import { paperNoc } from '../../spec/noc/params.js';

const port = (direction: 'input' | 'output', bits: number[]) => ({ direction, bits });
const gate = (type: string, a: number, b: number, y: number) => ({ type, connections: { A: [a], B: [b], Y: [y] } });

/** leaf: y = ((a & b) | a) ^ b (3 levels), q <= a (a flip-flop); top: two leaves in series, the second's y registered. */
const netlist: Netlist = {
  modules: {
    leaf: {
      ports: { a: port('input', [2]), b: port('input', [3]), y: port('output', [6]), q: port('output', [7]) },
      cells: {
        g1: gate('$_AND_', 2, 3, 4),
        g2: gate('$_OR_', 4, 2, 5),
        g3: gate('$_XOR_', 5, 3, 6),
        r: { type: '$_DFF_P_', connections: { C: [8], D: [2], Q: [7] } },
      },
    },
    top: {
      ports: { x: port('input', [2]), z: port('input', [3]), out: port('output', [9]) },
      cells: {
        u1: { type: 'leaf', connections: { a: [2], b: [3], y: [4], q: [5] } },
        u2: { type: 'leaf', connections: { a: [4], b: [5], y: [6], q: [7] } },
        n: { type: '$_NOT_', connections: { A: [6], Y: [8] } },
        r: { type: '$_DFFE_PP_', connections: { C: [10], D: [8], E: [7], Q: [9] } },
      },
    },
  },
};

describe('logic depth without flattening', () => {
  it('composes module timing models: paths through instances are counted whole', () => {
    const a = new DepthAnalysis(netlist, yosysGateLibrary(netlist));
    expect(a.depths('leaf')).toEqual({ regToReg: null, inToReg: 0, regToOut: 0, inToOut: 3 });
    // x -> u1 (3) -> u2 (3) -> NOT -> D: 7; u1's register -> u2.b -> 3 -> NOT -> D: 4; u2's register drives E directly.
    expect(a.depths('top')).toEqual({ regToReg: 4, inToReg: 7, regToOut: 0, inToOut: null });
  });

  it('a combinational loop and an unmapped cell are errors naming the module', () => {
    const loop: Netlist = { modules: { m: { ports: {}, cells: { a: gate('$_AND_', 2, 3, 3) } } } };
    expect(() => new DepthAnalysis(loop, yosysGateLibrary(loop)).depths('m')).toThrow(/module m has a combinational loop/);
    const odd: Netlist = { modules: { m: { ports: {}, cells: { l: { type: '$_DLATCH_P_', connections: {} } } } } };
    expect(() => new DepthAnalysis(odd, yosysGateLibrary(odd)).depths('m')).toThrow(/cell l in m has type \$_DLATCH_P_/);
  });

  it('equals yosys ltp -noff on the same mapped router cluster flattened', async () => {
    const design = await emitForSim(RouterCluster, paperNoc);
    const dir = await mkdtemp(path.join(tmpdir(), 'eyeriss-depth-test-'));
    try {
      const json = path.join(dir, 'mapped.json');
      const script = [
        ...readVerilog(design.files),
        `synth -top ${design.top}`,
        'abc -g AND,NAND,OR,NOR,XOR,XNOR,MUX',
        'opt_clean',
        `write_json ${json}`,
        'flatten',
        'ltp -noff',
      ];
      const out = await runYosys(script.join('; '), 'yosys depth check', { quiet: false });
      const ltp = Number(/Longest topological path in \S+ \(length=(\d+)\)/.exec(out)?.[1]);
      const nl = JSON.parse(await readFile(json, 'utf8')) as Netlist;
      expect(Object.keys(nl.modules).length, 'the netlist is hierarchical').toBeGreaterThan(1);
      const d = new DepthAnalysis(nl, yosysGateLibrary(nl)).depths(design.top);
      expect(Math.max(...[d.regToReg, d.inToReg, d.regToOut, d.inToOut].map((x) => x ?? 0))).toBe(ltp);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 300_000);
});
