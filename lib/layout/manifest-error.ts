import { KubesnapError } from '../errors/index.ts';

/** A file in the snapshot repository (or given by the user) that is not one YAML object. */
export class ManifestError extends KubesnapError {
  constructor(message: string, options?: { cause?: unknown; code?: string }) {
    super(options?.code ?? 'EMANIFEST', message, 2, options);
  }
}

/** A file that breaks a bound on what reading it may cost (size, YAML aliases, depth): never shown or restored, whatever reads it. */
export class ManifestLimitError extends ManifestError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, { ...options, code: 'EMANIFESTLIMIT' });
  }
}
