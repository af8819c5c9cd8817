// The RTL's off-chip iact bytes held against the golden model's, per layer, split into what the
// words carry (rtl.iact_census): the golden model counts each iact stream's CSC pairs and
// addresses once per iteration (or window) that fetches it, the RTL sends 12-bit slots, one
// address slot per segment, pads that align a fabric input's classes at every job step, and a
// header per segment of a staged port. pairs / golden is how often the RTL sends a pair the
// model counts once: streams that several ports or steps carry (halo rows, classes of other PE
// rows) and windows longer than what the GLB iact banks replay.
import type { LayerResult } from '../run-layer.js';

const SLOT_BYTES = 1.5;
const WORD_BYTES = 3;

export function iactTrafficMarkdown(results: readonly LayerResult[]): string[] {
  const rows = results.filter((r) => r.rtl !== undefined && r.rtl_offchip_bytes !== undefined);
  if (rows.length === 0) return [];
  const kB = (bytes: number): string => (bytes / 1e3).toFixed(1);
  const ratio = (a: number, b: number): string => (b === 0 ? '-' : (a / b).toFixed(2));
  const sum = { golden: 0, rtl: 0, pairs: 0, addr: 0, pads: 0, headers: 0, replayed: 0 };
  const line = (name: string, x: typeof sum): string =>
    `| ${name} | ${kB(x.golden)} | ${kB(x.rtl)} | ${ratio(x.rtl, x.golden)} | ${kB(x.pairs)} | ${kB(x.addr)} | ${kB(x.pads)} | ${kB(x.headers)} | ${kB(x.replayed)} | ${ratio(x.pairs, x.golden)} |`;
  const body = rows.map((r) => {
    const c = r.rtl!.iact_census;
    const x = {
      golden: r.dram_bytes_by_stream.iact,
      rtl: r.rtl_offchip_bytes!.iact,
      pairs: c.pair_slots * SLOT_BYTES,
      addr: c.address_slots * SLOT_BYTES,
      pads: c.pad_slots * SLOT_BYTES + c.pad_words * WORD_BYTES,
      headers: c.header_words * WORD_BYTES,
      replayed: r.rtl!.staging.replayed_words * WORD_BYTES,
    };
    for (const k of Object.keys(sum) as (keyof typeof sum)[]) sum[k] += x[k];
    return line(r.layer.name, x);
  });
  return [
    '## Iact bytes against the golden model',
    '',
    "What the RTL's off-chip iact words carried (result.json `rtl.iact_census`): 12-bit slots of (count, value) pairs (the values of uncompressed messages, count 0, among them), of segment end addresses and of pads, whole pad words, and the headers of staged ports; golden = the golden model's iact DRAM bytes (`dram_bytes_by_stream.iact`), which count each stream's CSC pairs and addresses once per iteration that fetches it (once per layer where the mapping stages them and the input fits the GLB). Replayed = iact bytes the GLB iact banks replayed instead (`rtl.staging`). pairs / golden: how often the RTL sends a pair the model counts once (streams that several ports or steps carry, and windows longer than the banks replay).",
    '',
    '| layer | golden iact kB | RTL iact kB | RTL/golden | pairs kB | address slots kB | pads kB | headers kB | replayed kB | pairs/golden |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...body,
    line('**total**', sum),
    '',
  ];
}
