// The rtl backend's multicast, staging, iact format and output-stage switches of `eyeriss run`.
import { Option, type Command } from 'commander';
import type { IactFormat, ProgramOptions } from '../../runtime/rtl/program.js';

const IACT_FORMATS: readonly IactFormat[] = ['auto', 'csc', 'dense'];

/** What commander makes of the two negatable options: false when the --no-... flag is given. */
export interface MulticastSwitches {
  weightMulticast: boolean;
  iactMulticast: boolean;
  iactMeshMulticast: boolean;
  iactStaging: boolean;
  iactFormat: IactFormat;
  /** --raw-psums: undefined unless given. */
  rawPsums?: boolean;
}

/** Adds --no-weight-multicast, --no-iact-multicast, --no-iact-mesh-multicast, --no-iact-staging, --iact-format and --raw-psums; `when` prefixes their help (e.g. 'with --backend rtl: '). */
export function addMulticastOptions(cmd: Command, when = ''): Command {
  return cmd
    .option('--no-weight-multicast', `${when}every cluster takes its weights over its own port (no sharing along cluster rows)`)
    .option('--no-iact-multicast', `${when}every PE row takes its own copy of the iacts (no diagonal reuse across PE rows)`)
    .option('--no-iact-mesh-multicast', `${when}every cluster takes its iacts over its own ports (no sharing over the iact mesh)`)
    .option('--no-iact-staging', `${when}every iact word crosses the chip boundary each time it is used (no replay from the GLB iact banks)`)
    .addOption(
      new Option('--iact-format <format>', `${when}how iact messages are encoded: the shorter of CSC and uncompressed per message, or always one`)
        .choices(IACT_FORMATS)
        .default('auto'),
    )
    .option('--raw-psums', `${when}layers with a requant still send their raw 20-bit psums off chip (the host requantizes them; output.npy is written)`);
}

export const programOptions = (o: MulticastSwitches): ProgramOptions => ({
  weightMulticast: o.weightMulticast,
  iactMulticast: o.iactMulticast,
  iactMeshMulticast: o.iactMeshMulticast,
  iactStaging: o.iactStaging,
  iactFormat: o.iactFormat,
});

/** The switches as flags, for the command line a result file records. */
export const multicastFlags = (o: MulticastSwitches): string[] => [
  ...(o.weightMulticast ? [] : ['--no-weight-multicast']),
  ...(o.iactMulticast ? [] : ['--no-iact-multicast']),
  ...(o.iactMeshMulticast ? [] : ['--no-iact-mesh-multicast']),
  ...(o.iactStaging ? [] : ['--no-iact-staging']),
  ...(o.iactFormat === 'auto' ? [] : [`--iact-format ${o.iactFormat}`]),
  ...(o.rawPsums === true ? ['--raw-psums'] : []),
];
