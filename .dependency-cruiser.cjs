// The layer rules of the house plan (README.md, "Layers" and each folder's README): each folder imports only the folders
// below it. `npm run lint:deps` fails on any import that breaks them.
const layer = (name, path, allowed) => ({
  name: `${name}-imports-only-below`,
  comment: `${name} may import only ${allowed.length ? allowed.join(', ') : 'nothing of the project'} (see ${name}/README.md)`,
  severity: 'error',
  from: { path },
  to: { path: '^(spec|generator|golden|tb|runtime|scripts|test)/', pathNot: [path, ...allowed.map((a) => `^${a}/`)] },
});

module.exports = {
  forbidden: [
    layer('spec', '^spec/', []),
    layer('generator/dsl', '^generator/dsl/', ['spec']),
    layer('generator/demos', '^generator/demos/', ['generator/dsl']),
    layer('generator/eyeriss', '^generator/eyeriss/', ['spec', 'generator/dsl']),
    layer('golden', '^golden/', ['spec']),
    layer('tb', '^tb/', ['spec', 'generator', 'golden']),
    layer('runtime', '^runtime/', ['spec', 'generator', 'golden', 'tb']),
    layer('scripts', '^scripts/(?!bench-)', ['spec', 'generator', 'golden', 'tb', 'runtime']),
    // Benchmarks time the fixtures the tests use, so they may reach into test/ support code.
    layer('scripts/bench', '^scripts/bench-', ['spec', 'generator', 'golden', 'tb', 'runtime', 'test']),
    {
      name: 'no-circular',
      comment: 'modules import each other in a cycle; move the shared part into a module both import',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'not-to-unresolvable',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(node_modules|build|out|rtl-out|waves)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    // Package subpaths through their "exports" map (scripts/eyeriss-bin.js imports tsx/esm/api).
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'] },
  },
};
