// The system top (EyerissSystem) on the small chip: random layers and random short chains run
// from memory through the descriptor chain, under random DRAM latency, delays, backpressure and
// bandwidth: every layer's outputs bit-exact, no AXI rule broken, the counters what the
// programs hold. Dependent chains, whose layers take the previous layer's 8-bit outputs, which the
// chip gathers from memory itself. Then malformed descriptors: the chip stops with an error code,
// no hang.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { EyerissSystem } from '../../generator/eyeriss/system/system.js';
import { CMD_KIND_BITS, cfgOutputAddr, chipParamsFromArch } from '../../spec/chip/format.js';
import { namedArchs } from '../../spec/archs.js';
import { parseArch, type ArchConfig } from '../../spec/arch.js';
import { REG, SYS_ERR, systemParamsFor, type SystemParams } from '../../spec/system.js';
import { generateLayerData } from '../../golden/random.js';
import { randomRequant, randomSmallLayer } from '../../golden/random-layer.js';
import { referenceLayer, requantizeAll } from '../../golden/reference.js';
import { runChipModel } from '../../golden/chip-model.js';
import { makeLayer, outH, outW, type Layer, type LayerType } from '../../golden/layers.js';
import { chainReference } from '../../golden/chain.js';
import { gatherByte } from '../../spec/axi.js';
import { buildProgram, type RtlProgram } from '../../runtime/rtl/program.js';
import { axilRead, axilWrite, runChain, SystemError, type DramModel } from '../../runtime/rtl/system/driver.js';
import { emitForSim } from '../../tb/dsl.js';
import { assertLintCleanWithoutLatches, yosysLatches } from '../../tb/lint.js';
import { repoRoot } from '../../tb/paths.js';
import { makeRng, type Rng } from '../../tb/seed.js';
import { testSeed } from '../../tb/testing.js';
import { useSimulator } from '../support/sim.js';

const small = namedArchs.small!;
// The defaults, as `run --top system` builds them (the CLI test shares the build).
const chip = chipParamsFromArch(small);
const sys = systemParamsFor(chip);

const randomDram = (r: Rng): DramModel => ({
  latency: r.pick([1, 10, 40]),
  jitterCycles: r.pick([0, 8]),
  jitterProbability: 0.3,
  arreadyProbability: r.pick([1, 0.6]),
  rvalidProbability: r.pick([1, 0.7]),
  bytesPerCycle: r.pick([0, 0, 16, 48]),
});

// The one-port variant's chip also has an 8-bit output multiplier: its scale streams come from memory too.
const smallScaled = parseArch({ ...small, name: 'small-om8', outputMultiplierBits: 8 });

/** A random layer on `arch`: raw psums or 8-bit outputs, with per-channel multipliers in half of those where the chip has an output multiplier. */
function randomProgram(r: Rng, arch: ArchConfig = small): { prog: RtlProgram; want: Int32Array | Uint8Array; predicted: number } {
  const type = r.pick<LayerType>(['conv', 'depthwise', 'pointwise', 'fc']);
  const seed = r.u32();
  const l = randomSmallLayer(seed, type);
  const d = generateLayerData(l, { iact: r.pick([1, 0.5, 0.2]), weight: r.pick([1, 0.5, 0.2]) }, seed);
  const raw = referenceLayer(l, d);
  const bits = arch.outputMultiplierBits ?? 0;
  const requant =
    bits > 0 && r.chance(0.25) ? randomRequant(r.u32(), l, raw, bits) : r.chance(0.5) ? { activation: 'relu' as const, shift: r.int(0, 10) } : null;
  const prog = buildProgram(l, d, arch, undefined, { requant });
  return {
    prog,
    want: requant ? requantizeAll(l, raw, requant) : raw,
    predicted: runChipModel(l, d, { arch, mapping: prog.mapping, mode: 'timing' }).counts.cycles,
  };
}

/** A layer that takes `prev`'s outputs: random type, channels, kernel and stride. */
function nextLayer(r: Rng, prev: Layer, k: number): Layer {
  const type = r.pick<LayerType>(['conv', 'depthwise', 'pointwise', 'fc']);
  const [H, W] = [outH(prev), outW(prev)];
  const R = type === 'conv' || type === 'depthwise' ? Math.min(r.pick([1, 3]), H, W) : 1;
  return makeLayer({
    name: `g${k}-${type}`,
    type,
    N: prev.N,
    C: prev.M,
    M: type === 'depthwise' ? prev.M : r.int(1, 12),
    H,
    W,
    ...(type === 'fc' ? {} : { R, S: R, stride: R === 3 && H >= 4 ? r.pick([1, 2]) : 1, padding: R === 3 ? 1 : 0 }),
    iactSigned: false,
  });
}

/**
 * A random dependent chain of 2-4 layers on `arch`: the first layer's iacts from the host, every
 * later layer's gathered by the chip from the outputs before it (chainReference gives each layer's
 * outputs and shift). Layers the chip cannot map are drawn again, and so are chains where a layer
 * before the last gives only zeros (its successor would read nothing worth checking).
 */
function randomDependentChain(r: Rng, arch: ArchConfig = small): { progs: RtlProgram[]; want: Uint8Array[] } {
  for (;;) {
    const chain = drawDependentChain(r, arch);
    if (chain.want.slice(0, -1).every((o) => o.some((v) => v > 0))) return chain;
  }
}

function drawDependentChain(r: Rng, arch: ArchConfig): { progs: RtlProgram[]; want: Uint8Array[] } {
  const first = randomSmallLayer(r.u32(), r.pick<LayerType>(['conv', 'depthwise', 'pointwise']));
  const iacts = generateLayerData(first, { iact: r.pick([1, 0.5]), weight: 1 }, r.u32()).iacts;
  const weights = (l: Layer): Int32Array => generateLayerData(l, { iact: 1, weight: r.pick([1, 0.5, 0.2]) }, r.u32()).weights;
  const layers = [{ layer: first, weights: weights(first) }];
  for (let k = 1, tries = 0; k < r.int(2, 4) || layers.length < 2; tries++) {
    if (tries > 50) throw new Error('no mappable next layer in 50 draws');
    const layer = nextLayer(r, layers.at(-1)!.layer, k);
    try {
      buildProgram(layer, generateLayerData(layer, { iact: 0, weight: 1 }, 1), arch);
    } catch {
      continue;
    }
    layers.push({ layer, weights: weights(layer) });
    k++;
  }
  const ref = chainReference(iacts, layers);
  const progs = ref.layers.map((x, i) => buildProgram(x.layer, x.data, arch, undefined, { requant: x.requant, gather: i > 0 }));
  return { progs, want: ref.outputs };
}

/** `dependent` random dependent chains under random DRAM timing: every layer's outputs bit-exact. */
async function randomDependentChains(
  sim: Parameters<typeof runChain>[0],
  params: SystemParams,
  seed: number,
  chains: number,
  arch: ArchConfig = small,
): Promise<void> {
  const r = makeRng(seed);
  for (let chain = 0; chain < chains; chain++) {
    const { progs, want } = randomDependentChain(r, arch);
    const dram = randomDram(r);
    const what = `SEED=${seed} dependent chain ${chain}: ${progs.map((p) => `${p.layer.name} ${p.layer.C}x${p.layer.H}x${p.layer.W}->${p.layer.M}`).join(', ')} dram ${JSON.stringify(dram)}`;
    const run = await runChain(sim, params, progs, { seed: r.u32(), maxCycles: 2_000_000, dram });
    expect(run.layers, what).toBe(progs.length);
    progs.forEach((_, i) => {
      const got = run.outputs[i]!;
      const bad = got.findIndex((v, k) => v !== want[i]![k]);
      expect(bad, `${what}: layer ${i} first wrong output ${bad} (got ${got[bad]}, want ${want[i]![bad]})`).toBe(-1);
    });
    console.log(`[system p${params.ports}] ${what}: ${run.cycles} cycles`);
  }
}

/** `chains` random chains of 1-3 random layers on `arch` under random DRAM timing: every layer bit-exact, the counters what the programs hold. */
async function randomChains(sim: Parameters<typeof runChain>[0], params: SystemParams, seed: number, chains: number, arch: ArchConfig = small): Promise<void> {
  const r = makeRng(seed);
  for (let chain = 0; chain < chains; chain++) {
    const layers = Array.from({ length: r.int(1, 3) }, () => randomProgram(r, arch));
    const dram = randomDram(r);
    const what = `SEED=${seed} chain ${chain}: ${layers.map((l) => l.prog.layer.name).join(', ')} dram ${JSON.stringify(dram)}`;
    const run = await runChain(
      sim,
      params,
      layers.map((l) => l.prog),
      { seed: r.u32(), maxCycles: 50 * layers.reduce((n, l) => n + l.predicted, 0) + 200_000, dram },
    );
    expect(run.layers, what).toBe(layers.length);
    layers.forEach((l, i) => {
      const got = run.outputs[i]!;
      const bad = got.findIndex((v, k) => v !== l.want[k]);
      expect(bad, `${what}: layer ${i} first wrong output ${bad} (got ${got[bad]}, want ${l.want[bad]})`).toBe(-1);
    });
    const sum = (f: (p: RtlProgram) => number): number => layers.reduce((n, l) => n + f(l.prog), 0);
    const all = (f: (c: RtlProgram['clusters'][number]) => number): number => sum((p) => p.clusters.reduce((n, c) => n + f(c), 0));
    expect(run.counters, what).toMatchObject({
      cfg: sum((p) => p.config.length),
      cmd: all((c) => c.cmds.length),
      iact: all((c) => c.iact.reduce((n, w) => n + w.length, 0)),
      weight: all((c) => c.weight.reduce((n, w) => n + w.length, 0)),
      out: all((c) => c.outWords.reduce((n, w) => n + w, 0)),
      scale: all((c) => c.scale.reduce((n, w) => n + w.length, 0)),
    });
    console.log(`[system p${params.ports}] ${what}: ${run.cycles} cycles, starved ${run.counters.starveCycles}, blocked ${run.counters.blockCycles}`);
  }
}

describe('EyerissSystem (small chip, the default two 1024-bit memory ports)', () => {
  const sim = useSimulator(EyerissSystem, sys, 'EyerissSystem-small');

  it('random chains of random layers run from memory bit-exactly under random DRAM timing', async (ctx) => {
    await randomChains(sim(), sys, testSeed(ctx), 6);
  }, 600_000);

  it("random dependent chains (each layer gathers the previous layer's outputs from memory) run bit-exactly under random DRAM timing", async (ctx) => {
    await randomDependentChains(sim(), sys, testSeed(ctx), 5);
  }, 600_000);

  it('the starve counter counts the cycles the core waits on memory: a slow DRAM adds them', async () => {
    const r = makeRng(11);
    const { prog } = randomProgram(r);
    const fast = await runChain(sim(), sys, [prog], { seed: 1, maxCycles: 2_000_000 });
    const slow = await runChain(sim(), sys, [prog], { seed: 1, maxCycles: 2_000_000, dram: { latency: 40, bytesPerCycle: 8 } });
    const what = `${prog.layer.name}: ${fast.cycles} -> ${slow.cycles} cycles, starved ${fast.counters.starveCycles} -> ${slow.counters.starveCycles}`;
    expect(slow.cycles - fast.cycles, what).toBeGreaterThan(100);
    expect(slow.counters.starveCycles - fast.counters.starveCycles, what).toBeGreaterThan(0.5 * (slow.cycles - fast.cycles));
    expect(slow.counters.starveCycles, what).toBeLessThanOrEqual(slow.cycles);
    // Watchdog 0 never stops a chain, however slow its DRAM.
    const patient = await runChain(sim(), sys, [prog], { seed: 1, maxCycles: 2_000_000, dram: { latency: 150, bytesPerCycle: 1 }, watchdog: 0 });
    expect(patient.layers, 'watchdog 0').toBe(1);
  }, 300_000);

  it('the block counter counts the cycles an out word waits for the write DMA: few behind a fast DRAM, many behind one that takes write beats rarely', async () => {
    // 2048 raw outputs: more out words per port than the write DMA buffers.
    const l = makeLayer({ name: 'pw-many-outputs', type: 'pointwise', C: 8, M: 32, H: 8, W: 8 });
    const prog = buildProgram(l, generateLayerData(l, { iact: 0.7, weight: 0.7 }, 3), small);
    const fast = await runChain(sim(), sys, [prog], { seed: 1, maxCycles: 2_000_000 });
    const slow = await runChain(sim(), sys, [prog], { seed: 1, maxCycles: 2_000_000, dram: { rvalidProbability: 0.1 } });
    const what = `${fast.cycles} -> ${slow.cycles} cycles, blocked ${fast.counters.blockCycles} -> ${slow.counters.blockCycles}`;
    console.log(`[system] block counter: ${what}`);
    expect(fast.counters.blockCycles, what).toBeLessThan(0.05 * fast.cycles);
    expect(slow.counters.blockCycles, what).toBeGreaterThan(0.05 * slow.cycles);
    expect(slow.counters.blockCycles, what).toBeLessThanOrEqual(slow.cycles);
  }, 300_000);

  it('the interrupt enable changes only on a ctrl write: irq is done and the enable, whatever else is written', async () => {
    const { prog } = randomProgram(makeRng(12));
    await runChain(sim(), sys, [prog], { seed: 1, maxCycles: 2_000_000 });
    const irq = async (): Promise<bigint> => (await sim().batch((b) => b.peek('irq')))[0]!;
    expect(await irq(), 'done with the enable set').toBe(1n);
    await axilWrite(sim(), REG.watchdog, 0x1000);
    await axilWrite(sim(), REG.desc, 0x100);
    expect([await irq(), await axilRead(sim(), REG.ctrl)], 'after writes to other registers with data bit 1 clear').toEqual([1n, 0b10]);
    await axilWrite(sim(), REG.ctrl, 0);
    expect([await irq(), await axilRead(sim(), REG.ctrl)], 'enable cleared').toEqual([0n, 0]);
    await axilWrite(sim(), REG.watchdog, 0x2);
    expect([await irq(), (await axilRead(sim(), REG.status)) & 0b10], 'after a write to another register with data bit 1 set: still done, no irq').toEqual([
      0n,
      0b10,
    ]);
    await axilWrite(sim(), REG.ctrl, 0b10);
    expect(await irq(), 'enable set again').toBe(1n);
  }, 300_000);

  it('a malformed descriptor stops the chain with an error code instead of hanging', async () => {
    const r = makeRng(5);
    const { prog } = randomProgram(r);
    type Image = Parameters<NonNullable<Parameters<typeof runChain>[3]['corrupt']>>[0];
    // Word k of the first descriptor, and word i of the table whose address is its word k.
    const at = (img: Image, addr: number): number => (addr - img.base) / 4;
    const desc = (img: Image, k: number): number => at(img, img.first) + k;
    const table = (img: Image, k: number, i: number): number => at(img, img.memory[desc(img, k)]!) + i;
    const cases: [string, number, (img: Image) => void][] = [
      ['a bad magic word', SYS_ERR.badMagic, (img) => (img.memory[desc(img, 0)] = 0x12345678)],
      ['a stream address that is not burst-aligned', SYS_ERR.readUnaligned, (img) => (img.memory[table(img, 5, 0)]! += 4)],
      ['a stream beyond memory', SYS_ERR.readResp, (img) => (img.memory[table(img, 5, 0)] = 0x7000_0000)],
      ['a table beyond memory', SYS_ERR.readResp, (img) => (img.memory[desc(img, 6)] = 0x7000_0000)],
      ['a stream longer than the DMA count', SYS_ERR.badLength, (img) => (img.memory[table(img, 6, 0)] = 2 ** 30)],
      ['an output address that is not burst-aligned', SYS_ERR.writeUnaligned, (img) => (img.memory[table(img, 7, 0)]! += 4)],
      ['a chain pointer into data', SYS_ERR.badMagic, (img) => (img.memory[desc(img, 1)] = img.memory[desc(img, 3)]!)],
      // Cluster 0's first iact stream 64 words longer than its program: the core takes a few and waits for ever.
      ['an input stream longer than its program', SYS_ERR.stalled, (img) => (img.memory[table(img, 6, 1)]! += 64)],
      // The core's own errors, through the system's error register: the first configuration write's address slot, and
      // cluster 0's first command given target 15 (the small chip's clusters have 12 PEs and 4 psum banks).
      [
        'a configuration write to an unmapped address',
        SYS_ERR.coreCfgAddr,
        (img) => (img.memory[at(img, img.memory[desc(img, 3)]!) + 1] = cfgOutputAddr(chip) + 1),
      ],
      ['a command naming no PE or bank', SYS_ERR.coreCmd, (img) => (img.memory[at(img, img.memory[table(img, 5, 0)]!)]! |= 0xf << CMD_KIND_BITS)],
    ];
    // The second layer of a dependent chain: its descriptor, and its gather entry list.
    const dependent = randomDependentChain(makeRng(6));
    const desc2 = (img: Image, k: number): number => at(img, img.memory[desc(img, 1)]!) + k;
    const gatherCases: [string, number, (img: Image) => void][] = [
      ['a gather entry naming a byte beyond memory', SYS_ERR.gatherResp, (img) => (img.memory[at(img, img.memory[desc2(img, 9)]!)] = gatherByte(0x7000_0000))],
      ['a gather entry list longer than the DMA count', SYS_ERR.badLength, (img) => (img.memory[desc2(img, 10)] = 2 ** 30)],
      ['a gather entry list that is not burst-aligned', SYS_ERR.readUnaligned, (img) => (img.memory[desc2(img, 9)]! += 8)],
      ['a gather region that is not burst-aligned', SYS_ERR.writeUnaligned, (img) => (img.memory[desc2(img, 11)]! += 4)],
    ];
    for (const [what, code, corrupt, progs] of [...cases.map((c) => [...c, [prog]] as const), ...gatherCases.map((c) => [...c, dependent.progs] as const)]) {
      const run = runChain(sim(), sys, progs, { seed: 1, maxCycles: 200_000, watchdog: 5000, corrupt });
      await expect(run, what).rejects.toThrow(SystemError);
      await expect(run, what).rejects.toMatchObject({ code: expect.any(Number) as number });
      const err = (await run.catch((e: unknown) => e)) as SystemError;
      expect(err.code & code, `${what}: error code 0x${err.code.toString(16)}`).toBe(code);
      // Stopped: not busy, done and error set.
      expect(await axilRead(sim(), REG.status), `${what}: status`).toBe(0b110);
    }
  }, 300_000);
});

for (const [ports, arch] of [
  [1, smallScaled],
  [4, small],
] as const) {
  describe(`EyerissSystem with ${ports} memory port${ports > 1 ? 's' : ''} (${arch === small ? 'small chip' : 'small chip with an 8-bit output multiplier'})`, () => {
    const sysPorts = systemParamsFor(chipParamsFromArch(arch), { ports });
    const sim = useSimulator(EyerissSystem, sysPorts, `EyerissSystem-${arch.name}-p${ports}`);

    it('random chains run from memory bit-exactly under random DRAM timing, the ports sharing one DRAM', async (ctx) => {
      await randomChains(sim(), sysPorts, testSeed(ctx), arch === small ? 2 : 3, arch);
    }, 600_000);

    it(`dependent chains run bit-exactly, the gather sharing port ${ports - 1}'s reads${ports === 1 ? ' with the controller and every stream' : ''}`, async (ctx) => {
      await randomDependentChains(sim(), sysPorts, testSeed(ctx), 2, arch);
    }, 600_000);

    if (arch !== small)
      it('the system logic (controller, register file, DMAs, scale streams) around the core is lint-clean and infers no latches', async () => {
        await assertLintCleanWithoutLatches(await emitForSim(EyerissSystem, sysPorts), { blackbox: ['EyerissTop_*', 'LinkBuffer_*'] });
      }, 900_000);
  });
}

describe('EyerissSystem on a 20-bit psum port (one psum per out word: one memory slot raw)', () => {
  const narrow = { ...small, name: 'small-psum20', noc: { ...small.noc, psumPortBits: 20 } };
  const sysNarrow = systemParamsFor(chipParamsFromArch(narrow));
  const sim = useSimulator(EyerissSystem, sysNarrow, 'EyerissSystem-psum20');

  it('raw and requantized layers run from memory bit-exactly', async () => {
    const r = makeRng(21);
    for (const requant of [null, { activation: 'relu' as const, shift: 4 }]) {
      const seed = r.u32();
      const l = randomSmallLayer(seed, 'conv');
      const d = generateLayerData(l, { iact: 0.6, weight: 0.6 }, seed);
      const prog = buildProgram(l, d, narrow, undefined, { requant });
      const raw = referenceLayer(l, d);
      const want = requant ? requantizeAll(l, raw, requant) : raw;
      const run = await runChain(sim(), sysNarrow, [prog], { seed, maxCycles: 500_000 });
      expect(Array.from(run.outputs[0]!), `requant ${JSON.stringify(requant)}`).toEqual(Array.from(want));
    }
  }, 600_000);
});

describe('EyerissSystem is lint-clean and infers no latches', () => {
  // The core inside is a black box here (test/chip checks it); so are the DMAs' beat buffers (LinkBuffer, checked in test/noc).
  // Latches are found by yosys proc: a full synth (techmap and abc over the 1024-bit data paths) took over a minute here and
  // checks no more (no cell count); test/axi synthesizes the DMAs in full at 128 bits, `npm run synth` the whole chip.
  it('small chip: the system logic (controller, register file, DMAs) around the core', async () => {
    const d = await emitForSim(EyerissSystem, sys);
    // Verilator's -Wall lint of this Verilog is test/handoff's: it lints rtl-out/small/eyeriss_system (verilator -F, the
    // wrapper around this top), and these files are rtl-out/small's, byte for byte, so one lint serves both (it took 5-8 s).
    const committed = path.join(repoRoot, 'rtl-out', 'small');
    for (const f of d.files) {
      expect(await readFile(f, 'utf8'), `${path.basename(f)} is not rtl-out/small's (regenerate: npx tsx scripts/eyeriss.ts generate --arch small)`).toBe(
        await readFile(path.join(committed, path.basename(f)), 'utf8').catch(() => `(no ${path.basename(f)} in rtl-out/small)`),
      );
    }
    const filelist = (await readFile(path.join(committed, 'eyeriss_system.f'), 'utf8')).split('\n').filter((l) => l.endsWith('.v'));
    expect(filelist).toEqual(expect.arrayContaining(d.files.map((f) => path.basename(f))));
    expect(await yosysLatches(d.files, d.top, { blackbox: ['EyerissTop_*', 'LinkBuffer_*'] })).toEqual([]);
  }, 900_000);
});
