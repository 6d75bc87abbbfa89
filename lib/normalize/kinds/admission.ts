// Webhook configurations and CRDs: CA bundles injected by cert tooling, and defaults.
import { deleteDefaults, deleteIfEmpty, deleteIfEqual, mapAt, mapsAt, type JsonMap } from '../fields.ts';

const webhookDefaults = {
  failurePolicy: 'Fail',
  matchPolicy: 'Equivalent',
  namespaceSelector: {},
  objectSelector: {},
  timeoutSeconds: 10,
  reinvocationPolicy: 'Never',
};

export function stripWebhookConfiguration(configuration: JsonMap): void {
  for (const webhook of mapsAt(configuration, 'webhooks')) {
    delete mapAt(webhook, 'clientConfig')?.caBundle;
    deleteDefaults(webhook, webhookDefaults);
    for (const rule of mapsAt(webhook, 'rules')) deleteIfEqual(rule, 'scope', '*');
  }
}

export function stripCustomResourceDefinition(definition: JsonMap): void {
  const spec = mapAt(definition, 'spec');
  const conversion = mapAt(spec, 'conversion');
  delete mapAt(mapAt(conversion, 'webhook'), 'clientConfig')?.caBundle;
  deleteIfEqual(spec, 'conversion', { strategy: 'None' });
  deleteIfEmpty(spec, 'conversion');
}
