// The Eyeriss v2 paper's published results (spec section 6), as data. `npm run paper` pairs each
// figure with the golden model's value by key; the figures live here so that a reader, a test or
// another report can cite the same numbers without the model.

/** A published point value, a range (`from`-`to`) or a lower bound. */
export type Published = number | { from: number; to: number } | { atLeast: number };

/** One figure the model is compared with; `note` names the report's notes that explain it. */
export interface PublishedFigure {
  figure: string;
  source: string;
  paper: Published;
  note: string;
}

/** Inferences per second of the chip at 200 MHz, and the ratios the paper states against it (spec 6.1, 6.2). */
export const PAPER_RATES = {
  sparseMobilenetIps: 1470.6,
  sparseMobilenetIpj: 2560.3,
  /** Derived in the spec from the 5.3x MobileNet/AlexNet ratio. */
  sparseAlexnetIps: 277.7,
  /** v2 sparse MobileNet against v1 MobileNet and v1 AlexNet, throughput. */
  v2OverV1Mobilenet: 12.6,
  v2OverV1Alexnet: 225.1,
} as const;

/** Fig. 22's per-layer efficiency in GOPS/W (spec 6.3). */
export const FIG22_GOPS_PER_WATT = { conv1: 148.1, conv3: 392.0, sparseConv3: 1423.2, mobilenetDw13: 77.7, sparseFc8: 465.1 } as const;

/**
 * Eyeriss v1's own measurement of AlexNet's CONV layers (Chen et al., JSSC 2017, Table V): MACs of
 * a batch of 4 in the processing time, at its clock, on its PEs.
 */
export const V1_ALEXNET_CONV_MEASURED = { macs: 2.666e9, seconds: 103.5e-3, clockHz: 200e6, pes: 168 } as const;

/** The arXiv v1 abstract's speedup ranges of the HM-NoC over the flat NoC on Fig. 14's MobileNet 1.0-224. */
export const FIG14_HM_OVER_FLAT = {
  pes256: { from: 10.4, to: 17.9 },
  pes1024: { from: 37.7, to: 71.5 },
  pes16384: { from: 448.8, to: 1086.7 },
} as const;

const R = PAPER_RATES;
const F = FIG22_GOPS_PER_WATT;

/** Every figure of the paper table, in its row order. */
export const PAPER_FIGURES = {
  sparseMobilenetIps: { figure: 'sparse MobileNet inferences/s', source: 'P abstract', paper: R.sparseMobilenetIps, note: 'P1' },
  sparseMobilenetIpj: { figure: 'sparse MobileNet inferences/J', source: 'P abstract', paper: R.sparseMobilenetIpj, note: 'E1' },
  sparseAlexnetIps: { figure: 'sparse AlexNet inferences/s', source: 'D (5.3x)', paper: R.sparseAlexnetIps, note: 'A1' },
  sparseAlexnetIpj: { figure: 'sparse AlexNet inferences/J', source: 'D (656-689)', paper: 672.5, note: 'A1, E1' },
  denseMobilenetIps: { figure: 'dense MobileNet inferences/s', source: 'D (1.2x)', paper: 1225, note: 'P1' },
  denseMobilenetIpj: { figure: 'dense MobileNet inferences/J', source: 'D (1.3x)', paper: 1969, note: 'E1' },
  denseAlexnetIps: { figure: 'dense AlexNet inferences/s', source: 'D, uncertain', paper: 97, note: 'A1' },
  v15OverV1MobilenetIps: { figure: 'v1.5 vs v1, MobileNet, throughput', source: 'P I-C', paper: 5.6, note: 'V1' },
  v15OverV1MobilenetIpj: { figure: 'v1.5 vs v1, MobileNet, energy eff.', source: 'P I-C', paper: 1.8, note: 'V1' },
  sparseOverDenseMobilenetIps: { figure: 'sparse vs dense MobileNet on v2, throughput', source: 'P I-C', paper: 1.2, note: '' },
  sparseOverDenseMobilenetIpj: { figure: 'sparse vs dense MobileNet on v2, energy eff.', source: 'P I-C', paper: 1.3, note: '' },
  v2OverV1MobilenetIps: { figure: 'v2 sparse MobileNet vs v1 MobileNet, throughput', source: 'P abstract', paper: R.v2OverV1Mobilenet, note: 'V1' },
  v2OverV1MobilenetIpj: { figure: 'v2 sparse MobileNet vs v1 MobileNet, energy eff.', source: 'P abstract', paper: 2.5, note: 'V1' },
  v2OverV1AlexnetIps: { figure: 'v2 sparse AlexNet vs v1 AlexNet, throughput', source: 'P I-C', paper: 42.5, note: 'V1, A1' },
  v2OverV1AlexnetIpj: { figure: 'v2 sparse AlexNet vs v1 AlexNet, energy eff.', source: 'P I-C', paper: 11.3, note: 'V1, A1' },
  v2MobilenetOverV1AlexnetIps: { figure: 'v2 sparse MobileNet vs v1 AlexNet, throughput', source: 'P I-C', paper: R.v2OverV1Alexnet, note: 'V1' },
  v2MobilenetOverV1AlexnetIpj: { figure: 'v2 sparse MobileNet vs v1 AlexNet, energy eff.', source: 'P I-C', paper: 42.0, note: 'V1' },
  mobilenetOverAlexnetIps: { figure: 'sparse MobileNet vs sparse AlexNet, throughput', source: 'P V-C', paper: 5.3, note: 'A1' },
  mobilenetOverAlexnetIpj: { figure: 'sparse MobileNet vs sparse AlexNet, energy eff.', source: 'P V-C', paper: 3.9, note: 'A1' },
  alexnetConv1GopsW: { figure: 'AlexNet CONV1 GOPS/W', source: 'P V-B Fig. 22', paper: F.conv1, note: 'E1' },
  alexnetConv3GopsW: { figure: 'AlexNet CONV3 GOPS/W', source: 'P V-B Fig. 22', paper: F.conv3, note: 'A1, E1' },
  sparseAlexnetConv3GopsW: { figure: 'sparse AlexNet CONV3 GOPS/W', source: 'P V-B Fig. 22', paper: F.sparseConv3, note: 'A1, E1' },
  mobilenetDw13GopsW: { figure: 'MobileNet CONV13 (DW) GOPS/W', source: 'P V-B Fig. 22', paper: F.mobilenetDw13, note: 'L1, E1' },
  sparseAlexnetFc8GopsW: { figure: 'sparse AlexNet FC8 GOPS/W', source: 'P V-B Fig. 22', paper: F.sparseFc8, note: 'A1, E1' },
  alexnetConvDramMB: { figure: 'AlexNet DRAM MB/inference, CONV layers', source: 'P V-B', paper: 7.1, note: 'D1' },
  sparseAlexnetConvDramMB: { figure: 'sparse AlexNet DRAM MB/inference, CONV layers', source: 'P V-B', paper: 4.6, note: 'D1, A1' },
  sparseAlexnetKeptAtDram: { figure: 'sparse AlexNet throughput kept at 25.6 GB/s DRAM', source: 'P V-B (-16 %)', paper: 0.84, note: 'D2' },
  sparseMobilenetKeptAtDram: { figure: 'sparse MobileNet throughput kept at 25.6 GB/s DRAM', source: 'P V-B (-24 %)', paper: 0.76, note: 'D2' },
  fig14Hm1024Over256: {
    figure: 'HM-NoC, dense MobileNet 1.0-224, 1024 vs 256 PEs, throughput',
    source: 'P III-D Fig. 14 (linear)',
    paper: 4,
    note: 'S1',
  },
  fig14Hm16384ShareOfLinear: {
    figure: 'HM-NoC, dense MobileNet 1.0-224, 16384 PEs, share of linear scaling from 256',
    source: 'P III-D Fig. 14',
    paper: { atLeast: 0.85 },
    note: 'S1',
  },
  fig14HmOverFlat256: {
    figure: 'v2 vs v1 (HM vs flat NoC), dense MobileNet 1.0-224, 256 PEs, throughput',
    source: 'arXiv v1 abstract',
    paper: FIG14_HM_OVER_FLAT.pes256,
    note: 'S1, V1',
  },
  fig14HmOverFlat1024: {
    figure: 'v2 vs v1 (HM vs flat NoC), dense MobileNet 1.0-224, 1024 PEs, throughput',
    source: 'arXiv v1 abstract',
    paper: FIG14_HM_OVER_FLAT.pes1024,
    note: 'S1, V1',
  },
  fig14HmOverFlat16384: {
    figure: 'v2 vs v1 (HM vs flat NoC), dense MobileNet 1.0-224, 16384 PEs, throughput',
    source: 'arXiv v1 abstract',
    paper: FIG14_HM_OVER_FLAT.pes16384,
    note: 'S1, V1',
  },
} as const satisfies Record<string, PublishedFigure>;

export type PaperFigureKey = keyof typeof PAPER_FIGURES;

/** model / paper; for a range, against its nearer end (1 inside it). */
export function ratioTo(p: Published, model: number): number {
  if (typeof p === 'number') return model / p;
  if ('atLeast' in p) return model / p.atLeast;
  return model < p.from ? model / p.from : model > p.to ? model / p.to : 1;
}

/** A lower bound is met when the model reaches it; values and ranges within 0.85-1.15. */
export const meets = (p: Published, ratio: number): boolean => (typeof p === 'object' && 'atLeast' in p ? ratio >= 1 : ratio >= 0.85 && ratio <= 1.15);
