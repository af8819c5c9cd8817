// A layer, network or architecture file given to another kind's flag is named for what it is.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadArch } from '../../runtime/arch-file.js';
import { loadLayer } from '../../runtime/load-layer.js';
import { loadNetworkFile } from '../../runtime/network-file.js';
import { refuseOtherKind } from '../../runtime/file-kind.js';
import { repoRoot } from '../../tb/paths.js';

const ex = (...p: string[]) => path.join(repoRoot, 'examples', ...p);
const files = {
  layer: ex('layers', 'pw-small.json'),
  network: ex('networks', 'mobile-block.json'),
  arch: ex('archs', 'clusters-2x3.json'),
};

describe('a JSON file of the wrong kind', () => {
  it('each loader names the kind it was given and the flag that takes it', async () => {
    // Each load starts only when its expectation waits for it: a rejection with no handler yet is
    // an unhandled rejection, which fails the run however the expectations end.
    const cases: [() => Promise<unknown>, RegExp][] = [
      [() => loadArch(files.layer), /looks like a layer file \(it has "shape", "type"\), not an architecture file; fix: --arch takes .*`eyeriss run --layer`/],
      [() => loadArch(files.network), /looks like a network file .* not an architecture file; fix: .*`eyeriss run --network`/],
      [() => loadLayer(files.network), /looks like a network file \(it has "layers"\), not a layer file; fix: --layer takes .*`eyeriss run --network`/],
      [() => loadLayer(files.arch), /looks like an architecture file .* not a layer file; fix: .*`eyeriss run --arch`/],
      [() => loadNetworkFile(files.layer), /looks like a layer file .* not a network file; fix: .*`eyeriss run --layer`/],
      [() => loadNetworkFile(files.arch), /looks like an architecture file .* not a network file; fix: .*`eyeriss run --arch`/],
    ];
    for (const [load, msg] of cases) await expect(load()).rejects.toThrow(msg);
  });

  it('a file with keys of its own kind goes on to the field checks, whatever else it has', () => {
    expect(() => refuseOtherKind({ layers: [], shape: {} }, 'f.json', 'network file')).not.toThrow();
    expect(() => refuseOtherKind({ type: 'conv' }, 'f.json', 'layer file')).not.toThrow();
    expect(() => refuseOtherKind({ name: 'x' }, 'f.json', 'architecture file')).not.toThrow();
    expect(() => refuseOtherKind([1, 2], 'f.json', 'layer file')).not.toThrow();
    expect(() => refuseOtherKind({ peRows: 3 }, 'f.json', 'layer file')).toThrow(/it has "peRows"/);
  });

  it('the files of each kind load with their own loader', async () => {
    await expect(loadArch(files.arch)).resolves.toMatchObject({ name: 'clusters-2x3' });
    await expect(loadLayer(files.layer)).resolves.toBeDefined();
    await expect(loadNetworkFile(files.network)).resolves.toBeDefined();
  });
});
