import { formatFieldChange } from '../json/field-changes.ts';
import { kindLabel, objectName, sideLabel, summarize, summaryLine } from './summary.ts';
import type { ChangeSet } from './types.ts';
import { unifiedDiff } from './unified-diff.ts';

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** Markdown table cells: a `|` would end the cell. */
function cell(text: string): string {
  return escapeHtml(text).replace(/\|/g, '&#124;');
}

/** A code fence longer than any run of backticks inside the block. */
function fenceFor(text: string): string {
  const longest = Math.max(0, ...[...text.matchAll(/`+/g)].map((run) => run[0].length));
  return '`'.repeat(Math.max(3, longest + 1));
}

/** A change set as a pull-request comment: the summary as a table, one collapsible section per object. */
export function renderMarkdown(changeSet: ChangeSet): string {
  const title = `### kubesnap diff <code>${escapeHtml(sideLabel(changeSet.from))}</code> → <code>${escapeHtml(sideLabel(changeSet.to))}</code>`;
  if (changeSet.objects.length === 0) return `${title}\n\nNo differences.\n`;
  const out = [
    title,
    '',
    `**${summaryLine(changeSet)}**`,
    '',
    '| Namespace | Kind | Created | Changed | Deleted |',
    '| --- | --- | ---: | ---: | ---: |',
  ];
  for (const row of summarize(changeSet)) {
    out.push(
      `| ${row.namespace === undefined ? '_(cluster)_' : cell(row.namespace)} | ${cell(row.kind)} | ${row.created} | ${row.changed} | ${row.deleted} |`,
    );
  }
  for (const object of changeSet.objects) {
    const diff = unifiedDiff(object);
    const fence = fenceFor(diff);
    out.push(
      '',
      '<details>',
      `<summary><b>${object.change}</b> ${escapeHtml(kindLabel(object))} <code>${escapeHtml(objectName(object))}</code></summary>`,
      '',
    );
    out.push(`Path: <code>${escapeHtml(object.path)}</code>`, '');
    for (const field of object.fields) out.push(`- <code>${escapeHtml(formatFieldChange(field))}</code>`);
    if (object.fields.length) out.push('');
    out.push(`${fence}diff`, diff.trimEnd(), fence, '', '</details>');
  }
  return out.join('\n') + '\n';
}
