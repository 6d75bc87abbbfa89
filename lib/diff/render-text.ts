import { formatFieldChange } from '../json/field-changes.ts';
import { kindLabel, objectName, sideLabel, summarize, summaryLine } from './summary.ts';
import type { ChangeSet, ChangeType } from './types.ts';
import { unifiedDiff } from './unified-diff.ts';

export interface TextOptions {
  /** ANSI colours; the caller decides (a TTY and no NO_COLOR). */
  color?: boolean;
  /** Leave out the unified YAML diffs (summary and field changes only). */
  stat?: boolean;
}

const codes = { bold: 1, red: 31, green: 32, yellow: 33, cyan: 36, dim: 2 } as const;
type Style = keyof typeof codes;

const changeStyle: Record<ChangeType, Style> = { created: 'green', changed: 'yellow', deleted: 'red' };

function table(rows: string[][]): string[] {
  const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => row[column].length)));
  return rows.map((row) =>
    row
      .map((cell, column) => (column === row.length - 1 ? cell : cell.padEnd(widths[column])))
      .join('  ')
      .trimEnd(),
  );
}

/** A change set for a terminal: the summary, then per object its field changes and its unified YAML diff. */
export function renderText(changeSet: ChangeSet, options: TextOptions = {}): string {
  const paint = (style: Style, text: string) => (options.color ? `\x1b[${codes[style]}m${text}\x1b[0m` : text);
  const lines: string[] = [];
  const header = `${sideLabel(changeSet.from)} → ${sideLabel(changeSet.to)}`;
  if (changeSet.objects.length === 0) return `No differences: ${header}.\n`;
  lines.push(paint('bold', `${header}: ${summaryLine(changeSet)}`), '');
  const rows = summarize(changeSet).map((row) => [
    row.namespace ?? '(cluster)',
    row.kind,
    String(row.created),
    String(row.changed),
    String(row.deleted),
  ]);
  for (const line of table([['NAMESPACE', 'KIND', 'CREATED', 'CHANGED', 'DELETED'], ...rows])) lines.push(`  ${line}`);
  for (const object of changeSet.objects) {
    lines.push(
      '',
      paint('bold', `${paint(changeStyle[object.change], object.change)} ${kindLabel(object)} ${objectName(object)}`) +
        paint('dim', `  ${object.path}`),
    );
    for (const field of object.fields) lines.push(`  ${formatFieldChange(field)}`);
    if (options.stat) continue;
    lines.push('');
    for (const line of unifiedDiff(object).trimEnd().split('\n')) {
      if (
        line.startsWith('+++') ||
        line.startsWith('---') ||
        line.startsWith('diff ') ||
        line.endsWith('file mode 100644')
      )
        lines.push(paint('bold', line));
      else if (line.startsWith('+')) lines.push(paint('green', line));
      else if (line.startsWith('-')) lines.push(paint('red', line));
      else if (line.startsWith('@@')) lines.push(paint('cyan', line));
      else lines.push(line);
    }
  }
  return lines.join('\n') + '\n';
}
