#!/usr/bin/env node
// Runs every test/**/*.test.ts file in its own Node process (isolation, a time limit each), two at a
// time, and ends with the line CI reads: `N passed, N failed`. Arguments filter files by substring. First it checks
// that the programs the tests run are installed (test/prerequisites.js), and stops with one sentence if not.
import { spawn } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkPrerequisites } from './prerequisites.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const testDir = join(root, 'test');
const fileTimeoutMs = Number(process.env.KUBESNAP_TEST_TIMEOUT_MS ?? 480_000);
const concurrency = Number(process.env.KUBESNAP_TEST_JOBS ?? 2);
const filters = process.argv.slice(2);

function findTests(dir) {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const path = join(dir, name);
      if (name === 'bench' || name === 'fixtures' || name === 'node_modules') return [];
      if (statSync(path).isDirectory()) return findTests(path);
      return name.endsWith('.test.ts') ? [path] : [];
    });
}

function runFile(file) {
  return new Promise((resolve) => {
    const started = Date.now();
    const child = spawn(process.execPath, ['--import', 'tsx', file], {
      cwd: root,
      env: { ...process.env, FORCE_COLOR: '0', NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    const timer = setTimeout(() => {
      output += `\n[test runner] ${relative(root, file)} did not finish within ${fileTimeoutMs / 1000}s; killed.\n`;
      child.kill('SIGKILL');
    }, fileTimeoutMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ file, code, output, seconds: (Date.now() - started) / 1000 });
    });
  });
}

function count(result) {
  const number = (label) => {
    const matches = [...result.output.matchAll(new RegExp(`^\\s*${label}:\\s+(\\d+)`, 'gm'))];
    return matches.length ? Number(matches[matches.length - 1][1]) : undefined;
  };
  const total = number('Total');
  const passed = number('Passed');
  const skipped = number('Skipped') ?? 0;
  if (total === undefined || passed === undefined) return { passed: 0, failed: 1, skipped: 0 };
  let failed = total - passed - skipped;
  // A file that exits non-zero after all its tests passed (a crash in teardown, an unhandled rejection) still fails.
  if (failed === 0 && result.code !== 0) failed = 1;
  return { passed, failed, skipped };
}

const missing = checkPrerequisites();
if (missing) {
  process.stderr.write(`${missing}\n`);
  process.exit(1);
}

const files = findTests(testDir).filter((file) => filters.length === 0 || filters.some((f) => file.includes(f)));
const totals = { passed: 0, failed: 0, skipped: 0 };
const queue = [...files];
async function worker() {
  while (queue.length) {
    const file = queue.shift();
    const result = await runFile(file);
    const counts = count(result);
    totals.passed += counts.passed;
    totals.failed += counts.failed;
    totals.skipped += counts.skipped;
    const status = counts.failed ? 'FAIL' : 'ok';
    process.stdout.write(
      `\n=== ${status} ${relative(root, file)} (${counts.passed} passed, ${counts.failed} failed, ${result.seconds.toFixed(1)}s)\n`,
    );
    if (counts.failed || process.env.KUBESNAP_TEST_VERBOSE) process.stdout.write(result.output.trimEnd() + '\n');
  }
}
await Promise.all(Array.from({ length: Math.max(1, concurrency) }, worker));
if (files.length === 0) process.stdout.write('no test files found\n');
const skipped = totals.skipped ? `, ${totals.skipped} skipped` : '';
process.stdout.write(`\n${totals.passed} passed, ${totals.failed} failed${skipped}\n`);
process.exitCode = totals.failed || files.length === 0 ? 1 : 0;
