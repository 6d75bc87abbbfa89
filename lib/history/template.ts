import { readFileSync } from 'node:fs';
import { packageRoot } from '../runtime/index.ts';

const cache = new Map<string, string>();

/** Fills `{{name}}` placeholders of a template from templates/messages/. Unknown placeholders are an error (a typo would otherwise ship). */
export function renderTemplate(name: string, values: Record<string, string | number>): string {
  let text = cache.get(name);
  if (text === undefined) {
    text = readFileSync(new URL(`templates/messages/${name}`, packageRoot()), 'utf8');
    cache.set(name, text);
  }
  return text.replace(/\{\{(\w+)\}\}/g, (_match, key: string) => {
    if (!(key in values)) throw new Error(`template ${name} uses {{${key}}}, which has no value`);
    return String(values[key]);
  });
}
