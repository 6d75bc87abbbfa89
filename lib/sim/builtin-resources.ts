// Discovery data of a kube-apiserver v1.32 (every built-in group/version), kept as data in builtin-resources.json,
// one served resource a line. The JSON's own type is checked by the compiler; what JSON cannot say (which
// subresources there are) is checked here.
import table from './builtin-resources.json' with { type: 'json' };
import type { ResourceDef } from './types.ts';

type Subresource = ResourceDef['subresources'][number];

function subresourceOf(name: string): Subresource {
  if (name === 'status' || name === 'scale') return name;
  throw new Error(`builtin-resources.json: unknown subresource ${JSON.stringify(name)}`);
}

export const BUILTIN_RESOURCES: readonly ResourceDef[] = table.map(
  (row): ResourceDef => ({ ...row, subresources: row.subresources.map(subresourceOf) }),
);
