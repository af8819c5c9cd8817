// Who produces a layer's outputs and cycles. Only the golden model exists today: the full-chip RTL
// (clusters + 8x2 top, issue 6 "Hardware") has not been generated yet, so asking for it is an
// error rather than a silent fall-back to the model.
export const BACKENDS = ['golden', 'rtl'] as const;
export type BackendName = (typeof BACKENDS)[number];

export class BackendUnavailableError extends Error {
  constructor(readonly backend: BackendName) {
    super(`the ${backend} backend is not available yet: the full-chip RTL (clusters and the cluster-array top) has not been generated, so there is nothing to simulate; use --backend golden`);
    this.name = 'BackendUnavailableError';
  }
}

/** Throws BackendUnavailableError unless the backend can run layers. */
export function requireBackend(name: BackendName): void {
  if (name !== 'golden') throw new BackendUnavailableError(name);
}
