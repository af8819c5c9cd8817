import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { assertGatesPass, assertLintCleanWithoutLatches, verilatorLint, yosysLatches, yosysSynth } from '../../tb/lint.js';
import { repoRoot } from '../../tb/paths.js';

const fixture = (name: string) => path.join(repoRoot, 'test', 'tb', 'fixtures', `${name}.v`);

describe('lint and synthesis gates', () => {
  it("report an unused input with Verilator's own message", async () => {
    const r = await verilatorLint([fixture('unused_input')], 'unused_input');
    expect(r.ok).toBe(false);
    expect(r.messages.join('\n')).toMatch(/%Warning-UNUSEDSIGNAL: .*Signal is not used: 'b'/);
    await expect(assertGatesPass({ files: [fixture('unused_input')], top: 'unused_input' })).rejects.toThrow(
      /unused_input is not lint-clean \(verilator --lint-only -Wall\):\n%Warning-UNUSEDSIGNAL/,
    );
  });

  it('count latches after yosys synth', async () => {
    const r = await yosysSynth([fixture('latch')], 'latch');
    expect(r.latches).toBe(4);
    expect(r.ok).toBe(false);
    expect(r.messages[0]).toMatch(/latches inferred: .*LATCH.* x4/i);
  });

  it('find the latches after yosys proc alone, as the big tops check them', async () => {
    const latches = await yosysLatches([fixture('latch')], 'latch');
    expect(latches).toHaveLength(1);
    expect(latches[0]).toMatch(/^latch\/.*dlatch/);
    expect(await yosysLatches([fixture('wide_adder')], 'wide_adder')).toEqual([]);
    await expect(yosysLatches([fixture('wide_adder')], 'no_such_top')).rejects.toThrow(/no_such_top: yosys could not read the design/);
    await expect(assertLintCleanWithoutLatches({ files: [fixture('unused_input')], top: 'unused_input' })).rejects.toThrow(/UNUSEDSIGNAL/);
  });

  it('report cells of a clean design', async () => {
    const r = await yosysSynth([fixture('wide_adder')], 'wide_adder');
    expect(r.ok).toBe(true);
    expect(r.latches).toBe(0);
    expect(r.cells).toBeGreaterThan(0);
  });
});
