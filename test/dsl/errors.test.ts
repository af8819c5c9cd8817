import { describe, expect, it } from 'vitest';
import { Bool, Bundle, Decoupled, ElaborationError, SInt, UInt, defineModule, elaborate } from '../../generator/dsl/index.js';

/** Elaborates a one-off module and returns the error it raised. */
function failure(build: Parameters<typeof defineModule>[1]): ElaborationError {
  const def = defineModule('Bad', build);
  try {
    elaborate(def, {});
  } catch (e) {
    expect(e).toBeInstanceOf(ElaborationError);
    return e as ElaborationError;
  }
  throw new Error('elaboration was expected to fail but succeeded');
}

const here = 'test/dsl/errors.test.ts:';

describe('elaboration errors name module, signal and the TypeScript line', () => {
  it('truncating assignment without a cast', () => {
    const e = failure((m) => {
      const a = m.input('a', UInt(8));
      const y = m.output('y', UInt(8));
      y.set(a.add(1));
      return {};
    });
    expect(e.message).toMatch(
      /^Bad\.y \(test\/dsl\/errors\.test\.ts:\d+\): width mismatch: a UInt<9> value would be truncated to UInt<8>; cut it explicitly with \.trunc\(8\)/,
    );
    expect(e.moduleName).toBe('Bad');
    expect(e.signal).toBe('y');
    expect(e.site.startsWith(here)).toBe(true);
  });

  it('signedness mismatch', () => {
    const e = failure((m) => {
      const a = m.input('a', SInt(8));
      m.output('y', UInt(8)).set(a);
      return {};
    });
    expect(e.message).toMatch(/Bad\.y .*signedness mismatch: SInt<8> assigned to UInt<8>/);
  });

  it('literal that does not fit the target', () => {
    const e = failure((m) => {
      m.output('y', UInt(4)).set(16);
      return {};
    });
    expect(e.message).toMatch(/Bad\.y .*literal 16 does not fit in UInt<4>/);
  });

  it('output never driven', () => {
    const e = failure((m) => {
      m.output('y', UInt(4));
      return {};
    });
    expect(e.message).toMatch(/^Bad\.y \(test\/dsl\/errors\.test\.ts:\d+\): output is never driven/);
  });

  it('wire driven on some paths only (would be a latch)', () => {
    const e = failure((m) => {
      const c = m.input('c', Bool());
      const w = m.wire('w', UInt(4));
      m.when(c, () => w.set(3));
      m.output('y', UInt(4)).set(w);
      return {};
    });
    expect(e.message).toMatch(/Bad\.w .*not driven on every path \(it would be a latch\)/);
  });

  it('when/otherwise that covers every path is accepted', () => {
    const def = defineModule('Good', (m) => {
      const c = m.input('c', Bool());
      const y = m.output('y', UInt(4));
      m.when(c, () => y.set(3)).otherwise(() => y.set(4));
      return {};
    });
    expect(() => elaborate(def, {})).not.toThrow();
  });

  it('signal driven from two places', () => {
    const e = failure((m) => {
      const y = m.output('y', UInt(4));
      y.set(1);
      y.set(2);
      return {};
    });
    expect(e.message).toMatch(/Bad\.y .*driven from two places in the same block \(first at test\/dsl\/errors\.test\.ts:\d+\)/);
  });

  it('driving a module input', () => {
    const e = failure((m) => {
      const a = m.input('a', UInt(4));
      a.set(1);
      return {};
    });
    expect(e.message).toMatch(/Bad\.a .*cannot be driven here: it is an input of this module/);
  });

  it('combinational loop inside a module', () => {
    const e = failure((m) => {
      const a = m.wire('a', UInt(4));
      const b = m.wire('b', UInt(4));
      a.set(b);
      b.set(a.addWrap(1));
      m.output('y', UInt(4)).set(a);
      return {};
    });
    expect(e.message).toMatch(/combinational loop: (a -> b -> a|b -> a -> b); break it with a register/);
  });

  const Pass = defineModule('Pass', (m) => {
    const i = m.input('i', UInt(4));
    const o = m.output('o', UInt(4));
    o.set(i);
    return { i, o };
  });

  it('combinational loop through a child instance', () => {
    const e = failure((m) => {
      const u = m.instance('u', Pass, {});
      u.i.set(u.o.addWrap(1));
      m.output('y', UInt(4)).set(u.o);
      return {};
    });
    expect(e.message).toMatch(/combinational loop: .*u_i.*u_o|combinational loop: .*u_o.*u_i/);
  });

  it('a loop through a register is fine', () => {
    const def = defineModule('RegLoop', (m) => {
      const r = m.reg('r', UInt(4), { init: 0 });
      r.set(r.addWrap(1));
      m.output('y', UInt(4)).set(r);
      return {};
    });
    expect(() => elaborate(def, {})).not.toThrow();
  });

  it('instance port not connected', () => {
    const e = failure((m) => {
      const u = m.instance('u', Pass, {});
      m.output('y', UInt(4)).set(u.o);
      return {};
    });
    expect(e.message).toMatch(/^Bad\.u_i \(test\/dsl\/errors\.test\.ts:\d+\): input port 'i' of instance 'u' is not connected/);
  });

  it('instance port connected twice', () => {
    const e = failure((m) => {
      const a = m.input('a', UInt(4));
      const u = m.instance('u', Pass, {});
      u.i.set(a);
      u.i.set(0);
      m.output('y', UInt(4)).set(u.o);
      return {};
    });
    expect(e.message).toMatch(/Bad\.u_i .*driven from two places/);
  });

  it('driving an instance output', () => {
    const e = failure((m) => {
      const u = m.instance('u', Pass, {});
      u.i.set(0);
      u.o.set(1);
      return {};
    });
    expect(e.message).toMatch(/Bad\.u_o .*it is an output of a child instance/);
  });

  it('bulk connect of mismatched shapes', () => {
    const e = failure((m) => {
      const a = m.input('a', Decoupled(UInt(8)));
      const b = m.output('b', Decoupled(UInt(9)));
      m.connect(b, a);
      return {};
    });
    expect(e.message).toMatch(/connect: shapes differ/);
  });

  it("reading another module's signal", () => {
    let leaked: ReturnType<typeof UInt> | undefined;
    const Inner = defineModule('Inner', (m) => {
      const i = m.input('i', UInt(4));
      m.output('o', UInt(4)).set(i);
      leaked = i as never;
      return {};
    });
    const e = failure((m) => {
      m.instance('u', Inner, {});
      m.output('y', UInt(4)).set(leaked as never);
      return {};
    });
    expect(e.message).toMatch(/reads 'i' of module Inner; connect through that module's ports/);
  });

  it('dangling elsewhen', () => {
    const e = failure((m) => {
      const c = m.input('c', Bool());
      const y = m.output('y', UInt(2));
      y.set(0);
      const chain = m.when(c, () => y.set(1));
      m.output('z', UInt(2)).set(0);
      chain.elsewhen(c.not(), () => y.set(2));
      return {};
    });
    expect(e.message).toMatch(/elsewhen must directly follow its when/);
  });

  it('names that are not legal or are Verilog keywords', () => {
    expect(failure((m) => (m.input('reg', UInt(1)), {})).message).toMatch(/reserved word in Verilog/);
    expect(failure((m) => (m.input('_x', UInt(1)), {})).message).toMatch(/not a legal Verilog identifier/);
    expect(failure((m) => (m.input('a', UInt(1)), m.wire('a', UInt(1)), {})).message).toMatch(/name already used/);
  });

  it('non-Bool when condition', () => {
    const e = failure((m) => {
      const a = m.input('a', UInt(2));
      const y = m.output('y', UInt(2));
      y.set(0);
      m.when(a, () => y.set(1));
      return {};
    });
    expect(e.message).toMatch(/when: the condition must be a Bool, got UInt<2>/);
  });
});

describe('module identity and hygiene errors', () => {
  const Leaf = defineModule('Leaf', (m) => {
    const i = m.input('i', UInt(4));
    const o = m.output('o', UInt(4));
    o.set(i);
    return { i, o };
  });

  it('a parent and a child that would share a module name', () => {
    const Top = defineModule(
      'Top',
      (m) => {
        const u = m.instance('u', Leaf, {});
        u.i.set(0);
        m.output('y', UInt(4)).set(u.o);
        return {};
      },
      { nameFor: () => 'Leaf' },
    );
    expect(() => elaborate(Top, {})).toThrow(/two different modules would both be named 'Leaf'/);
  });

  it('two definitions with one base name stay two modules', () => {
    const A = defineModule('Same', (m) => (m.output('y', UInt(4)).set(1), {}));
    const B = defineModule('Same', (m) => (m.output('z', UInt(4)).set(2), {}));
    const Top = defineModule('Top2', (m) => {
      m.instance('a', A, {});
      m.instance('b', B, {});
      m.output('y', UInt(1)).set(0);
      return {};
    });
    expect(() => elaborate(Top, {})).toThrow(/two different modules would both be named 'Same'/);
  });

  it('parameters that are not plain data', () => {
    const P = defineModule('P', (m, _p: { t: unknown }) => (m.output('y', UInt(1)).set(0), {}));
    expect(() => elaborate(P, { t: new Map([['a', 1]]) })).toThrow(/module parameters must be plain data .*got a Map/);
    expect(() => elaborate(P, { t: Number.NaN })).toThrow(/finite numbers, got NaN/);
  });

  it('returned io must be port handles under their port names', () => {
    const Misnamed = defineModule('Misnamed', (m) => {
      const x = m.input('in_x', UInt(1));
      m.output('y', UInt(1)).set(x);
      return { x };
    });
    expect(() => elaborate(Misnamed, {})).toThrow(/Misnamed\.x .*returned as 'x' but the port is named 'in_x'; return it as \{ in_x \}/);
    const NotPort = defineModule('NotPort', (m) => {
      const w = m.wire('w', UInt(1));
      w.set(0);
      m.output('y', UInt(1)).set(w);
      return { w };
    });
    expect(() => elaborate(NotPort, {})).toThrow(/returned 'w' is not a port of this module/);
  });

  it('a module cannot change after elaboration, nor be read through a leaked memory', () => {
    let leaked: import('../../generator/dsl/index.js').Mem | undefined;
    const Child = defineModule('MChild', (m) => {
      const mem = m.mem('mm', 4, UInt(4));
      const a = m.input('a', UInt(2));
      mem.write(a, 1);
      m.output('q', UInt(4)).set(mem.read(a));
      leaked = mem;
      return {};
    });
    const e1 = failure((m) => {
      const u = m.instance('u', Child, {});
      void u;
      m.output('y', UInt(4)).set(leaked!.read(2));
      return {};
    });
    expect(e1.message).toMatch(/already elaborated; it cannot change after its body returned|reads memory 'mm' of module MChild/);
    const e2 = failure((m) => {
      m.instance('u', Child, {});
      leaked!.write(3, 5);
      m.output('y', UInt(4)).set(0);
      return {};
    });
    expect(e2.message).toMatch(/MChild\.mm .*already elaborated/);
  });

  it('SystemVerilog and C++ keywords are not names', () => {
    expect(failure((m) => (m.input('type', UInt(1)), {})).message).toMatch(/reserved word in Verilog, SystemVerilog or C\+\+/);
    expect(failure((m) => (m.input('switch', UInt(1)), {})).message).toMatch(/reserved word/);
    const Bad = defineModule('BadName', (m) => (m.output('y', UInt(1)).set(0), {}), { nameFor: () => 'final' });
    expect(() => elaborate(Bad, {})).toThrow(/module name is a reserved word/);
  });

  it('errors from expression helpers carry the module and the line', () => {
    const e = failure((m) => {
      const a = m.input('a', UInt(4));
      const s = m.input('s', SInt(4));
      m.output('y', UInt(5)).set(a.add(s));
      return {};
    });
    expect(e.message).toMatch(/^Bad \(test\/dsl\/errors\.test\.ts:\d+\): add: cannot mix UInt<4> and SInt<4>/);
  });

  it('a reset value that does not fit', () => {
    const e = failure((m) => {
      const r = m.reg('r', UInt(4), { init: 20 });
      r.set(r);
      m.output('y', UInt(4)).set(r);
      return {};
    });
    expect(e.message).toMatch(/^Bad\.r \(test\/dsl\/errors\.test\.ts:\d+\): reset value: literal 20 does not fit in UInt<4>/);
  });

  it('Bool and UInt<1> are the same shape for bulk connects', () => {
    const def = defineModule('BoolConnect', (m) => {
      const a = m.input('a', Bundle({ x: Bool() }));
      const b = m.output('b', Bundle({ x: UInt(1) }));
      m.connect(b, a);
      return {};
    });
    expect(() => elaborate(def, {})).not.toThrow();
  });
});
