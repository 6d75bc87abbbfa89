// Services: addresses and ports the API server allocates, and its defaults.
import { deleteDefaults, deleteIfEmpty, deleteIfEqual, mapAt, mapsAt, type JsonMap } from '../fields.ts';
import { elementFields, type FieldSet } from '../managed-fields.ts';
import type { RuleContext } from './rule.ts';

/**
 * Whether the user chose a port number the API server would otherwise allocate. Without
 * managedFields (an object read back from a snapshot) there is nothing to go on, and it is kept.
 */
function chosenByUser(owned: FieldSet | undefined, field: string, context: RuleContext): boolean {
  return context.userFields === undefined || (owned !== undefined && `f:${field}` in owned);
}

function stripPorts(spec: JsonMap, context: RuleContext): void {
  mapsAt(spec, 'ports').forEach((port, index) => {
    // Checked before protocol goes: managedFields identify a port by port and protocol.
    const portsFields = context.userFields?.['f:spec']?.['f:ports'];
    if (!chosenByUser(portsFields && elementFields(portsFields, port, index), 'nodePort', context))
      delete port.nodePort;
    deleteIfEqual(port, 'protocol', 'TCP');
    if (port.targetPort === port.port) delete port.targetPort;
  });
}

export function stripService(service: JsonMap, context: RuleContext): void {
  const spec = mapAt(service, 'spec');
  if (!spec) return;
  stripPorts(spec, context);
  const headless = spec.clusterIP === 'None';
  if (!headless) delete spec.clusterIP;
  if (Array.isArray(spec.clusterIPs) && (spec.clusterIPs.some((ip) => ip !== 'None') || headless))
    delete spec.clusterIPs;
  if (!chosenByUser(context.userFields?.['f:spec'], 'healthCheckNodePort', context)) delete spec.healthCheckNodePort;
  const singleStack = spec.ipFamilyPolicy === undefined || spec.ipFamilyPolicy === 'SingleStack';
  if (singleStack && Array.isArray(spec.ipFamilies) && spec.ipFamilies.length === 1) delete spec.ipFamilies;
  deleteDefaults(spec, {
    type: 'ClusterIP',
    sessionAffinity: 'None',
    ipFamilyPolicy: 'SingleStack',
    internalTrafficPolicy: 'Cluster',
    externalTrafficPolicy: 'Cluster',
    allocateLoadBalancerNodePorts: true,
  });
  deleteIfEqual(mapAt(mapAt(spec, 'sessionAffinityConfig'), 'clientIP'), 'timeoutSeconds', 10800);
  deleteIfEmpty(mapAt(spec, 'sessionAffinityConfig'), 'clientIP');
  deleteIfEmpty(spec, 'sessionAffinityConfig');
}
