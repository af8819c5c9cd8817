import { Bool, UInt, defineModule } from '../dsl/index.js';

export interface CounterParams {
  width: number;
  /** The counter wraps to 0 after this value. */
  max: number;
}

/** Counts enabled cycles from 0 to `max`, then wraps; `clear` wins over `en`. */
export const Counter = defineModule('Counter', (m, p: CounterParams) => {
  if (p.max < 1 || p.max >= 2 ** p.width) throw new Error(`Counter: max ${p.max} does not fit ${p.width} bits`);
  const en = m.input('en', Bool());
  const clear = m.input('clear', Bool());
  const count = m.output('count', UInt(p.width));
  const wrap = m.output('wrap', Bool());
  const value = m.reg('value', UInt(p.width), { init: 0 });
  const atMax = m.node('at_max', value.eq(p.max));
  m.when(clear, () => value.set(0)).elsewhen(en, () => {
    m.when(atMax, () => value.set(0)).otherwise(() => value.set(value.addWrap(1)));
  });
  count.set(value);
  wrap.set(en.and(atMax).and(clear.not()));
  return { en, clear, count, wrap };
});
