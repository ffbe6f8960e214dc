#!/usr/bin/env node
// Usage: npm run test:samples -- DIR   (DIR holds guardduty-eventbridge/, guardduty-finding/, …)
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

const dir = process.argv[2];
if (!dir || !existsSync(dir)) {
  console.error('usage: npm run test:samples -- DIR (a folder of public sample events)');
  process.exit(2);
}
const extra = process.argv.slice(3);
const result = spawnSync(
  'npx',
  ['vitest', 'run', '--config', 'vitest.samples.config.mts', ...extra],
  {
    stdio: 'inherit',
    env: { ...process.env, SAMPLES_DIR: resolve(dir) },
  },
);
process.exit(result.status ?? 1);
