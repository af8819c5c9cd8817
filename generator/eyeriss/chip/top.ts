import { Bool, Bundle, Decoupled, UInt, Vec, cat, defineModule, type Expr, type Handle, type VecHandle } from '../../dsl/index.js';
import { nocTag } from '../../../spec/noc/cfg-layout.js';
import { wireMesh } from '../noc/router-mesh.js';
import { Cluster, clusterParams } from './cluster.js';
import { OutputRequant } from './output-requant.js';
import {
  CFG_DATA_BITS,
  cfgAddrWidth,
  cfgBroadcastAddr,
  cfgClusterStride,
  cfgEnableAddr,
  cfgOutputAddr,
  OUTPUT_SCALED_BIT,
  OUTPUT_SHIFT_BITS,
  cfgWordsPerCluster,
  multiplierBits,
  outputCfgBits,
  scaleWordBits,
  checkChipParams,
  clusterLayerCfgWidth,
  cmdWidth,
  type ChipParams,
} from '../../../spec/chip/format.js';

const D = (w: number) => Decoupled(UInt(w));
type Stream = Handle<ReturnType<typeof D>>;

/**
 * The off-chip streams of every cluster: commands, iacts and weights in, psums out, and on chips
 * with an output multiplier the scale words in, one stream per out port.
 */
export type ClusterStream = 'cmd' | 'iact' | 'weight' | 'out' | 'scale';

/** A per-cluster port of the top; `iact`, `weight`, `out` and `scale` are Vecs, one stream per router or out port. */
export type ClusterPortName<S extends ClusterStream = ClusterStream> = `c${number}_${number}_${S}`;

/** The top's port for stream `stream` of cluster (i, j): the one place these names are made. */
export function clusterPort<S extends ClusterStream>(i: number, j: number, stream: S): ClusterPortName<S> {
  return `c${i}_${j}_${stream}`;
}

/** Every cluster's ports, returned by the top under their port names so `sim.io` is typed by them (`scale` only with a multiplier). */
export type ClusterPorts = Record<ClusterPortName<'cmd'>, Stream> & Record<ClusterPortName<'iact' | 'weight' | 'out' | 'scale'>, VecHandle<Stream>>;

/** Bits of the top's `error_code`: which sticky error fired. */
export const ERROR_BAD_CFG_ADDR = 1;
export const ERROR_BAD_CMD = 2;

/**
 * The accelerator: rows x cols clusters joined by the hierarchical mesh (chip/README.md).
 * `cfg` takes 32-bit configuration writes (spec/chip/format.ts address map; the `enable` word last);
 * the output word sets every out port's OutputRequant (raw psums, or 8-bit requantized outputs);
 * per cluster (i, j), off-chip streams `c<i>_<j>_cmd`, `c<i>_<j>_iact_<k>`, `c<i>_<j>_weight_<k>`
 * in and `c<i>_<j>_out_<k>` out, and with an output multiplier `c<i>_<j>_scale_<k>` in (each
 * out port's multipliers; chip/README.md, "Output stage") (named by clusterPort, returned under those names). `done`
 * rises once every cluster has run its end command and is idle; `error` flags a write to an
 * unmapped configuration address or a command naming no PE or bank (`error_code` says which),
 * both sticky until reset.
 */
export const EyerissTop = defineModule(
  'EyerissTop',
  (m, p: ChipParams) => {
    checkChipParams(p);
    const n = p.noc;
    const cfg = m.input('cfg', Decoupled(Bundle({ addr: UInt(cfgAddrWidth(p)), data: UInt(CFG_DATA_BITS) })));
    const done = m.output('done', Bool());
    const error = m.output('error', Bool());
    const errorCode = m.output('error_code', UInt(2));
    cfg.ready.set(1);
    const write = (addr: number): Expr => cfg.valid.and(cfg.bits.addr.eq(addr));

    const enable = m.reg('enable', Bool(), { init: 0 });
    m.when(write(cfgEnableAddr(p)), () => enable.set(cfg.bits.data.bit(0)));

    const outCfg = m.reg('output_cfg', UInt(outputCfgBits(p)), { init: 0 });
    m.when(write(cfgOutputAddr(p)), () => outCfg.set(cfg.bits.data.bits(outputCfgBits(p) - 1, 0)));

    const words = cfgWordsPerCluster(p);
    const stride = cfgClusterStride(p);
    const clusters = Array.from({ length: p.rows }, (_, i) => Array.from({ length: p.cols }, (_, j) => m.instance(`u_c${i}_${j}`, Cluster, clusterParams(p))));
    let allDone: Expr = enable;
    const badCmds: Expr[] = [];
    const ports = {} as ClusterPorts;
    const broadcast = Array.from({ length: words }, (_, w) => write(cfgBroadcastAddr(p, w)));
    const mapped: Expr[] = [write(cfgEnableAddr(p)), write(cfgOutputAddr(p)), ...broadcast];
    for (let i = 0; i < p.rows; i++) {
      for (let j = 0; j < p.cols; j++) {
        const c = clusters[i]![j]!;
        const ci = i * p.cols + j;
        const regs = Array.from({ length: words }, (_, w) => {
          const r = m.reg(`cfg_c${i}_${j}_w${w}`, UInt(CFG_DATA_BITS), { init: 0 });
          const own = write(ci * stride + w);
          mapped.push(own);
          m.when(own.or(broadcast[w]!), () => r.set(cfg.bits.data));
          return r;
        });
        c.cfg.set(cat(...[...regs].reverse()).bits(clusterLayerCfgWidth(p) - 1, 0));
        c.enable.set(enable);
        const [cmd, iact, weight, out] = [clusterPort(i, j, 'cmd'), clusterPort(i, j, 'iact'), clusterPort(i, j, 'weight'), clusterPort(i, j, 'out')];
        m.connect(c.cmd, (ports[cmd] = m.input(cmd, D(cmdWidth(p)))));
        m.connect(c.iact, (ports[iact] = m.input(iact, Vec(n.iactRouters, D(n.iactWidth)))));
        m.connect(c.weight, (ports[weight] = m.input(weight, Vec(n.peRows, D(n.weightWidth)))));
        ports[out] = m.output(out, Vec(n.peCols, D(n.psumWidth)));
        const scale = clusterPort(i, j, 'scale');
        const scales = multiplierBits(p) > 0 ? (ports[scale] = m.input(scale, Vec(n.peCols, D(scaleWordBits(p))))) : undefined;
        for (let k = 0; k < n.peCols; k++) {
          const stage = m.instance(`u_out_c${i}_${j}_${k}`, OutputRequant, {
            lanes: p.pe.psumLanes,
            width: n.psumWidth,
            ...(scales && { multiplierBits: multiplierBits(p) }),
          });
          m.connect(stage.in, c.out.get(k));
          stage.cfg.requant.set(outCfg.bit(0));
          stage.cfg.shift.set(outCfg.bits(OUTPUT_SHIFT_BITS, 1));
          if (stage.scale !== undefined && stage.cfg_scaled !== undefined && scales !== undefined) {
            m.connect(stage.scale, scales.get(k));
            stage.cfg_scaled.set(outCfg.bit(OUTPUT_SCALED_BIT));
          }
          m.connect(ports[out].get(k), stage.out);
        }
        allDone = allDone.and(c.done);
        badCmds.push(c.bad_cmd);
      }
    }
    wireMesh(m, p.rows, p.cols, n, (i, j) => clusters[i]![j]!);

    const badAddr = m.reg('bad_cfg_addr', Bool(), { init: 0 });
    const anyMapped = mapped.reduce((a, b) => a.or(b));
    m.when(cfg.valid.and(anyMapped.not()), () => badAddr.set(1));
    done.set(allDone);
    const code = m.node(
      'error_bits',
      cat(
        badCmds.reduce((a, b) => a.or(b)),
        badAddr,
      ),
    );
    errorCode.set(code);
    error.set(code.orR());
    // Object.assign keeps ClusterPorts' template-literal keys in the IO type; a spread would drop them.
    return Object.assign({ cfg, done, error, error_code: errorCode }, ports);
  },
  {
    nameFor: (p) =>
      `EyerissTop_${p.rows}x${p.cols}_${nocTag(p.noc)}_g${p.glb.iactDepth}x${p.glb.psumDepth}_pe${p.pe.iactAddrDepth}x${p.pe.iactDataDepth}x${p.pe.weightAddrDepth}x${p.pe.weightAddrWidth}x${p.pe.weightDataDepth}x${p.pe.psumDepth}${multiplierBits(p) > 0 ? `_om${multiplierBits(p)}` : ''}`,
  },
);
