// Embedded objects (pod templates, job templates, volume claim templates) carry the same run-time
// noise as top-level ones: `metadata.creationTimestamp: null` and a `status`.
import { deleteIfEmpty, mapAt, type JsonMap } from './fields.ts';

export function cleanTemplate(template: JsonMap | undefined): void {
  if (!template) return;
  delete template.status;
  const metadata = mapAt(template, 'metadata');
  if (metadata && metadata.creationTimestamp === null) delete metadata.creationTimestamp;
  deleteIfEmpty(template, 'metadata');
}
