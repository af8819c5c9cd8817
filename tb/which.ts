import { accessSync, constants as fsConstants, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';

export function isExecutable(path: string): boolean {
  try {
    accessSync(path, fsConstants.X_OK);
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/** The first executable called `name` on the PATH of `env` (default process.env). */
export function findOnPath(name: string, env: NodeJS.ProcessEnv | undefined): string | undefined {
  const PATH = (env ?? process.env).PATH ?? '';
  for (const dir of PATH.split(delimiter)) {
    if (dir === '') continue;
    const candidate = join(dir, name);
    if (isExecutable(candidate)) return candidate;
  }
  return undefined;
}
