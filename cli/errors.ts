import { KubesnapError } from '../lib/errors/index.ts';

/**
 * The one place an error becomes what a user reads: one sentence and an exit code.
 * Anything that is not a KubesnapError is a bug in kubesnap; it still gets one line (no stack trace
 * unless KUBESNAP_DEBUG is set) and exit 1.
 */
export function renderError(error: unknown): { message: string; exitCode: number } {
  if (error instanceof KubesnapError) return { message: error.message, exitCode: error.exitCode };
  const text = error instanceof Error ? error.message : String(error);
  if (process.env.KUBESNAP_DEBUG && error instanceof Error && error.stack) process.stderr.write(error.stack + '\n');
  return { message: `unexpected failure: ${text.split('\n')[0]}`, exitCode: 1 };
}
