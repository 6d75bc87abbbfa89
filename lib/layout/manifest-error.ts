import { KubesnapError } from '../errors/index.ts';

/** A file in the snapshot repository (or given by the user) that is not one YAML object. */
export class ManifestError extends KubesnapError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('EMANIFEST', message, 2, options);
  }
}
