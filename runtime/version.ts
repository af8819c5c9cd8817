// Which eyeriss-ts made a file: the package version and the git commit of the checkout, looked up
// once per process. `--version` prints it; result.json and summary.json record it as `eyeriss`.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from '../tb/paths.js';

export interface EyerissVersion {
  version: string;
  /** Short SHA, with `-dirty` when the tree has uncommitted changes; 'unknown' outside a git checkout. */
  commit: string;
}

/** git's output in the repository, or null when git is missing or this is no checkout. */
function git(args: string[]): string | null {
  try {
    return execFileSync('git', args, { cwd: repoRoot, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return null;
  }
}

function lookUp(): EyerissVersion {
  const pkg = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { version?: unknown };
  const version = typeof pkg.version === 'string' ? pkg.version : 'unknown';
  const sha = git(['rev-parse', '--short', 'HEAD']);
  if (sha === null || sha === '') return { version, commit: 'unknown' };
  const status = git(['status', '--porcelain', '--untracked-files=no']);
  return { version, commit: status === null || status === '' ? sha : `${sha}-dirty` };
}

let cached: EyerissVersion | undefined;

export function eyerissVersion(): EyerissVersion {
  cached ??= lookUp();
  return cached;
}

/** `--version`'s line, e.g. "eyeriss-ts 0.1.0 (commit 1a2b3c4-dirty)". */
export const versionText = (v: EyerissVersion = eyerissVersion()): string => `eyeriss-ts ${v.version} (commit ${v.commit})`;
