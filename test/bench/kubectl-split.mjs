// The end-to-end baseline's splitting step, as a user's script would do it (yq or a few lines of a scripting
// language): every `kubectl get -A -o yaml` list given on the command line becomes one file per object,
// <namespace>/<resource>/<name>.yaml, in the current directory.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { dump, load } from 'js-yaml';

for (const file of process.argv.slice(2)) {
  const resource = basename(file, '.yaml');
  for (const item of load(readFileSync(file, 'utf8')).items ?? []) {
    const folder = join(item.metadata.namespace ?? '_cluster', resource);
    mkdirSync(folder, { recursive: true });
    writeFileSync(join(folder, `${item.metadata.name}.yaml`), dump(item));
  }
}
