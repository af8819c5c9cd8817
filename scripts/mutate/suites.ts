// Which RTL suites judge a mutant of a generator file. The block's own suites run first (they kill
// a datapath mutant within seconds); a mutant they miss then meets the chip-level suites, which
// run every block inside the chip.

const BLOCK_SUITES: [RegExp, string[]][] = [
  [/^generator\/eyeriss\/pe\//, ['test/pe/pe.test.ts', 'test/pe/pe-small.test.ts']],
  [/^generator\/eyeriss\/noc\//, ['test/noc/routers.test.ts', 'test/noc/cluster.test.ts', 'test/noc/modes.test.ts', 'test/noc/mesh.test.ts']],
  [/^generator\/eyeriss\/glb\//, ['test/glb/glb.test.ts', 'test/glb/iact-stager.test.ts']],
  [/^generator\/eyeriss\/chip\/pe-shell\.ts$/, ['test/chip/pe-shell.test.ts']],
  [/^generator\/eyeriss\/axi\/read-dma\.ts$/, ['test/axi/read-dma.test.ts', 'test/system/system.test.ts']],
  [/^generator\/eyeriss\/axi\/write-dma\.ts$/, ['test/axi/write-dma.test.ts', 'test/system/system.test.ts']],
  [
    /^generator\/eyeriss\/axi\/common\.ts$/,
    ['test/axi/read-dma.test.ts', 'test/axi/write-dma.test.ts', 'test/axi/gather-dma.test.ts', 'test/system/system.test.ts'],
  ],
  [/^generator\/eyeriss\/axi\/gather-dma\.ts$/, ['test/axi/gather-dma.test.ts', 'test/system/system.test.ts']],
  [/^generator\/eyeriss\/system\//, ['test/system/system.test.ts']],
  [/^generator\/eyeriss\/chip\/output-requant\.ts$/, ['test/chip/output-requant.test.ts', 'test/chip/output-multiplier.test.ts']],
];

// errors.test.ts first: it takes seconds and is the only one that drives the control outside a layer run.
export const CHIP_SUITES = ['test/chip/errors.test.ts', 'test/chip/top.test.ts', 'test/chip/iact-staging.test.ts', 'test/runtime/regress-slice.test.ts'];

/** The suites of each stage for a mutated file: the block's own (if any), then the chip's. */
export function stagesFor(file: string): string[][] {
  const block = BLOCK_SUITES.find(([re]) => re.test(file))?.[1];
  return block ? [block, CHIP_SUITES] : [CHIP_SUITES];
}
