import { KubesnapError } from '../errors/index.ts';

/** An image reference Docker would not accept either (`Nginx`, `web:`, `a@sha256:xyz`). */
export class ImageReferenceError extends KubesnapError {
  constructor(message: string) {
    super('EIMAGEREF', message, 2);
  }
}

/** A registry that could not be reached, refused a request, or sent something we cannot copy. */
export class RegistryError extends KubesnapError {
  readonly status?: number;
  constructor(message: string, options?: { cause?: unknown; status?: number }) {
    super('EREGISTRY', message, 1, options);
    this.status = options?.status;
  }
}
