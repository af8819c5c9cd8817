import { Bool, type Expr, type ModuleBuilder } from '../../dsl/index.js';

export interface ForkLeg {
  /** This leg is part of the fork (its select names the source). */
  active: Expr;
  /** The leg's consumer is ready. */
  ready: Expr;
}

/**
 * One ready/valid source feeding several legs (a multicast). Each leg sees valid as soon as the
 * source has a word and that leg has not taken it yet, independent of any ready, as the
 * ready/valid rule requires; a leg that takes the word early is marked and waits. The source
 * is taken once every active leg has taken the word (now or earlier), which clears the marks.
 * With all legs ready this is the paper's lock-step fork at one word per cycle.
 */
export function forkLegs(m: ModuleBuilder, name: string, valid: Expr, legs: ForkLeg[]): { ready: Expr; legValid: Expr[] } {
  const taken = legs.map((_, k) => m.reg(`${name}_taken_${k}`, Bool(), { init: 0 }));
  const legValid = legs.map((leg, k) => m.node(`${name}_valid_${k}`, leg.active.and(valid).and(taken[k]!.not())));
  const ready = m.node(
    `${name}_ready`,
    legs.map((leg, k) => leg.active.not().or(taken[k]!).or(leg.ready)).reduce((a, b) => a.and(b)),
  );
  const fire = valid.and(ready);
  legs.forEach((leg, k) => {
    m.when(fire, () => taken[k]!.set(0)).elsewhen(legValid[k]!.and(leg.ready), () => taken[k]!.set(1));
  });
  return { ready, legValid };
}
