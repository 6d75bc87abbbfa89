// The TokenRequest subresource (`POST .../serviceaccounts/NAME/token`, what `kubectl create token` sends):
// a token for the service account, answered in the shape a v1.32 server answers (nothing is stored).
import { timestamp } from './object-shape.ts';
import { DEFAULT_AUDIENCES, DEFAULT_EXPIRATION_SECONDS, type ServiceAccountTokens } from './service-account-tokens.ts';
import { invalid, notFound } from './status.ts';
import type { KubeObject } from './types.ts';

const API_VERSION = 'authentication.k8s.io/v1';
const MIN_EXPIRATION_SECONDS = 600;

interface TokenRequestSpec {
  audiences?: string[] | null;
  expirationSeconds?: number | null;
  boundObjectRef?: Record<string, unknown> | null;
}

export function tokenRequestResponse(
  tokens: ServiceAccountTokens,
  request: { namespace: string; name: string; body: KubeObject | undefined; manager: string; now: Date },
): KubeObject {
  const { namespace, name, now } = request;
  const spec = (request.body?.spec ?? {}) as TokenRequestSpec;
  const expirationSeconds = spec.expirationSeconds ?? DEFAULT_EXPIRATION_SECONDS;
  if (expirationSeconds < MIN_EXPIRATION_SECONDS) {
    throw invalid('authentication.k8s.io', 'TokenRequest', name, [
      {
        reason: 'FieldValueInvalid',
        message: `Invalid value: ${expirationSeconds}: may not specify a duration less than 10 minutes`,
        field: 'spec.expirationSeconds',
      },
    ]);
  }
  const audiences = spec.audiences?.length ? spec.audiences : DEFAULT_AUDIENCES;
  const issued = tokens.issue(namespace, name, { audiences, expirationSeconds });
  if (!issued) throw notFound('', 'serviceaccounts', name);
  const time = timestamp(now);
  const metadata: KubeObject['metadata'] = { name, namespace, creationTimestamp: time };
  const requested = Object.keys(spec).filter((field) => spec[field as keyof TokenRequestSpec] != null);
  if (requested.length > 0) {
    const fieldsV1 = { 'f:spec': Object.fromEntries(requested.map((field) => [`f:${field}`, {}])) };
    metadata.managedFields = [
      {
        manager: request.manager,
        operation: 'Update',
        apiVersion: API_VERSION,
        time,
        fieldsType: 'FieldsV1',
        fieldsV1,
        subresource: 'token',
      },
    ];
  }
  return {
    kind: 'TokenRequest',
    apiVersion: API_VERSION,
    metadata,
    spec: { audiences, expirationSeconds, boundObjectRef: spec.boundObjectRef ?? null },
    status: { token: issued.token, expirationTimestamp: timestamp(issued.expirationTimestamp) },
  };
}
