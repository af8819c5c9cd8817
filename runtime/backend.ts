// Who produces a layer's outputs and cycles: the golden model (architectural path) or the chip
// RTL simulated with Verilator (runtime/rtl/).
export const BACKENDS = ['golden', 'rtl'] as const;
export type BackendName = (typeof BACKENDS)[number];
