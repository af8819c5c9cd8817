// The chip top's control outside a layer run: when `done` may rise, and the sticky errors for a
// command naming no PE or bank and for a configuration write to no register. A layer run never
// exercises these: its program is well formed and the runner reads done only after the last output.
import { describe, expect, it } from 'vitest';
import { namedArchs } from '../../spec/archs.js';
import {
  CMD_END,
  CMD_KIND_BITS,
  CMD_PE_JOB,
  CMD_PSUM_IN,
  CMD_PSUM_OUT,
  cfgClusterStride,
  cfgEnableAddr,
  cfgOutputAddr,
  cfgWordsPerCluster,
  chipParamsFromArch,
  cmdTargetBits,
  pesPerClusterOf,
} from '../../spec/chip/format.js';
import { ERROR_BAD_CFG_ADDR, ERROR_BAD_CMD, EyerissTop, clusterPort } from '../../generator/eyeriss/chip/top.js';
import { bundleName } from '../../tb/io.js';
import { useSimulator } from '../support/sim.js';

const small = namedArchs.small!;
const p = chipParamsFromArch(small);

/** A command word with an empty payload: kind and target are all the decode looks at here. */
const cmdWord = (kind: number, target: number): bigint => BigInt(kind) | (BigInt(target) << BigInt(CMD_KIND_BITS));

describe('chip top (small: 1x2 clusters) outside a layer run', () => {
  const sim = useSimulator(EyerissTop, p, 'EyerissTop-small');
  const cfgWrite = async (addr: number, data: number) => {
    await sim().runStreams({ seed: 1, maxCycles: 100, sources: [{ port: sim().io.cfg, data: [[addr, data]] }] });
  };
  const command = async (i: number, j: number, word: bigint) => {
    const port = sim().io[clusterPort(i, j, 'cmd')];
    if (port === undefined) throw new Error(`the small chip has no ${clusterPort(i, j, 'cmd')}`);
    const res = await sim().runStreams({ seed: 1, maxCycles: 100, sources: [{ port, data: [word] }] });
    expect(res.sent[bundleName(port)], `cluster (${i}, ${j}) took the command`).toBe(1);
  };
  const status = async () => {
    await sim().step(20);
    const [done, error, code] = await sim().batch((b) => {
      b.peek('done');
      b.peek('error');
      b.peek('error_code');
    });
    return { done, error, code };
  };
  const enabled = async () => {
    await sim().reset(2);
    await cfgWrite(cfgEnableAddr(p), 1);
  };

  it('raises done only once enabled and every cluster has taken its end command', async () => {
    await sim().reset(2);
    expect(await status(), 'after reset').toEqual({ done: 0n, error: 0n, code: 0n });
    await cfgWrite(cfgEnableAddr(p), 1);
    expect(await status(), 'enabled, idle, no end command yet').toEqual({ done: 0n, error: 0n, code: 0n });
    await command(0, 0, cmdWord(CMD_END, 0));
    expect(await status(), 'only cluster (0, 0) has ended').toEqual({ done: 0n, error: 0n, code: 0n });
    await command(0, 1, cmdWord(CMD_END, 0));
    expect(await status(), 'both clusters have ended').toEqual({ done: 1n, error: 0n, code: 0n });
  });

  const targets = 2 ** cmdTargetBits(p);
  const badCommands: [string, bigint][] = [
    [`a PE job for PE ${pesPerClusterOf(p)} of ${pesPerClusterOf(p)}`, cmdWord(CMD_PE_JOB, pesPerClusterOf(p))],
    [`a PE job for the last target, ${targets - 1}`, cmdWord(CMD_PE_JOB, targets - 1)],
    [`a psum input start on bank ${p.glb.psumBanks} of ${p.glb.psumBanks}`, cmdWord(CMD_PSUM_IN, p.glb.psumBanks)],
    [`a psum output start on bank ${p.glb.psumBanks} of ${p.glb.psumBanks}`, cmdWord(CMD_PSUM_OUT, p.glb.psumBanks)],
    [`a psum output start on the last target, ${targets - 1}`, cmdWord(CMD_PSUM_OUT, targets - 1)],
  ];
  for (const [what, word] of badCommands) {
    it(`takes and flags ${what}, on either cluster, until reset`, async () => {
      for (const [i, j] of [
        [0, 0],
        [0, 1],
      ] as const) {
        await enabled();
        await command(i, j, word);
        expect(await status(), `cluster (${i}, ${j})`).toEqual({ done: 0n, error: 1n, code: BigInt(ERROR_BAD_CMD) });
        // The stream goes on: a well-formed end command after it is still taken.
        await command(i, j, cmdWord(CMD_END, 0));
        expect((await status()).code, 'still flagged after the next command').toBe(BigInt(ERROR_BAD_CMD));
      }
      await sim().reset(2);
      expect(await status(), 'after reset').toEqual({ done: 0n, error: 0n, code: 0n });
    });
  }

  it('takes well-formed commands on the last PE and bank without a flag', async () => {
    await enabled();
    // A psum output start of zero words on the last bank, then the end: nothing to read, nothing flagged.
    await command(0, 1, cmdWord(CMD_PSUM_OUT, p.glb.psumBanks - 1));
    await command(0, 1, cmdWord(CMD_END, 0));
    await command(0, 0, cmdWord(CMD_END, 0));
    expect(await status()).toEqual({ done: 1n, error: 0n, code: 0n });
  });

  const stride = cfgClusterStride(p);
  const unmapped: [string, number][] = [
    [`the address after the enable word, ${cfgEnableAddr(p) + 1}`, cfgEnableAddr(p) + 1],
    [`the address after the output stage word, ${cfgOutputAddr(p) + 1}`, cfgOutputAddr(p) + 1],
  ];
  if (cfgWordsPerCluster(p) < stride) unmapped.push([`the gap after cluster 0's ${cfgWordsPerCluster(p)} words`, cfgWordsPerCluster(p)]);
  for (const [what, addr] of unmapped) {
    it(`flags a configuration write to ${what}, and nothing else`, async () => {
      await sim().reset(2);
      await cfgWrite(addr, 0xffffffff);
      expect(await status()).toEqual({ done: 0n, error: 1n, code: BigInt(ERROR_BAD_CFG_ADDR) });
    });
  }
});
