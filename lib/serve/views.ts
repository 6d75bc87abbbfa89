import { fileURLToPath } from 'node:url';
import { Eta } from 'eta';
import { packageRoot } from '../runtime/index.ts';

/**
 * The page templates (lib/serve/views/*.eta). Eta escapes every `<%= %>` (autoEscape); the only raw inserts
 * (`<%~ %>`) are the layout's body and the diff renderer's own escaped HTML.
 */
export class Views {
  private readonly eta = new Eta({
    views: fileURLToPath(new URL('lib/serve/views/', packageRoot())),
    autoEscape: true,
    cache: true,
  });

  render(name: string, data: object): string {
    return this.eta.render(`./${name}`, data);
  }
}
