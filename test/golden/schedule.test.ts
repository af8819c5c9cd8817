import { describe, expect, it } from 'vitest';
import { schedule } from '../../golden/schedule.js';
import { mapLayer } from '../../golden/mapper.js';
import { makeLayer, outH, outW, filtersPerGroup } from '../../golden/layers.js';
import { paperArch, parseArch } from '../../spec/arch.js';
import { getNetwork } from '../../golden/networks.js';

const small = parseArch({ ...paperArch, name: 'small', clusterRows: 1, clusterCols: 2 });

describe('schedule', () => {
  const layers = [
    makeLayer({ name: 'conv', type: 'conv', C: 40, M: 40, H: 9, W: 30, R: 3, S: 3, padding: 1, groups: 2, N: 2 }),
    makeLayer({ name: 'pw', type: 'pointwise', C: 200, M: 64, H: 2, W: 100 }),
    makeLayer({ name: 'k5-grouped', type: 'conv', C: 16, M: 32, H: 13, W: 13, R: 5, S: 5, padding: 2, groups: 2 }),
    makeLayer({ name: 'k11-stride4', type: 'conv', C: 3, M: 16, H: 35, W: 35, R: 11, S: 11, stride: 4 }),
    getNetwork('mobilenet-0.5-128').layers[1]!.layer,
  ];
  for (const arch of [paperArch, small]) {
    for (const l of layers) {
      it(`covers every (output tile, reduction slice) exactly once, on distinct PEs per step: ${l.name} on ${arch.name}`, () => {
        const map = mapLayer(l, { arch });
        const Mblocks = Math.ceil(filtersPerGroup(l) / map.pe.M0);
        const seen = new Map<number, number>();
        for (const it of schedule(l, map, arch)) {
          for (const step of it.steps) {
            const places = new Set<string>();
            for (const st of step.stacks) {
              expect(st.pes[0]!.psumIn).toBe(it.pass === 0 ? 'zero' : 'glb');
              expect(st.pes[st.pes.length - 1]!.psumOut).toBe(it.pass === map.reduction.passes - 1 ? 'output' : 'glb');
              for (const pe of st.pes) {
                const place = JSON.stringify(pe.place);
                expect(places.has(place), place).toBe(false);
                places.add(place);
                expect(pe.place.clusterRow).toBeLessThan(arch.clusterRows);
                for (let w = 0; w < st.windows; w++) {
                  const key =
                    (((((st.n * l.groups + st.g) * Mblocks + st.mb) * outH(l) + st.e) * outW(l) + st.fStart + w) * l.R + pe.r) * map.reduction.cBlocks + pe.cb;
                  seen.set(key, (seen.get(key) ?? 0) + 1);
                }
              }
            }
          }
        }
        const expected = l.N * l.groups * Mblocks * outH(l) * outW(l) * l.R * map.reduction.cBlocks;
        expect(seen.size).toBe(expected);
        expect([...seen.values()].every((v) => v === 1)).toBe(true);
      });
    }
  }
});
