// What the system top counts (docs/system.md, "Register map"): words per stream type, starved and
// blocked cycles, since start; and, for the watchdog, the cycles since anything last moved.
import { UInt, type Expr, type ModuleBuilder, type Signal } from '../../dsl/index.js';
import { REG } from '../../../spec/system.js';
import type { wireStreams } from './streams.js';

type Streams = ReturnType<typeof wireStreams>;

/**
 * The counters (cleared by `start`, counting while `busy`) as s_axil registers (REG offset, value),
 * and `quiet`: cycles since a stream word, an AXI request or an AXI beat (`moves`) last moved.
 */
export function activity(
  m: ModuleBuilder,
  a: { start: Expr; busy: Expr; fires: Streams['fires']; starving: Expr[]; blocked: Expr[]; rdIdle: Expr; moves: () => Expr[] },
) {
  const count = (name: string, events: Expr[]): Signal => {
    const r = m.reg(name, UInt(32), { init: 0 });
    const sum = events.map((e) => e.zext(8)).reduce((x, y) => x.addWrap(y));
    m.when(a.start, () => r.set(0)).elsewhen(a.busy, () => r.set(r.addWrap(sum).trunc(32)));
    return r;
  };
  const counters = {
    cfg: count('cnt_cfg', a.fires.cfg),
    cmd: count('cnt_cmd', a.fires.cmd),
    iact: count('cnt_iact', a.fires.iact),
    weight: count('cnt_weight', a.fires.weight),
    out: count('cnt_out', a.fires.out),
    // Only chips with an output multiplier have scale streams (REG.scaleWords is unmapped without).
    scale: a.fires.scale.length > 0 ? count('cnt_scale', a.fires.scale) : undefined,
    // A core input ready with no word while the read DMAs still have words to fetch.
    starve: count('cnt_starve', [m.node('any_starve', a.starving.reduce((x, y) => x.or(y)).and(a.rdIdle.not()))]),
    block: count('cnt_block', [
      m.node(
        'any_block',
        a.blocked.reduce((x, y) => x.or(y)),
      ),
    ]),
  };
  const registers: [number, Expr][] = [
    [REG.cfgWords, counters.cfg],
    [REG.cmdWords, counters.cmd],
    [REG.iactWords, counters.iact],
    [REG.weightWords, counters.weight],
    [REG.outWords, counters.out],
    [REG.starveCycles, counters.starve],
    [REG.blockCycles, counters.block],
    ...(counters.scale === undefined ? [] : [[REG.scaleWords, counters.scale] as [number, Expr]]),
  ];
  const moved = m.node(
    'moved',
    [...Object.values(a.fires).flat(), ...a.moves()].reduce((x, y) => x.or(y)),
  );
  const quiet = m.reg('quiet', UInt(32), { init: 0 });
  m.when(a.start.or(moved), () => quiet.set(0)).elsewhen(a.busy, () => quiet.set(quiet.addWrap(1)));
  return { registers, quiet };
}
