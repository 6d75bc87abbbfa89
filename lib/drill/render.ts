import type { DrillPart, DrillReport } from './types.ts';

const marks = { passed: '✓', failed: '✗', skipped: '-' } as const;

function verdict(report: DrillReport): string {
  return report.passed ? 'passed' : 'FAILED';
}

export function renderDrillText(report: DrillReport): string {
  const lines = [
    `Drill of ${report.revision.label} (${report.revision.commit.slice(0, 7)}): ${verdict(report)} in ${(report.durationMs / 1000).toFixed(1)} s`,
  ];
  for (const part of report.parts) {
    lines.push(`  ${marks[part.status]} ${part.part}: ${part.summary}`);
    lines.push(...part.problems.map((problem) => `      ${problem}`));
    lines.push(...part.notes.map((note) => `      note: ${note}`));
  }
  return lines.join('\n') + '\n';
}

function markdownPart(part: DrillPart): string[] {
  const lines = [`### ${part.part}: ${part.status}`, '', part.summary, ''];
  if (part.problems.length) lines.push(...part.problems.map((problem) => `- ${escapeMarkdown(problem)}`), '');
  if (part.notes.length)
    lines.push('Not restored by design:', '', ...part.notes.map((note) => `- ${escapeMarkdown(note)}`), '');
  return lines;
}

export function renderDrillMarkdown(report: DrillReport): string {
  const lines = [
    `## Restore drill of \`${report.revision.label}\` (\`${report.revision.commit.slice(0, 12)}\`): ${verdict(report)}`,
    '',
    `Started ${report.startedAt}, took ${(report.durationMs / 1000).toFixed(1)} s.`,
    '',
    '| part | result |',
    '| --- | --- |',
    ...report.parts.map((part) => `| ${part.part} | ${part.status} |`),
    '',
    ...report.parts.flatMap(markdownPart),
  ];
  return lines.join('\n');
}

function escapeMarkdown(text: string): string {
  return text.replace(/([\\`*_[\]<>|])/g, '\\$1');
}
