// The results table, printed and written to test/bench/RESULTS.md. Everything below NOTES_MARKER in the
// existing file (the hand-written reading of the figures) is kept.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { formatLoad, type Machine } from './machine.ts';
import type { Row } from './measure.ts';

const NOTES_MARKER = '<!-- written by hand below this line; npm run bench keeps it -->';
const resultsFile = new URL('./RESULTS.md', import.meta.url).pathname;

const verdict = (met: boolean | undefined) => (met === undefined ? '–' : met ? 'met' : 'NOT met');

export function printTable(rows: Row[]): void {
  const cells = [
    ['figure', 'target', 'kubesnap', 'baseline', 'ratio', ''],
    ...rows.map((r) => [r.figure, r.target, r.value, r.baseline, r.ratio, verdict(r.met)]),
  ];
  const widths = cells[0].map((_, column) => Math.max(...cells.map((row) => row[column].length)));
  for (const row of cells) console.log(row.map((cell, column) => cell.padEnd(widths[column])).join('  '));
}

export function printNotes(rows: Row[]): void {
  for (const row of rows) for (const note of row.notes) console.log(`    ${note}`);
}

export function writeResults(
  rows: Row[],
  machine: Machine,
  run: { startedAt: Date; durationMs: number; loadAtEnd: number[]; scale: string },
): void {
  const previous = existsSync(resultsFile) ? readFileSync(resultsFile, 'utf8') : '';
  const notes = previous.includes(NOTES_MARKER)
    ? previous.slice(previous.indexOf(NOTES_MARKER) + NOTES_MARKER.length)
    : '\n';
  const lines = [
    '# kubesnap benchmark results',
    '',
    `Written by \`npm run bench\` (test/bench/run.ts) on ${run.startedAt.toISOString()}; the run took ${(run.durationMs / 60_000).toFixed(1)} minutes. ${run.scale}`,
    '',
    '## Machine',
    '',
    `- ${machine.cores} cores (${machine.cpuModel}), ${machine.memoryGb.toFixed(1)} GB memory (${machine.freeMemoryGb.toFixed(1)} GB free at start)`,
    `- node ${machine.node}, ${machine.git}, kubectl ${machine.kubectl}`,
    `- load average (1, 5, 15 min) at start: ${formatLoad(machine.loadAverage)}; at the end: ${formatLoad(run.loadAtEnd)} — the machine is shared, so wall times include the neighbours' load`,
    '',
    '## Figures',
    '',
    'Each figure is the median of its runs, measured side by side with its baseline in the same run.',
    '',
    '| figure | target | kubesnap | baseline | ratio | |',
    '| --- | --- | --- | --- | --- | --- |',
    ...rows.map((r) => `| ${r.figure} | ${r.target} | ${r.value} | ${r.baseline} | ${r.ratio} | ${verdict(r.met)} |`),
    '',
    '## Details',
    '',
    ...rows.flatMap((r) => [`**${r.figure}**`, '', ...r.notes.map((note) => `- ${note}`), '']),
    NOTES_MARKER,
  ];
  writeFileSync(resultsFile, `${lines.join('\n')}${notes}`);
}
