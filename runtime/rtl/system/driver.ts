// The runtime as the system top's driver (docs/system.md): it writes the memory image, sets the
// descriptor address and starts the chain over s_axil, waits for the interrupt, reads the status,
// the error code and the counters back, and the outputs from memory.
import { StreamDeadlockError, type AxiSlaveMemory, type Simulator } from '../../../tb/sim.js';
import type { IoHandles } from '../../../generator/dsl/index.js';
import { REG, SYS_ERR, axiPortPrefix, type SystemParams } from '../../../spec/system.js';
import { decodeOutputs, type RtlProgram } from '../program.js';
import { RtlRunError } from '../run.js';
import { buildImage, outputWords } from './image.js';

/** The DRAM behind the memory port (tb/driver/axi.cpp): latency, random delays and backpressure, a bandwidth limit. */
export type DramModel = Pick<AxiSlaveMemory, 'latency' | 'jitterCycles' | 'jitterProbability' | 'arreadyProbability' | 'rvalidProbability' | 'bytesPerCycle'>;

export interface ChainRun {
  /** Per layer, its outputs (raw psums, or 8-bit when the layer's program requantizes). */
  outputs: Int32Array[];
  /** The chip's own count, start to done. */
  cycles: number;
  layers: number;
  counters: { cfg: number; cmd: number; iact: number; weight: number; out: number; scale: number; starveCycles: number; blockCycles: number };
  /** Bytes the memory port moved (beats x bus width). */
  dramBytes: { read: number; write: number };
}

/** The chain stopped with an error code (SYS_ERR bits); the message names each. A run the chip flagged. */
export class SystemError extends RtlRunError {
  constructor(
    message: string,
    readonly code: number,
  ) {
    super(message, 'flagged');
    this.name = 'SystemError';
  }
}

const ERR_TEXT: Record<keyof typeof SYS_ERR, string> = {
  badMagic: 'a descriptor without the magic word (a wrong descriptor address, or a chain pointer into other data)',
  badLength: 'a stream longer than the DMA count holds',
  readResp: 'a read outside memory (SLVERR/DECERR)',
  readUnaligned: 'a stream address that is not burst-aligned',
  readUnexpected: 'read data the DMA did not ask for',
  writeResp: 'a write outside memory (SLVERR/DECERR)',
  writeUnaligned: 'an output address that is not burst-aligned',
  writeUnexpected: 'a write response the DMA did not expect',
  coreCfgAddr: 'a configuration write to an unmapped address',
  coreCmd: 'a cluster command naming no PE or bank',
  stalled: "nothing moved for the watchdog register's cycles (a deadlock: e.g. a stream count larger than the layer's program)",
  gatherResp: "a gather read outside memory (a gather entry naming a byte the image does not hold: the previous layer's output region)",
};

export const describeSystemError = (code: number): string =>
  (Object.keys(SYS_ERR) as (keyof typeof SYS_ERR)[])
    .filter((k) => code & SYS_ERR[k])
    .map((k) => ERR_TEXT[k])
    .join('; ');

/** An AXI4-Lite transfer the register file did not answer with OKAY the cycle after. */
function checkAnswer(what: string, addr: number, valid: bigint, resp: bigint): void {
  if (valid !== 1n || resp !== 0n)
    throw new Error(`s_axil ${what} at 0x${addr.toString(16)}: ${valid !== 1n ? 'no response the cycle after' : `response ${resp}, not OKAY`}`);
}

export async function axilWrite(sim: Simulator<IoHandles>, addr: number, data: number): Promise<void> {
  const [awready, bvalid, bresp] = await sim.batch((b) => {
    b.poke('s_axil_awaddr', addr);
    b.poke('s_axil_wdata', data >>> 0);
    b.poke('s_axil_wstrb', 0xf);
    b.poke('s_axil_awvalid', 1);
    b.poke('s_axil_wvalid', 1);
    b.poke('s_axil_bready', 1);
    b.peek('s_axil_awready');
    b.step(1);
    b.poke('s_axil_awvalid', 0);
    b.poke('s_axil_wvalid', 0);
    b.peek('s_axil_bvalid');
    b.peek('s_axil_bresp');
    b.step(1);
    b.poke('s_axil_bready', 0);
  });
  if (awready !== 1n) throw new Error(`s_axil write at 0x${addr.toString(16)}: awready low with awvalid and wvalid high`);
  checkAnswer('write', addr, bvalid!, bresp!);
}

export async function axilRead(sim: Simulator<IoHandles>, addr: number): Promise<number> {
  const [v, rvalid, rresp] = await sim.batch((b) => {
    b.poke('s_axil_araddr', addr);
    b.poke('s_axil_arvalid', 1);
    b.step(1);
    b.poke('s_axil_arvalid', 0);
    b.peek('s_axil_rdata');
    b.peek('s_axil_rvalid');
    b.peek('s_axil_rresp');
    b.poke('s_axil_rready', 1);
    b.step(1);
    b.poke('s_axil_rready', 0);
  });
  checkAnswer('read', addr, rvalid!, rresp!);
  return Number(v);
}

/**
 * Runs `programs` as one descriptor chain on a reset system top and checks nothing: the caller
 * compares the outputs. Throws SystemError when the chip stops with an error code, and an Error
 * naming the last state when it does not raise its interrupt within `maxCycles`.
 */
export async function runChain(
  sim: Simulator<IoHandles>,
  s: SystemParams,
  programs: readonly RtlProgram[],
  opts: {
    seed: number;
    maxCycles: number;
    dram?: DramModel;
    /** The watchdog register (REG.watchdog), when not its reset value. */
    watchdog?: number;
    corrupt?: (image: ReturnType<typeof buildImage>) => void;
  },
): Promise<ChainRun> {
  const image = buildImage(s, programs);
  opts.corrupt?.(image);
  await sim.reset(2);
  await axilWrite(sim, REG.desc, image.first);
  if (opts.watchdog !== undefined) await axilWrite(sim, REG.watchdog, opts.watchdog);
  await axilWrite(sim, REG.ctrl, 0b11);
  const regions = image.layers.flatMap((l) => l.outputs.flat().filter((r) => r.words > 0));
  let res;
  try {
    res = await sim.runStreams({
      // One DRAM behind every port: port 0's slave holds the image and the bandwidth limit, the others share them.
      axi: Array.from({ length: s.ports }, (_, k) => ({
        prefix: axiPortPrefix(s, k),
        memory: image.memory,
        base: image.base,
        ...opts.dram,
        ...(k === 0 ? { readback: regions.map((r) => ({ addr: r.addr, words: r.words * r.slots })) } : { share: 0 }),
      })),
      until: 'irq',
      maxCycles: opts.maxCycles,
      seed: opts.seed,
    });
  } catch (e) {
    if (e instanceof StreamDeadlockError) {
      const status = await axilRead(sim, REG.status);
      const layers = await axilRead(sim, REG.layers);
      const hang = new RtlRunError(
        `the system top raised no interrupt within ${opts.maxCycles} cycles (status ${status}, ${layers} of ${programs.length} layers done, seed ${opts.seed}); rerun with WAVES=1 for a waveform`,
        'hang',
      );
      hang.cause = e;
      throw hang;
    }
    // AxiProtocolError (the chip broke an AXI rule) and harness errors as they are.
    throw e;
  }
  const code = await axilRead(sim, REG.error);
  if (code !== 0) throw new SystemError(`the chip stopped the chain with error code 0x${code.toString(16)}: ${describeSystemError(code)}`, code);
  const back = new Map(regions.map((r, i) => [r.addr, res.axi[0]!.readback[i]!]));
  const outputs = programs.map((prog, l) =>
    decodeOutputs(
      prog,
      outputWords(image.layers[l]!.outputs, (r) => back.get(r.addr)!),
    ),
  );
  const read = (a: number): Promise<number> => axilRead(sim, a);
  const beat = s.dataBits / 8;
  return {
    outputs,
    cycles: await read(REG.cycles),
    layers: await read(REG.layers),
    counters: {
      cfg: await read(REG.cfgWords),
      cmd: await read(REG.cmdWords),
      iact: await read(REG.iactWords),
      weight: await read(REG.weightWords),
      out: await read(REG.outWords),
      scale: await read(REG.scaleWords),
      starveCycles: await read(REG.starveCycles),
      blockCycles: await read(REG.blockCycles),
    },
    dramBytes: { read: res.axi.reduce((n, a) => n + a.readBeats, 0) * beat, write: res.axi[0]!.writeBeats * beat },
  };
}
