/**
 * Errors a user can cause. Each carries a stable `code` and the exit code the CLI ends with;
 * its message is one sentence a user can act on. cli/ maps them to output in one place.
 */
export class KubesnapError extends Error {
  readonly code: string;
  readonly exitCode: number;
  constructor(code: string, message: string, exitCode = 1, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
    this.exitCode = exitCode;
  }
}

/** Bad flags, arguments or input files: exit 2, as kubectl and git do. */
export class UsageError extends KubesnapError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('EUSAGE', message, 2, options);
  }
}

/** A kubeconfig that is missing, does not parse, or names a context that is not there. */
export class KubeconfigError extends KubesnapError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('EKUBECONFIG', message, 2, options);
  }
}

/** The API server could not be reached or refused us (network, TLS, 401/403 on the whole API). */
export class ClusterError extends KubesnapError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('ECLUSTER', message, 1, options);
  }
}

/** The snapshot repository is not usable: a file, a non-git folder, a broken ref. */
export class RepositoryError extends KubesnapError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('EREPO', message, 2, options);
  }
}

/** Another kubesnap holds the repository's lock. */
export class LockedError extends KubesnapError {
  constructor(message: string) {
    super('ELOCKED', message, 1);
  }
}

/** A name that would escape its folder or otherwise cannot be laid out. */
export class UnsafeNameError extends KubesnapError {
  constructor(message: string) {
    super('EUNSAFENAME', message, 1);
  }
}
