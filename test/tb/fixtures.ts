import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { DesignSources, PortInfo } from '../../tb/design.js';

const dir = join(dirname(fileURLToPath(import.meta.url)), 'fixtures');

const inp = (name: string, width = 1): PortInfo => ({ name, direction: 'input', width });
const out = (name: string, width = 1): PortInfo => ({ name, direction: 'output', width });
const clocked = [inp('clock'), inp('reset')];

function fixture(top: string, ports: PortInfo[]): DesignSources {
  return { top, files: [join(dir, `${top}.v`)], ports };
}

export const wideAdder = fixture('wide_adder', [inp('a', 100), inp('b', 100), inp('c', 40), inp('d', 8), out('sum', 101), out('cd', 48)]);

export const pipeline = fixture('pipeline', [...clocked, inp('in', 16), out('out', 16), out('count', 32)]);

export const fifo = fixture('fifo', [
  ...clocked,
  inp('enq_valid'),
  out('enq_ready'),
  inp('enq_bits_data', 70),
  inp('enq_bits_tag', 4),
  out('deq_valid'),
  inp('deq_ready'),
  out('deq_bits_data', 70),
  out('deq_bits_tag', 4),
  out('occupancy', 3),
]);

export const stuck = fixture('stuck', [
  ...clocked,
  inp('enq_valid'),
  out('enq_ready'),
  inp('enq_bits', 8),
  out('deq_valid'),
  inp('deq_ready'),
  out('deq_bits', 8),
]);

export const fatal = fixture('fatal', [...clocked, out('count', 8)]);

export const syntaxError = fixture('syntax_error', [inp('a'), out('b')]);

export const unreset = fixture('unreset', [...clocked, out('count', 8)]);
