import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { html as diffToHtml } from 'diff2html';
import { packageRoot } from '../runtime/index.ts';
import { formatFieldChange } from '../json/field-changes.ts';
import { groupByNamespace, kindLabel, objectName, sideLabel, summarize, summaryLine } from './summary.ts';
import type { ChangeSet } from './types.ts';
import { unifiedDiff } from './unified-diff.ts';

let diff2htmlCss: string | undefined;

/** diff2html's stylesheet, inlined so the page opens with no network. */
function stylesheet(): string {
  diff2htmlCss ??= readFileSync(
    createRequire(new URL('package.json', packageRoot())).resolve('diff2html/bundles/css/diff2html.min.css'),
    'utf8',
  );
  return diff2htmlCss;
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

const pageStyle = `
body { font-family: -apple-system, "Segoe UI", Helvetica, Arial, sans-serif; margin: 24px; color: #1f2328; background: #fff; }
h1 { font-size: 22px; } h2 { font-size: 18px; border-bottom: 1px solid #d0d7de; padding-bottom: 4px; margin-top: 32px; }
table.summary { border-collapse: collapse; margin: 12px 0; }
table.summary th, table.summary td { border: 1px solid #d0d7de; padding: 4px 10px; text-align: left; }
table.summary td.n { text-align: right; }
.object { margin: 16px 0 24px; }
.object h3 { font-size: 15px; margin: 0 0 6px; }
.change { display: inline-block; padding: 1px 6px; border-radius: 4px; color: #fff; font-size: 12px; }
.change.created { background: #1a7f37; } .change.changed { background: #9a6700; } .change.deleted { background: #cf222e; }
.path { color: #57606a; font-family: monospace; font-size: 12px; margin-left: 8px; }
ul.fields { font-family: monospace; font-size: 13px; margin: 4px 0 8px; }
`;

/** The styles of renderChangeSetBody's markup: diff2html's and the summary's. */
export function changeSetStylesheet(): string {
  return `${stylesheet()}\n${pageStyle}`;
}

/** The file's anchor in a page of diffs (`#file-shop/deployments.apps/web.yaml`), for links pasted into a ticket. */
export function fileAnchor(path: string): string {
  return `file-${path}`;
}

/** The summary table, field changes and side-by-side diffs of a change set, as an HTML fragment (no title). */
export function renderChangeSetBody(changeSet: ChangeSet): string {
  const body: string[] = [];
  if (changeSet.objects.length === 0) {
    body.push('<p>No differences.</p>');
  } else {
    body.push(`<p><strong>${escapeHtml(summaryLine(changeSet))}</strong></p>`);
    body.push(
      '<table class="summary"><thead><tr><th>Namespace</th><th>Kind</th><th>Created</th><th>Changed</th><th>Deleted</th></tr></thead><tbody>',
    );
    for (const row of summarize(changeSet)) {
      body.push(
        `<tr><td>${escapeHtml(row.namespace ?? '(cluster)')}</td><td>${escapeHtml(row.kind)}</td><td class="n">${row.created}</td><td class="n">${row.changed}</td><td class="n">${row.deleted}</td></tr>`,
      );
    }
    body.push('</tbody></table>');
    for (const [namespace, objects] of groupByNamespace(changeSet)) {
      body.push(
        `<section class="namespace"><h2>${escapeHtml(namespace === '' ? '(cluster)' : `namespace ${namespace}`)}</h2>`,
      );
      for (const object of objects) {
        body.push(
          `<div class="object" id="${escapeHtml(fileAnchor(object.path))}" data-path="${escapeHtml(object.path)}">`,
        );
        body.push(
          `<h3><span class="change ${object.change}">${object.change}</span> ${escapeHtml(kindLabel(object))} ${escapeHtml(objectName(object))}<span class="path">${escapeHtml(object.path)}</span></h3>`,
        );
        if (object.fields.length)
          body.push(
            `<ul class="fields">${object.fields.map((field) => `<li>${escapeHtml(formatFieldChange(field))}</li>`).join('')}</ul>`,
          );
        body.push(
          diffToHtml(unifiedDiff(object), { outputFormat: 'side-by-side', drawFileList: false, matching: 'lines' }),
        );
        body.push('</div>');
      }
      body.push('</section>');
    }
  }
  return body.join('\n');
}

/** One self-contained HTML page: the summary on top, then side-by-side diffs grouped by namespace. No scripts, no external resources. */
export function renderHtml(changeSet: ChangeSet): string {
  const title = `kubesnap diff ${sideLabel(changeSet.from)} → ${sideLabel(changeSet.to)}`;
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${stylesheet()}</style>
<style>${pageStyle}</style>
</head>
<body>
<h1>${escapeHtml(title)}</h1>
${renderChangeSetBody(changeSet)}
</body>
</html>
`;
}
