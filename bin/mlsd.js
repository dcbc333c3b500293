#!/usr/bin/env node
// Runs the built CLI when there is one (production image), otherwise the TypeScript source through tsx.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

// A .env in the working directory fills in variables the environment does not already set.
if (existsSync('.env')) process.loadEnvFile('.env');

const built = fileURLToPath(new URL('../dist/src/main.js', import.meta.url));
if (existsSync(built)) {
  await import(built);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../src/main.ts');
}
