#!/usr/bin/env -S npx tsx
/**
 * The eyeriss-ts command line. Each command lives in scripts/commands/ and registers itself
 * here, so later work adds commands without touching the others.
 */
import { Command } from 'commander';
import { registerGenerate } from './commands/generate.js';
import { registerImport } from './commands/import.js';
import { registerRun } from './commands/run.js';
import { versionText } from '../runtime/version.js';

const program = new Command()
  .name('eyeriss')
  .description('Eyeriss v2 generator, golden model and verification harness')
  .version(versionText(), '-V, --version', 'print the package version and the git commit')
  .showHelpAfterError();

registerGenerate(program);
registerRun(program);
registerImport(program);

program.parseAsync(process.argv).catch((e: unknown) => {
  console.error(`error: ${e instanceof Error ? e.message : String(e)}`);
  process.exitCode = 1;
});
