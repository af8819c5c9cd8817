#!/usr/bin/env node
// The `eyeriss` command of package.json's "bin": Node 20 runs the TypeScript command line without
// a build step, through tsx's loader registered here, from any working directory.
import { register } from 'tsx/esm/api';

register();
await import('./eyeriss.ts');
