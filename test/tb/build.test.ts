import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Simulator } from '../../tb/sim.js';
import { rejection } from './rejection.js';
import { syntaxError, wideAdder } from './fixtures.js';

const scratch = mkdtempSync(join(tmpdir(), 'eyeriss-tb-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('missing or broken tools and designs', () => {
  it('says how to install Verilator when it is not on PATH', async () => {
    await expect(Simulator.start(wideAdder, { env: { PATH: '/nonexistent' } })).rejects.toThrow(
      'Verilator not found on PATH; install it with `sudo apt-get install -y verilator` (Debian/Ubuntu, needs 5.x)',
    );
  });

  it('says the same when an explicit Verilator path does not exist', async () => {
    await expect(Simulator.start(wideAdder, { verilator: join(scratch, 'verilator') })).rejects.toThrow(
      /Verilator not found at '.*verilator'; install it with `sudo apt-get install -y verilator`/,
    );
  });

  it('refuses a Verilator older than 5.x', async () => {
    const fake = join(scratch, 'old-verilator');
    writeFileSync(fake, '#!/bin/sh\necho "Verilator 4.038 2020-07-11 rev v4.036-114-g0cd4a57ad"\n');
    chmodSync(fake, 0o755);
    await expect(Simulator.start(wideAdder, { verilator: fake })).rejects.toThrow(
      /Verilator 4\.038 at '.*old-verilator' is too old: the harness needs 5\.x; install it with/,
    );
  });

  it("shows Verilator's own message for a syntax error", async () => {
    const err = await rejection(Simulator.start(syntaxError, { cacheDir: scratch }));
    expect(err.message).toMatch(/Verilator could not build 'syntax_error'/);
    expect(err.message).toMatch(/%Error: .*syntax_error\.v:7:\d+: syntax error/);
    const log = /full log: (\S+)/.exec(err.message)![1]!;
    expect(readFileSync(log, 'utf8')).toContain('syntax error');
  });

  it('rejects a design whose Verilog file is missing before calling Verilator', async () => {
    await expect(Simulator.start({ ...wideAdder, files: [join(scratch, 'gone.v')] })).rejects.toThrow(
      /Verilog file '.*gone\.v' does not exist; generate the design first/,
    );
  });
});

describe('build cache', () => {
  it('lets concurrent builders of one design share a single entry, then hits it', async () => {
    // A copy with a unique comment is a design no earlier run has cached, while the shared
    // cache keeps the Verilator runtime compiled so the test costs only the design's build.
    const file = join(scratch, 'wide_adder.v');
    writeFileSync(file, `// cache test ${process.pid} ${Date.now()}\n${readFileSync(wideAdder.files[0]!, 'utf8')}`);
    const design = { ...wideAdder, files: [file] };
    const [a, b] = await Promise.all([Simulator.start(design), Simulator.start(design)]);
    try {
      expect(a.build.cached).toBe(false);
      expect(b.build.binary).toBe(a.build.binary);
      const c = await Simulator.start(design);
      expect(c.build.cached).toBe(true);
      expect(c.build.binary).toBe(a.build.binary);
      await c.close();
      const key = basename(a.build.dir).slice('wide_adder-'.length);
      expect(readdirSync(dirname(a.build.dir)).filter((e) => e.includes(key))).toEqual([basename(a.build.dir)]);
      for (const sim of [a, b]) {
        sim.poke('a', 1n << 99n);
        sim.poke('b', 1n << 99n);
        expect(await sim.peek('sum')).toBe(1n << 100n);
      }
    } finally {
      await Promise.all([a.close(), b.close()]);
      rmSync(a.build.dir, { recursive: true, force: true });
    }
  });
});
