import { fileURLToPath } from 'node:url';
import path from 'node:path';

/**
 * The user's source location that caused an elaboration step. Errors quote it so
 * a designer lands on the TypeScript line, not inside the DSL.
 */
export type Site = string;

const dslDir = path.dirname(fileURLToPath(import.meta.url));

function frameFile(frame: string): { file: string; line: string } | undefined {
  const m = /\(?((?:file:\/\/)?[^\s()]+):(\d+):\d+\)?$/.exec(frame.trim());
  if (!m) return undefined;
  let file = m[1]!;
  if (file.startsWith('file://')) file = fileURLToPath(file);
  return { file, line: m[2]! };
}

export function captureSite(): Site {
  return siteOfStack(new Error().stack);
}

/** The first frame of a stack that is the designer's code (not the DSL, Node or a dependency). */
export function siteOfStack(stack: string | undefined): Site {
  for (const frame of stack?.split('\n').slice(1) ?? []) {
    const f = frameFile(frame);
    if (!f) continue;
    if (f.file.startsWith(dslDir + path.sep) || f.file.startsWith('node:') || f.file.includes('node_modules')) continue;
    return `${path.relative(process.cwd(), f.file)}:${f.line}`;
  }
  return '<unknown>';
}

export class ElaborationError extends Error {
  constructor(
    readonly moduleName: string,
    readonly signal: string | undefined,
    readonly site: Site,
    problem: string,
  ) {
    super(`${moduleName}${signal ? `.${signal}` : ''} (${site}): ${problem}`);
    this.name = 'ElaborationError';
  }
}
