// What a failed write says, naming its object: `Deployment/shop/web: spec.selector: field is immutable ...`.
import { ApiError } from '../kube/index.ts';

/** The server's own sentence, without the `PATCH /apis/...: ` the client puts in front. */
export function serverMessage(error: unknown): string {
  if (error instanceof ApiError) return error.message.replace(/^[A-Z]+ \/\S*: /, '');
  return error instanceof Error ? error.message : String(error);
}

/** The field an "is immutable" rejection (422) names, or undefined for any other error. */
export function immutableField(error: unknown): string | undefined {
  if (!(error instanceof ApiError) || error.status !== 422) return undefined;
  const causes = (error.details?.causes ?? []) as Array<{ field?: string; message?: string }>;
  const cause = causes.find((c) => /field is immutable/.test(c.message ?? ''));
  if (cause) return cause.field ?? 'a field';
  const message = serverMessage(error);
  if (!/field is immutable/.test(message)) return undefined;
  // `Deployment.apps "web" is invalid: spec.selector: Invalid value: ...: field is immutable`
  return /is invalid: ([\w.[\]"'\-/]+): /.exec(message)?.[1] ?? 'a field';
}

export function failureMessage(ref: string, error: unknown): string {
  const field = immutableField(error);
  if (field !== undefined)
    return `${ref}: ${field} is immutable and differs from the revision; use --recreate to delete and create the object.`;
  return `${ref}: ${serverMessage(error)}`;
}

/** An error that may mean "someone else changed it meanwhile": a failed resourceVersion test (422), a conflict, a disappearance. */
export function mayBeConcurrent(error: unknown): boolean {
  return error instanceof ApiError && (error.status === 409 || error.status === 422 || error.status === 404);
}
