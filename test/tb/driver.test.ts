// The generated half of the C++ driver: the port table must index ports exactly as the protocol
// does (DesignSources order), reach wide ports through VlWide words, and name the clock.
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import type { PortInfo, ResolvedDesign } from '../../tb/design.js';
import { driverDir, generateDriver, generatePortTable } from '../../tb/driver.js';

function design(ports: PortInfo[], clock?: string): ResolvedDesign {
  return {
    top: 'Demo',
    files: ['/x/Demo.v'],
    ports,
    byName: new Map(ports.map((p, index) => [p.name, { ...p, index }])),
    clock,
    hierBlocks: [],
  };
}

const PORTS: PortInfo[] = [
  { name: 'clock', direction: 'input', width: 1 },
  { name: 'a', direction: 'input', width: 64 },
  { name: 'wide', direction: 'input', width: 65 },
  { name: 'o', direction: 'output', width: 20 },
];

describe('generatePortTable', () => {
  it('lists every port in protocol order with width, direction and its model member', () => {
    const rows = generatePortTable(design(PORTS, 'clock'))
      .split('\n')
      .filter((l) => l.trim().startsWith('{"'))
      .map((l) => l.trim());
    expect(rows).toEqual([
      '{"clock", 1, true, &top->clock},',
      '{"a", 64, true, &top->a},',
      '{"wide", 65, true, top->wide.data()},',
      '{"o", 20, false, &top->o},',
    ]);
  });

  it('names the clock by its index, or -1 for a combinational design', () => {
    expect(generatePortTable(design(PORTS, 'clock'))).toContain('CLOCK_PORT = 0;');
    expect(generatePortTable(design([...PORTS.slice(1), PORTS[0]!], 'clock'))).toContain('CLOCK_PORT = 3;');
    expect(generatePortTable(design(PORTS.slice(1)))).toContain('CLOCK_PORT = -1;');
  });

  it('includes the Verilated class of the top and is the same text for the same design', () => {
    const t = generatePortTable(design(PORTS, 'clock'));
    expect(t).toContain('#include "VDemo.h"');
    expect(t).toContain('typedef VDemo Top;');
    expect(generatePortTable(design(PORTS, 'clock'))).toBe(t);
  });
});

describe('generateDriver', () => {
  it('hands over the fixed sources and their current text for the build cache key', async () => {
    const d = await generateDriver(design(PORTS, 'clock'));
    expect(d.sources).toEqual(['driver.cpp', 'model.cpp', 'streams.cpp', 'axi.cpp']);
    expect(d.fixed.map((f) => f.file)).toEqual(['driver.cpp', 'model.cpp', 'streams.cpp', 'axi.cpp', 'driver.h', 'axi.h']);
    for (const f of d.fixed) expect(f.text).toBe(await readFile(`${driverDir}${f.file}`, 'utf8'));
  });
});
