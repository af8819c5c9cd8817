import { Bool, Decoupled, UInt, Vec, defineModule, mux, type Expr, type ModuleBuilder, type ModuleDef, type Signal } from '../../dsl/index.js';
import { pesPerCluster } from '../../../spec/noc/params.js';
import { GlbCluster } from '../glb/glb-cluster.js';
import { IactStager } from '../glb/iact-stager.js';
import { clusterCfgWidth, nocTag } from '../../../spec/noc/cfg-layout.js';
import type { DecoupledIo } from '../noc/router.js';
import { RouterCluster, allMeshPortGroups, meshGroupType } from '../noc/router-cluster.js';
import {
  CMD_END,
  CMD_KIND_BITS,
  CMD_PE_JOB,
  CMD_PSUM_IN,
  CMD_PSUM_OUT,
  clusterLayerCfgWidth,
  cmdPayloadLayouts,
  cmdPayloadOffset,
  cmdTargetBits,
  cmdWidth,
  peJobWidth,
  type ChipParams,
} from '../../../spec/chip/format.js';
import { PeShell, peShellParams } from './pe-shell.js';

export type ClusterParams = Pick<ChipParams, 'noc' | 'pe' | 'glb'>;

const D = (w: number) => Decoupled(UInt(w));

/** The handles a child definition gives its parent. */
type IoOf<Def> = Def extends ModuleDef<never, infer IO> ? IO : never;

/** What the cluster's sub-builders share: its parameters, its ports and its children. */
interface ClusterParts {
  p: ClusterParams;
  chipLike: ChipParams;
  io: ReturnType<typeof declarePorts>;
  router: IoOf<typeof RouterCluster>;
  glb: IoOf<typeof GlbCluster>;
  shells: IoOf<typeof PeShell>[];
  stagers: IoOf<typeof IactStager>[];
}

function setBundle(b: unknown, values: Record<string, number | Expr>): void {
  for (const [k, v] of Object.entries(values)) (b as Record<string, Signal>)[k]!.set(v);
}

// Off-chip inputs wait for `enable`, so a half-written configuration never routes a word.
function gate(enable: Signal, outer: DecoupledIo, inner: DecoupledIo): void {
  inner.valid.set(outer.valid.and(enable));
  inner.bits.set(outer.bits);
  outer.ready.set(inner.ready.and(enable));
}

/**
 * One cluster of the chip (chip/README.md): peRows x peCols PE shells, the router cluster and the
 * GLB cluster, and the cluster controller that runs the command stream. Off-chip iacts enter the
 * GLB iact ports through their stagers (bypass straight into iact router k, or segments that
 * store, replay or pass words; iact-stager.ts), off-chip weights the weight routers;
 * psums climb each PE column (row 0 at the bottom) into the psum router, which sends them south
 * or into psum bank k; out_k carries the bank's bypass drain (psumBypass) or its read stream.
 * Nothing is taken from cmd, iact or weight until `enable`.
 */
export const Cluster = defineModule(
  'Cluster',
  (m, p: ClusterParams) => {
    const n = p.noc;
    const nPe = pesPerCluster(n);
    const chipLike = { ...p, rows: 1, cols: 1 };
    const io = declarePorts(m, p, chipLike);
    const router = m.instance('routers', RouterCluster, n);
    const glb = m.instance('glb', GlbCluster, p.glb);
    const shells = Array.from({ length: nPe }, (_, k) => m.instance(`pe_${Math.floor(k / n.peCols)}_${k % n.peCols}`, PeShell, peShellParams(chipLike)));

    const nocBits = clusterCfgWidth(n);
    router.cfg.set(io.cfg.bits(nocBits - 1, 0));
    const psumBypass = m.node('psum_bypass', io.cfg.bit(nocBits));
    const iactStaged = m.node('iact_staged', io.cfg.bits(nocBits + n.iactRouters, nocBits + 1));
    const stagers = Array.from({ length: n.iactRouters }, (_, k) =>
      m.instance(`iact_stager_${k}`, IactStager, { depth: p.glb.iactDepth, width: p.glb.iactWidth, countWidth: p.glb.countWidth }),
    );

    const mesh: Record<string, unknown> = {};
    for (const g of allMeshPortGroups(n)) {
      const r = router[g.name as keyof typeof router] as never;
      if (g.side === 'in') m.connect(r, (mesh[g.name] = m.input(g.name, meshGroupType(n, g))));
      else m.connect((mesh[g.name] = m.output(g.name, meshGroupType(n, g))), r);
    }
    const parts: ClusterParts = { p, chipLike, io, router, glb, shells, stagers };
    wireDatapath(m, parts, psumBypass, iactStaged);
    buildController(m, parts);
    return { ...io, ...mesh };
  },
  {
    // 16 copies on the paper chip: built once, Verilator's build takes seconds instead of minutes.
    hierBlock: true,
    nameFor: (p) =>
      `Cluster_${nocTag(p.noc)}_g${p.glb.iactDepth}x${p.glb.psumDepth}c${p.glb.countWidth}_pe${p.pe.iactAddrDepth}x${p.pe.iactDataDepth}x${p.pe.weightAddrDepth}x${p.pe.weightAddrWidth}x${p.pe.weightDataDepth}x${p.pe.psumDepth}`,
  },
);

export const clusterParams = (p: ChipParams): ClusterParams => ({ noc: p.noc, pe: p.pe, glb: p.glb });

function declarePorts(m: ModuleBuilder, p: ClusterParams, chipLike: ChipParams) {
  const n = p.noc;
  return {
    cfg: m.input('cfg', UInt(clusterLayerCfgWidth(chipLike))),
    enable: m.input('enable', Bool()),
    cmd: m.input('cmd', D(cmdWidth(chipLike))),
    iact: m.input('iact', Vec(n.iactRouters, D(n.iactWidth))),
    weight: m.input('weight', Vec(n.peRows, D(n.weightWidth))),
    out: m.output('out', Vec(n.peCols, D(n.psumWidth))),
    done: m.output('done', Bool()),
    bad_cmd: m.output('bad_cmd', Bool()),
  };
}

/** Off-chip iacts and weights into the routers and GLB, the PE columns' psum chains, and the out ports. */
function wireDatapath(m: ModuleBuilder, { p, io, router, glb, shells, stagers }: ClusterParts, psumBypass: Expr, iactStaged: Expr): void {
  const n = p.noc;
  for (let k = 0; k < n.iactRouters; k++) {
    const st = stagers[k]!;
    gate(io.enable, io.iact.get(k), st.in);
    st.staged.set(iactStaged.bit(k));
    m.connect(glb.iact_wr.get(k), st.wr);
    glb.iact_bypass.get(k).set(st.bypass);
    glb.iact_wr_start.get(k).set(st.wr_start);
    glb.iact_rd_start.get(k).set(st.rd_start);
    m.connect(glb.iact_wr_cfg.get(k), st.wr_cfg);
    m.connect(glb.iact_rd_cfg.get(k), st.rd_cfg);
    st.wr_busy.set(glb.iact_wr_busy.get(k));
    m.connect(router.glb_iact.get(k), glb.iact_rd.get(k));
    st.rd_valid.set(glb.iact_rd.get(k).valid);
    st.rd_ready.set(router.glb_iact.get(k).ready);
  }
  for (let k = 0; k < n.peRows; k++) gate(io.enable, io.weight.get(k), router.glb_weight.get(k));
  shells.forEach((s, k) => {
    m.connect(s.iact, router.pe_iact.get(k));
    m.connect(s.weight, router.pe_weight.get(k));
  });
  for (let c = 0; c < n.peCols; c++) {
    const col = Array.from({ length: n.peRows }, (_, r) => shells[r * n.peCols + c]!);
    m.connect(col[0]!.psum_in, router.pe_psum_bottom.get(c));
    for (let r = 1; r < n.peRows; r++) m.connect(col[r]!.psum_in, col[r - 1]!.psum_out);
    m.connect(router.pe_psum_top.get(c), col[n.peRows - 1]!.psum_out);
    m.connect(glb.psum_in.get(c), router.glb_psum_wr.get(c));
    // Bank reads leave the chip (the runtime accumulates passes in the bank, never re-enters a PE).
    const rd = router.glb_psum_rd.get(c);
    rd.valid.set(0);
    rd.bits.set(0);
    glb.psum_bypass.get(c).set(psumBypass);
    const out = io.out.get(c);
    const drain = glb.psum_drain.get(c);
    const reads = glb.psum_out.get(c);
    out.valid.set(mux(psumBypass, drain.valid, reads.valid));
    out.bits.set(mux(psumBypass, drain.bits, reads.bits));
    drain.ready.set(out.ready.and(psumBypass));
    reads.ready.set(out.ready.and(psumBypass.not()));
  }
}

/** The cluster controller: one command per cycle at most, in order. */
function buildController(m: ModuleBuilder, { p, chipLike, io, glb, shells, stagers }: ClusterParts): void {
  const n = p.noc;
  const nPe = pesPerCluster(n);
  const cmd = { valid: m.wire('head_valid', Bool()), ready: m.wire('head_ready', Bool()), bits: m.wire('head_bits', UInt(cmdWidth(chipLike))) };
  gate(io.enable, io.cmd, cmd);
  const kind = m.node('cmd_kind', cmd.bits.bits(CMD_KIND_BITS - 1, 0));
  const tb = cmdTargetBits(chipLike);
  const target = m.node('cmd_target', cmd.bits.bits(CMD_KIND_BITS + tb - 1, CMD_KIND_BITS));
  const off = cmdPayloadOffset(chipLike);
  const jobBits = cmd.bits.bits(off + peJobWidth(p.pe) - 1, off);
  const glbFields = cmdPayloadLayouts(chipLike).glb;
  const glbField = (name: string): Expr => {
    const f = glbFields.find((x) => x.name === name)!;
    return cmd.bits.bits(off + f.offset + f.width - 1, off + f.offset);
  };
  const isKind = (k: number) => kind.eq(k);

  let readyExpr: Expr = isKind(CMD_END);
  const endSeen = m.reg('end_seen', Bool(), { init: 0 });
  const badCmd = m.reg('bad_cmd_seen', Bool(), { init: 0 });
  shells.forEach((s, k) => {
    const hit = isKind(CMD_PE_JOB).and(target.eq(k));
    s.cmd.valid.set(cmd.valid.and(hit));
    s.cmd.bits.set(jobBits);
    readyExpr = readyExpr.or(hit.and(s.cmd.ready));
  });
  const banksIdle: Expr[] = [];
  for (let b = 0; b < p.glb.psumBanks; b++) {
    const inStart = m.reg(`psum_in_start_${b}`, Bool(), { init: 0 });
    const outStart = m.reg(`psum_out_start_${b}`, Bool(), { init: 0 });
    const bankIdle = m.node(`bank_idle_${b}`, glb.psum_in_busy.get(b).not().and(glb.psum_out_busy.get(b).not()).and(inStart.not()).and(outStart.not()));
    banksIdle.push(bankIdle);
    const hitIn = isKind(CMD_PSUM_IN).and(target.eq(b));
    const hitOut = isKind(CMD_PSUM_OUT).and(target.eq(b));
    readyExpr = readyExpr.or(hitIn.or(hitOut).and(bankIdle));
    const takeIn = m.node(`take_psum_in_${b}`, cmd.valid.and(hitIn).and(bankIdle));
    const takeOut = m.node(`take_psum_out_${b}`, cmd.valid.and(hitOut).and(bankIdle));
    inStart.set(takeIn);
    outStart.set(takeOut);
    // Generator configurations are held in registers for the whole stream, as AddrGen requires.
    const gen = (prefix: string, take: Expr) => {
      const keep = (f: string) => m.regNext(`${prefix}_${f}_${b}`, glbField(f), { enable: take });
      return { base: keep('base'), stride0: keep('stride0'), count0: keep('count0'), stride1: keep('stride1'), count1: keep('count1') };
    };
    const inCfg = glb.psum_in_cfg.get(b);
    inCfg.accumulate.set(m.regNext(`psum_in_accumulate_${b}`, glbField('accumulate').asBool(), { enable: takeIn }));
    setBundle(inCfg.addr, gen('psum_in', takeIn));
    setBundle(glb.psum_out_cfg.get(b), gen('psum_out', takeOut));
    glb.psum_in_start.get(b).set(inStart);
    glb.psum_out_start.get(b).set(outStart);
  }
  // A command naming no PE or bank is dropped and flagged, so the stream cannot wedge on it.
  const badTarget = m.node(
    'bad_target',
    isKind(CMD_PE_JOB)
      .and(target.ge(nPe))
      .or(isKind(CMD_PSUM_IN).or(isKind(CMD_PSUM_OUT)).and(target.ge(p.glb.psumBanks))),
  );
  cmd.ready.set(readyExpr.or(badTarget));
  m.when(cmd.valid.and(cmd.ready).and(isKind(CMD_END)), () => endSeen.set(1));
  m.when(cmd.valid.and(badTarget), () => badCmd.set(1));

  let allIdle: Expr = endSeen;
  for (const s of shells) allIdle = allIdle.and(s.idle);
  for (const b of banksIdle) allIdle = allIdle.and(b);
  for (const st of stagers) allIdle = allIdle.and(st.idle);
  for (let c = 0; c < n.peCols; c++) allIdle = allIdle.and(io.out.get(c).valid.not());
  io.done.set(allIdle);
  io.bad_cmd.set(badCmd);
}
