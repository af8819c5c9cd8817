import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

// Suites that build or run Verilator (or yosys) models: `npm run test:rtl`. Everything else
// needs only Node: `npm run test:fast`. A file with one Verilator test counts as RTL.
const RTL_SUITES = [
  'test/axi/**/*.test.ts',
  'test/system/**/*.test.ts',
  'test/chip/**/*.test.ts',
  'test/demos/**/*.test.ts',
  'test/glb/**/*.test.ts',
  'test/noc/**/*.test.ts',
  'test/pe/{lint,pe,pe-small}.test.ts',
  'test/tb/{build,crash,depth,gates,sim,simulators,streams}.test.ts',
  'test/dsl/{emit,expr-fuzz,vec,when-fuzz}.test.ts',
  'test/cli/{generate,run-rtl}.test.ts',
  'test/handoff/**/*.test.ts',
  'test/runtime/{cli,run-layer,regress-slice}.test.ts',
  'test/golden/energy.test.ts',
  'test/onnx/onnx-rtl.test.ts',
];

// CI (CI=true) also writes a JUnit XML report; EYERISS_JUNIT names another file for it.
const junit = process.env.EYERISS_JUNIT ?? (process.env.CI ? 'out/junit.xml' : undefined);

// Verilator builds dominate test time: one worker per core keeps every core busy with one
// C++ compile at a time (each build runs `make -j` over the same cores between its phases).
export default defineConfig({
  test: {
    pool: 'forks',
    maxWorkers: Math.max(1, availableParallelism()),
    testTimeout: 300_000,
    hookTimeout: 900_000,
    reporters: junit ? ['default', 'junit'] : ['default'],
    ...(junit ? { outputFile: { junit } } : {}),
    projects: [
      { extends: true, test: { name: 'fast', include: ['test/**/*.test.ts'], exclude: RTL_SUITES } },
      { extends: true, test: { name: 'rtl', include: RTL_SUITES } },
    ],
  },
});
