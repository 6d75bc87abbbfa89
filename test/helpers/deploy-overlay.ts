// templates/deploy with some of its components (or none), rendered by kubectl's built-in kustomize (offline) from
// an overlay as a user would write it: kustomize takes only relative paths to other kustomizations.
import { writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import * as assert from 'uvu/assert';
import { run, temporaryDirectory } from './processes.ts';

const deployDir = new URL('../../templates/deploy/', import.meta.url).pathname;

/** The rendered YAML stream of the base plus `components` (paths under templates/deploy/components). */
export async function renderDeployOverlay(components: string[]): Promise<string> {
  const overlay = temporaryDirectory('kubesnap-deploy-overlay-');
  try {
    const base = relative(overlay.path, deployDir);
    const listed = components.map((component) => `  - ${join(base, 'components', component)}\n`).join('');
    writeFileSync(
      join(overlay.path, 'kustomization.yaml'),
      `resources:\n  - ${base}\n${listed && `components:\n${listed}`}`,
    );
    const result = await run('/usr/bin/kubectl', ['kustomize', overlay.path]);
    assert.is(result.code, 0, result.stderr);
    return result.stdout;
  } finally {
    overlay.remove();
  }
}
