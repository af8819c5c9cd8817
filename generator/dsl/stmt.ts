import type { Expr } from './expr.js';
import type { Stmt } from './ir.js';

/**
 * The part of a statement tree that concerns one target (a signal or a memory), with
 * empty whens dropped. The emitter prints one always block per projection and the
 * checks reason about coverage on it.
 */
export function project(block: Stmt[], keep: (s: Stmt) => boolean): Stmt[] {
  const out: Stmt[] = [];
  for (const s of block) {
    if (s.kind !== 'when') {
      if (keep(s)) out.push(s);
      continue;
    }
    const branches = s.branches.map((b) => ({ cond: b.cond, body: project(b.body, keep) }));
    const otherwise = s.otherwise ? project(s.otherwise, keep) : undefined;
    const empty = branches.every((b) => b.body.length === 0) && (otherwise?.length ?? 0) === 0;
    if (empty) continue;
    // Trailing empty branches can go; leading ones must stay so the conditions keep their priority.
    while (branches.length > 1 && branches[branches.length - 1]!.body.length === 0 && !otherwise?.length) {
      branches.pop();
    }
    out.push({ kind: 'when', branches, otherwise: otherwise?.length ? otherwise : undefined, site: s.site });
  }
  return out;
}

/** True when every path through the block assigns the target (the block is already projected). */
export function covers(block: Stmt[]): boolean {
  return block.some(
    (s) => s.kind === 'connect' || (s.kind === 'when' && s.otherwise !== undefined && covers(s.otherwise) && s.branches.every((b) => covers(b.body))),
  );
}

/** Calls `visit` on every expression a (projected) block reads: values, addresses and conditions. */
export function forEachExpr(block: Stmt[], visit: (e: Expr) => void): void {
  for (const s of block) {
    if (s.kind === 'connect') visit(s.value);
    else if (s.kind === 'memwrite') {
      visit(s.addr);
      visit(s.data);
    } else {
      for (const b of s.branches) {
        visit(b.cond);
        forEachExpr(b.body, visit);
      }
      if (s.otherwise) forEachExpr(s.otherwise, visit);
    }
  }
}
