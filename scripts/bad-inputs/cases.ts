// The bad inputs `npm run bad-inputs` tries, in classes: each is a command line run in a fresh
// folder, with the files it needs written there first, and what its error must name.
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { encodeNpy } from '../../golden/npy.js';
import { namedArchs } from '../../spec/archs.js';
import pkg from 'onnx-proto';

const { onnx } = pkg;

export interface BadInput {
  cls: string;
  what: string;
  /** Writes the files the command needs into `dir`. */
  setup?: (dir: string) => Promise<void>;
  args: (dir: string) => string[];
  /** What a clear error names; 'accept' for an input that is valid and must run. */
  names: RegExp | 'accept';
  /** Files of the setup the command may rewrite (its own manifest); any other change is a loss. */
  mayChange?: string[];
}

const DELETE = Symbol('delete');

/** A copy of `body` with the value at the dotted path replaced (or deleted). */
function edited(body: Record<string, unknown>, at: string, value: unknown): Record<string, unknown> {
  const copy = structuredClone(body);
  const keys = at.split('.');
  let o = copy;
  for (const k of keys.slice(0, -1)) o = o[k] as Record<string, unknown>;
  if (value === DELETE) delete o[keys.at(-1)!];
  else o[keys.at(-1)!] = value;
  return copy;
}

const layer = (): Record<string, unknown> => ({
  name: 'l',
  type: 'pointwise',
  shape: { C: 8, M: 12, H: 5, W: 6, R: 1, S: 1, stride: 1, padding: 0, groups: 1 },
  requant: { shift: 8, activation: 'relu' },
  generate: { iactDensity: 0.7, weightDensity: 0.5, seed: 3 },
});

/** The small chip as a user's architecture file would write it, under a name of its own. */
const arch = (): Record<string, unknown> => ({ ...(JSON.parse(JSON.stringify(namedArchs.small)) as Record<string, unknown>), name: 'user-arch' });

const json = (file: string, body: unknown) => async (dir: string) => writeFile(path.join(dir, file), typeof body === 'string' ? body : JSON.stringify(body));
const runLayer =
  (extra: string[] = []) =>
  (dir: string) => ['run', '--layer', path.join(dir, 'layer.json'), '--arch', 'small', '--out', path.join(dir, 'out'), ...extra];
const fieldName = (at: string) => new RegExp(at.replace(/\./g, '\\.'));

/** What a positive-integer field is given instead, for the layer's shape and the arch's arrays. */
const BAD_COUNTS: [string, unknown][] = [
  ['missing', DELETE],
  ['0', 0],
  ['-1', -1],
  ['1.5', 1.5],
  ['a string', '8'],
];

function layerFieldCases(): BadInput[] {
  const out: BadInput[] = [];
  const shapeValues: [string, unknown][] = [...BAD_COUNTS, ['null', null], ['1e12', 1e12]];
  for (const f of ['C', 'M', 'H', 'W', 'R', 'S', 'stride', 'padding', 'groups']) {
    for (const [label, v] of shapeValues) {
      // padding 0 is the valid default this layer already has.
      if (f === 'padding' && label === '0') continue;
      // A huge value is refused for what it implies (memory, a kernel no longer point-wise), under "shape";
      // a stride past the map is a valid layer of one output per row.
      const names = label !== '1e12' ? fieldName(`shape.${f}`) : f === 'stride' ? 'accept' : /shape: /;
      out.push({
        cls: 'layer file: shape fields',
        what: `shape.${f} ${label}`,
        setup: json('layer.json', edited(layer(), `shape.${f}`, v)),
        args: runLayer(),
        names,
      });
    }
  }
  const others: [string, unknown, RegExp][] = [
    ['type', DELETE, /type/],
    ['type', 'bogus', /type/],
    ['type', 5, /type/],
    ['shape', DELETE, /shape/],
    ['shape', [1, 2], /shape/],
    ['requant.shift', -1, /requant\.shift/],
    ['requant.shift', 40, /requant\.shift/],
    ['requant.shift', 'x', /requant\.shift/],
    ['requant.activation', 'tanh', /activation/],
    ['generate.iactDensity', 1.5, /iactDensity/],
    ['generate.iactDensity', -0.1, /iactDensity/],
    ['generate.iactDensity', 'a', /iactDensity/],
    ['generate.weightDensity', DELETE, /weightDensity/],
    ['generate.seed', -1, /seed/],
    ['generate.seed', 1.5, /seed/],
    ['generate', DELETE, /no data|generate/],
    ['iacts', 'x.npy', /both|generate/],
    ['iacts', 'x.txt', /iacts/],
    ['name', '', /name/],
    ['iactSigned', 'yes', /iactSigned/],
    ['extra', 1, /extra/],
  ];
  for (const [at, v, names] of others) {
    const label = v === DELETE ? 'missing' : JSON.stringify(v);
    out.push({ cls: 'layer file: other fields', what: `${at} ${label}`, setup: json('layer.json', edited(layer(), at, v)), args: runLayer(), names });
  }
  // Shapes each field allows alone, wrong together.
  const combos: [string, Record<string, unknown>, RegExp][] = [
    ['depth-wise with groups != C', { type: 'depthwise', shape: { C: 8, M: 8, H: 5, W: 6, R: 3, S: 3, stride: 1, padding: 1, groups: 2 } }, /groups/],
    ['point-wise with a 3x3 kernel', { shape: { C: 8, M: 12, H: 5, W: 6, R: 3, S: 3, stride: 1, padding: 1, groups: 1 } }, /R|kernel|pointwise/],
    [
      'kernel larger than the padded map',
      { type: 'conv', shape: { C: 8, M: 12, H: 2, W: 2, R: 5, S: 5, stride: 1, padding: 0, groups: 1 } },
      /filter .* larger than the padded input/,
    ],
    ['C not a multiple of groups', { type: 'conv', shape: { C: 9, M: 12, H: 5, W: 6, R: 3, S: 3, stride: 1, padding: 1, groups: 2 } }, /groups/],
    ['fc whose kernel is not the map', { type: 'fc', shape: { C: 8, M: 12, H: 5, W: 6, R: 1, S: 1, stride: 1, padding: 0, groups: 1 } }, /fc|R|S/],
  ];
  for (const [what, patch, names] of combos)
    out.push({ cls: 'layer file: shapes', what, setup: json('layer.json', { ...layer(), ...patch }), args: runLayer(), names });
  return out;
}

function fileCases(): BadInput[] {
  const c = 'input files: JSON and .npy';
  const npyLayer = {
    name: 'l',
    type: 'pointwise',
    shape: { C: 2, M: 2, H: 2, W: 2, R: 1, S: 1, stride: 1, padding: 0, groups: 1 },
    iacts: 'i.npy',
    weights: 'w.npy',
  };
  const npy = (dtype: 'uint8' | 'int8' | 'int32', shape: number[]) => {
    const n = shape.reduce((a, b) => a * b, 1);
    const data = dtype === 'uint8' ? new Uint8Array(n) : dtype === 'int8' ? new Int8Array(n) : new Int32Array(n);
    return Buffer.from(encodeNpy({ dtype, shape, data }));
  };
  const withNpy = (iacts: Buffer | 'dir' | 'none', weights: Buffer) => async (dir: string) => {
    await json('layer.json', npyLayer)(dir);
    if (iacts === 'dir') await mkdir(path.join(dir, 'i.npy'));
    else if (iacts !== 'none') await writeFile(path.join(dir, 'i.npy'), iacts);
    await writeFile(path.join(dir, 'w.npy'), weights);
  };
  const goodW = npy('int8', [2, 2, 1, 1]);
  const goodI = npy('uint8', [1, 2, 2, 2]);
  // A dtype encodeNpy does not write: its header's descr patched, the data left as they are.
  const withDescr = (npyBytes: Buffer, from: string, to: string): Buffer => {
    const b = Buffer.from(npyBytes);
    b.write(to, b.indexOf(from), 'latin1');
    return b;
  };
  const bigEndian = withDescr(goodI, "'|u1'", "'>u1'");
  const float32 = withDescr(npy('int32', [1, 2, 2, 2]), "'<i4'", "'<f4'");
  return [
    { cls: c, what: 'layer file missing', args: runLayer(), names: /no such layer file/ },
    { cls: c, what: 'layer file is a folder', setup: async (d) => mkdir(path.join(d, 'layer.json')), args: runLayer(), names: /folder/ },
    { cls: c, what: 'layer file empty', setup: json('layer.json', ''), args: runLayer(), names: /not valid JSON/ },
    { cls: c, what: 'layer file not JSON', setup: json('layer.json', '{ name: l }'), args: runLayer(), names: /not valid JSON/ },
    { cls: c, what: 'layer file a JSON array', setup: json('layer.json', [layer()]), args: runLayer(), names: /object|layer/ },
    { cls: c, what: 'layer file a JSON number', setup: json('layer.json', '42'), args: runLayer(), names: /object|layer/ },
    { cls: c, what: 'layer file with a UTF-8 BOM', setup: json('layer.json', '\uFEFF' + JSON.stringify(layer())), args: runLayer(), names: 'accept' },
    {
      cls: c,
      what: 'layer file given as a network file',
      setup: json('layer.json', layer()),
      args: (d) => ['run', '--network', path.join(d, 'layer.json'), '--out', path.join(d, 'out')],
      names: /looks like a layer file/,
    },
    {
      cls: c,
      what: 'layer file given as an arch file',
      setup: json('layer.json', layer()),
      args: (d) => ['run', '--layer', path.join(d, 'layer.json'), '--arch', path.join(d, 'layer.json'), '--out', path.join(d, 'out')],
      names: /looks like a layer file/,
    },
    { cls: c, what: 'arch file given as a layer file', setup: json('layer.json', arch()), args: runLayer(), names: /looks like an architecture file/ },
    { cls: c, what: '.npy files valid', setup: withNpy(goodI, goodW), args: runLayer(), names: 'accept' },
    { cls: c, what: 'iacts .npy missing', setup: withNpy('none', goodW), args: runLayer(), names: /i\.npy/ },
    { cls: c, what: 'iacts .npy is a folder', setup: withNpy('dir', goodW), args: runLayer(), names: /i\.npy.*folder/ },
    { cls: c, what: 'iacts .npy not .npy data', setup: withNpy(Buffer.from('hello'), goodW), args: runLayer(), names: /i\.npy/ },
    { cls: c, what: 'iacts .npy truncated', setup: withNpy(goodI.subarray(0, goodI.length - 3), goodW), args: runLayer(), names: /i\.npy/ },
    { cls: c, what: 'iacts .npy big-endian', setup: withNpy(bigEndian, goodW), args: runLayer(), names: /iacts: dtype is '>u1'/ },
    { cls: c, what: 'iacts .npy float32', setup: withNpy(float32, goodW), args: runLayer(), names: /iacts: dtype is float32, the layer needs uint8/ },
    { cls: c, what: 'iacts .npy wrong shape', setup: withNpy(npy('uint8', [1, 2, 3, 2]), goodW), args: runLayer(), names: /iacts: shape is/ },
    { cls: c, what: 'iacts .npy int32', setup: withNpy(npy('int32', [1, 2, 2, 2]), goodW), args: runLayer(), names: /iacts: dtype is int32/ },
    { cls: c, what: 'weights .npy uint8', setup: withNpy(goodI, npy('uint8', [2, 2, 1, 1])), args: runLayer(), names: /weights: dtype is uint8/ },
    { cls: c, what: 'weights .npy wrong shape', setup: withNpy(goodI, npy('int8', [2, 3, 1, 1])), args: runLayer(), names: /weights: shape is/ },
  ];
}

function archCases(): BadInput[] {
  const c = 'architecture files';
  const runWith = (dir: string) => ['run', '--layer', path.join(dir, 'layer.json'), '--arch', path.join(dir, 'arch.json'), '--out', path.join(dir, 'out')];
  const setup = (body: unknown) => async (dir: string) => {
    await json('layer.json', layer())(dir);
    await json('arch.json', body)(dir);
  };
  const out: BadInput[] = [];
  for (const f of ['clusterRows', 'clusterCols', 'peRows', 'peCols', 'simd']) {
    for (const [label, v] of BAD_COUNTS) out.push({ cls: c, what: `${f} ${label}`, setup: setup(edited(arch(), f, v)), args: runWith, names: fieldName(f) });
  }
  const deep: [string, unknown][] = [
    ['spads.iactData.depth', 0],
    ['spads.weightData.depth', -4],
    ['spads.psum.width', 64],
    ['spads', DELETE],
    ['glb.psumBanks', 3],
    ['glb.iactBankBytes', 0],
    ['glb.psumBankBytes', 1.5],
    ['noc.iactPortBits', 0],
    ['noc.psumPortBits', 'wide'],
    ['clockMHz', -1],
    ['dramBytesPerCycle', -2],
    ['extra', true],
  ];
  for (const [at, v] of deep) {
    const label = v === DELETE ? 'missing' : JSON.stringify(v);
    out.push({
      cls: c,
      what: `${at} ${label}`,
      setup: setup(edited(arch(), at, v)),
      args: runWith,
      names: fieldName(at.split('.')[0] === 'extra' ? 'extra' : at.split('.').at(-1)!),
    });
  }
  out.push({ cls: c, what: 'a valid user arch file', setup: setup(arch()), args: runWith, names: 'accept' });
  return out;
}

function networkCases(): BadInput[] {
  const c = 'network files';
  const run = (dir: string) => ['run', '--network', path.join(dir, 'net.json'), '--arch', 'small', '--out', path.join(dir, 'out')];
  const net = (layers: unknown) => json('net.json', { name: 'n', layers });
  const chained = (patch: Record<string, unknown>) => ({ ...layer(), name: 'b', generate: { weightDensity: 0.5, seed: 4 }, iacts: 'previous', ...patch });
  return [
    { cls: c, what: 'no layers', setup: net([]), args: run, names: /layers/ },
    { cls: c, what: 'layers not an array', setup: net({}), args: run, names: /layers/ },
    { cls: c, what: 'layers missing', setup: json('net.json', { name: 'n' }), args: run, names: /layers/ },
    {
      cls: c,
      what: 'a layer missing its shape',
      setup: net([layer(), edited(layer(), 'shape', DELETE)]),
      args: run,
      names: /layers\.1.*shape|shape.*layers\.1/,
    },
    { cls: c, what: '"previous" in the first layer', setup: net([chained({})]), args: run, names: /first layer/ },
    {
      cls: c,
      what: '"previous" after a layer without requant',
      setup: net([edited(layer(), 'requant', DELETE), chained({ shape: { C: 12, M: 4, H: 5, W: 6, R: 1, S: 1, stride: 1, padding: 0, groups: 1 } })]),
      args: run,
      names: /requant/,
    },
    { cls: c, what: '"previous" with the wrong shape', setup: net([layer(), chained({})]), args: run, names: /layers\.1.*(shape|NCHW)/ },
    // 33 weights of one filter row do not fit the small chip's weight address SPad.
    {
      cls: c,
      what: 'an unmappable second layer',
      setup: net([layer(), { ...layer(), name: 'wide', type: 'conv', shape: { C: 1, M: 1, H: 1, W: 40, R: 1, S: 33, stride: 1, padding: 0, groups: 1 } }]),
      args: run,
      names: /layers\.1: .*cannot map layer 'wide'/,
    },
    { cls: c, what: 'two layers with one name', setup: net([layer(), layer()]), args: run, names: /name/ },
    { cls: c, what: 'unknown key', setup: json('net.json', { name: 'n', layers: [layer()], extra: 1 }), args: run, names: /extra/ },
    {
      cls: c,
      what: 'a valid chained network',
      setup: net([layer(), chained({ shape: { C: 12, M: 4, H: 5, W: 6, R: 1, S: 1, stride: 1, padding: 0, groups: 1 } })]),
      args: run,
      names: 'accept',
    },
  ];
}

function cliCases(): BadInput[] {
  const c = 'command line';
  const withLayer = (args: (dir: string) => string[]) => ({ setup: json('layer.json', layer()), args });
  const L = (d: string) => path.join(d, 'layer.json');
  const O = (d: string) => path.join(d, 'out');
  return [
    { cls: c, what: 'run with neither --layer nor --network', args: (d) => ['run', '--out', O(d)], names: /--layer|--network/ },
    {
      cls: c,
      what: 'run with both --layer and --network',
      ...withLayer((d) => ['run', '--layer', L(d), '--network', 'alexnet', '--out', O(d)]),
      names: /--layer|--network/,
    },
    { cls: c, what: 'run without --out', ...withLayer((d) => ['run', '--layer', L(d)]), names: /--out/ },
    { cls: c, what: 'unknown option', ...withLayer((d) => ['run', '--layer', L(d), '--out', O(d), '--fast']), names: /--fast/ },
    { cls: c, what: 'unknown command', args: () => ['simulate'], names: /simulate/ },
    { cls: c, what: '--backend foo', ...withLayer((d) => ['run', '--layer', L(d), '--backend', 'foo', '--out', O(d)]), names: /backend/ },
    { cls: c, what: '--seed -1', args: (d) => ['run', '--network', 'mobilenet-0.5-128', '--seed', '-1', '--out', O(d)], names: /seed/ },
    { cls: c, what: '--seed x', args: (d) => ['run', '--network', 'mobilenet-0.5-128', '--seed', 'x', '--out', O(d)], names: /seed/ },
    { cls: c, what: '--seed with --layer', ...withLayer((d) => ['run', '--layer', L(d), '--seed', '3', '--out', O(d)]), names: /seed/ },
    { cls: c, what: '--sparse with --layer', ...withLayer((d) => ['run', '--layer', L(d), '--sparse', '--out', O(d)]), names: /sparse/ },
    { cls: c, what: '--arch unknown name', ...withLayer((d) => ['run', '--layer', L(d), '--arch', 'nope', '--out', O(d)]), names: /nope/ },
    { cls: c, what: '--network unknown name', args: (d) => ['run', '--network', 'resnet', '--out', O(d)], names: /resnet/ },
    {
      cls: c,
      what: '--no-weight-multicast with golden',
      ...withLayer((d) => ['run', '--layer', L(d), '--no-weight-multicast', '--out', O(d)]),
      names: /multicast|rtl/,
    },
    { cls: c, what: '--simulator with golden', ...withLayer((d) => ['run', '--layer', L(d), '--simulator', 'icarus', '--out', O(d)]), names: /simulator|rtl/ },
    {
      cls: c,
      what: '--simulator foo',
      ...withLayer((d) => ['run', '--layer', L(d), '--backend', 'rtl', '--simulator', 'foo', '--out', O(d)]),
      names: /simulator/,
    },
    {
      cls: c,
      what: '--random-init 0',
      ...withLayer((d) => ['run', '--layer', L(d), '--backend', 'rtl', '--random-init', '0', '--out', O(d)]),
      names: /random-init/,
    },
    {
      cls: c,
      what: '--random-init with icarus',
      ...withLayer((d) => ['run', '--layer', L(d), '--backend', 'rtl', '--simulator', 'icarus', '--random-init', '2', '--out', O(d)]),
      names: /random-init|Icarus/,
    },
    { cls: c, what: 'generate --arch unknown', args: (d) => ['generate', '--arch', 'nope', '--out', O(d)], names: /nope/ },
  ];
}

function outCases(): BadInput[] {
  const c = 'output folders';
  const run = (out: (d: string) => string) => ({
    setup: json('layer.json', layer()),
    args: (d: string) => ['run', '--layer', path.join(d, 'layer.json'), '--arch', 'small', '--out', out(d)],
  });
  return [
    { cls: c, what: '--out is a file', ...run((d) => path.join(d, 'layer.json')), names: /not a folder/ },
    { cls: c, what: '--out under a file', ...run((d) => path.join(d, 'layer.json', 'sub')), names: /is a file/ },
    { cls: c, what: '--out in /proc', ...run(() => '/proc/eyeriss-out'), names: /proc/ },
    { cls: c, what: '--out that is the layer folder itself', ...run((d) => d), names: 'accept' },
    {
      cls: c,
      what: 'generate --out is a file',
      setup: json('x.json', {}),
      args: (d) => ['generate', '--arch', 'small', '--out', path.join(d, 'x.json')],
      names: /not a folder/,
    },
    {
      cls: c,
      what: "generate into a folder whose manifest lists '../victim' (D2)",
      setup: async (d) => {
        await mkdir(path.join(d, 'gen'));
        await writeFile(path.join(d, 'victim.txt'), 'mine');
        await writeFile(path.join(d, 'gen', '.eyeriss-files'), '../victim.txt\n');
      },
      args: (d) => ['generate', '--arch', 'small', '--out', path.join(d, 'gen')],
      // The run goes ahead and rewrites its manifest; victim.txt must stay.
      names: 'accept',
      mayChange: ['gen/.eyeriss-files'],
    },
    {
      cls: c,
      what: "an arch named 'small' that differs from the shipped one (D1)",
      setup: json('arch.json', { ...arch(), name: 'small', peRows: 2 }),
      args: (d) => ['generate', '--arch', path.join(d, 'arch.json')],
      names: /'small' is the shipped architecture/,
    },
    {
      cls: c,
      what: 'an arch named ../../escaped (D1)',
      setup: json('arch.json', { ...arch(), name: '../../escaped' }),
      args: (d) => ['generate', '--arch', path.join(d, 'arch.json')],
      names: /name/,
    },
    {
      cls: c,
      what: 'an arch name with a newline',
      setup: json('arch.json', { ...arch(), name: 'two\nlines' }),
      args: (d) => ['generate', '--arch', path.join(d, 'arch.json'), '--out', path.join(d, 'gen')],
      names: /name/,
    },
  ];
}

function sizeCases(): BadInput[] {
  const c = 'sizes';
  const big = (shape: Record<string, number>, type = 'conv') =>
    json('layer.json', { ...layer(), type, shape: { C: 8, M: 12, H: 5, W: 6, R: 3, S: 3, stride: 1, padding: 1, groups: 1, ...shape } });
  return [
    { cls: c, what: 'C = M = 100000', setup: big({ C: 100000, M: 100000, R: 1, S: 1, padding: 0 }, 'pointwise'), args: runLayer(), names: /GB|memory|bytes/ },
    { cls: c, what: '2000 channels on a 1000x1000 map', setup: big({ C: 2000, M: 2000, H: 1000, W: 1000 }), args: runLayer(), names: /GB|memory|bytes|MACs/ },
    { cls: c, what: 'a layer of 1e11 MACs', setup: big({ C: 512, M: 512, H: 200, W: 200 }), args: runLayer(), names: /MACs/ },
    {
      cls: c,
      what: 'generate a 1000x1000-cluster arch',
      setup: json('arch.json', { ...arch(), clusterRows: 1000, clusterCols: 1000 }),
      args: (d) => ['generate', '--arch', path.join(d, 'arch.json'), '--out', path.join(d, 'gen')],
      names: /cluster/,
    },
  ];
}

/** A 1x3x8x8 -> 4-channel 3x3 Conv model at `opset`, then `tail` (an op name) when given. */
function convOnnx(opset: number, tail?: string): Uint8Array {
  const dims = (d: number[]) => ({ tensorType: { elemType: 1, shape: { dim: d.map((v) => ({ dimValue: v })) } } });
  const node = [{ name: 'conv', opType: 'Conv', input: ['x', 'w'], output: ['y'], attribute: [{ name: 'pads', type: 7, ints: [1, 1, 1, 1] }] }];
  if (tail !== undefined) node.push({ name: 'tail', opType: tail, input: ['y'], output: ['z'], attribute: [] });
  const graph = {
    name: 'bad-inputs',
    node,
    initializer: [{ name: 'w', dims: [4, 3, 3, 3], dataType: 1, floatData: Array.from({ length: 108 }, (_, i) => ((i % 7) - 3) / 10) }],
    input: [{ name: 'x', type: dims([1, 3, 8, 8]) }],
    output: [{ name: tail === undefined ? 'y' : 'z', type: dims([1, 4, 8, 8]) }],
  };
  return onnx.ModelProto.encode(onnx.ModelProto.create({ irVersion: 7, opsetImport: [{ domain: '', version: opset }], graph })).finish();
}

function onnxCases(): BadInput[] {
  const c = 'ONNX models';
  const files =
    (model: Uint8Array | string, input: { dtype: 'float32' | 'int8'; shape: number[] } = { dtype: 'float32', shape: [1, 3, 8, 8] }) =>
    async (dir: string) => {
      await writeFile(path.join(dir, 'm.onnx'), model);
      const n = input.shape.reduce((a, b) => a * b, 1);
      await writeFile(path.join(dir, 'x.npy'), encodeNpy({ ...input, data: input.dtype === 'float32' ? new Float32Array(n).fill(0.5) : new Int8Array(n) }));
    };
  const run =
    (...extra: string[]) =>
    (d: string) => ['run', '--onnx', path.join(d, 'm.onnx'), '--input', path.join(d, 'x.npy'), '--arch', 'small', '--out', path.join(d, 'out'), ...extra];
  return [
    { cls: c, what: 'a valid Conv model', setup: files(convOnnx(13)), args: run(), names: 'accept' },
    { cls: c, what: 'a JSON file named .onnx', setup: files('{"graph": {}}'), args: run(), names: /not an ONNX model/ },
    {
      cls: c,
      what: 'a missing model',
      setup: files(convOnnx(13)),
      args: (d) => ['run', '--onnx', path.join(d, 'none.onnx'), '--input', path.join(d, 'x.npy'), '--out', path.join(d, 'out')],
      names: /none\.onnx: cannot read it/,
    },
    { cls: c, what: 'an unsupported operator', setup: files(convOnnx(13, 'LRN')), args: run(), names: /node tail \(LRN\): operator LRN is not supported/ },
    { cls: c, what: 'opset 8', setup: files(convOnnx(8)), args: run(), names: /opset 8 .*opset_version >= 9/ },
    {
      cls: c,
      what: 'no --input',
      setup: files(convOnnx(13)),
      args: (d) => ['run', '--onnx', path.join(d, 'm.onnx'), '--out', path.join(d, 'out')],
      names: /--input X\.npy/,
    },
    {
      cls: c,
      what: 'an int8 input',
      setup: files(convOnnx(13), { dtype: 'int8', shape: [1, 3, 8, 8] }),
      args: run(),
      names: /--input .*dtype is int8.*float32/,
    },
    {
      cls: c,
      what: 'an input of the wrong shape',
      setup: files(convOnnx(13), { dtype: 'float32', shape: [1, 3, 9, 9] }),
      args: run(),
      names: /dim 2 of input x is fixed at 8/,
    },
    {
      cls: c,
      what: '--input-shape abc',
      setup: files(convOnnx(13)),
      args: run('--input-shape', 'abc'),
      names: /--input-shape abc: must be 4 positive whole numbers/,
    },
    {
      cls: c,
      what: 'import without inputs',
      setup: files(convOnnx(13)),
      args: (d) => ['import', '--onnx', path.join(d, 'm.onnx'), '--out', path.join(d, 'out')],
      names: /--input X\.npy or --calibrate CAL\.npy/,
    },
    {
      cls: c,
      what: '--calibrate with --layer',
      setup: json('layer.json', layer()),
      args: runLayer(['--calibrate', 'c.npy']),
      names: /--calibrate .*--onnx only/,
    },
  ];
}

export const badInputs = (): BadInput[] => [
  ...layerFieldCases(),
  ...fileCases(),
  ...archCases(),
  ...networkCases(),
  ...cliCases(),
  ...outCases(),
  ...sizeCases(),
  ...onnxCases(),
];
