import type { ArchConfig } from '../spec/arch.js';
import type { Backend, BackendName } from './backend.js';
import { GoldenBackend } from './golden-backend.js';
import { RtlBackend } from './rtl/backend.js';
import type { RtlSessionOptions } from './rtl/session.js';

/** The backend of that name for the arch; the rtl one builds (or takes from the cache) its simulator first. */
export async function openBackend(name: BackendName, arch: ArchConfig, rtl: RtlSessionOptions = {}): Promise<Backend> {
  return name === 'rtl' ? RtlBackend.open(arch, rtl) : new GoldenBackend();
}
