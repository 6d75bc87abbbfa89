// Ports the API server allocates when none is given. Normalisation keeps one only when a user owns it
// (managedFields), and a kubectl patch of a Service's ports makes its user own the allocated value too.
// Removing it to match a revision that never chose one would only make the server allocate another
// port — moving the Service under its clients — so such a port is left as it is live.
import type { KubeObject } from '../normalize/index.ts';

type Port = { name?: string; port?: number; protocol?: string; nodePort?: number };

function samePort(a: Port, b: Port): boolean {
  if (a.name !== undefined || b.name !== undefined) return a.name === b.name;
  return a.port === b.port && (a.protocol ?? 'TCP') === (b.protocol ?? 'TCP');
}

/** The committed object with the live Service's allocated ports filled in where the revision leaves them to the server. */
export function withLiveAssignedFields(committed: KubeObject, normalizedLive: KubeObject, group: string): KubeObject {
  if (group !== '' || committed.kind !== 'Service') return committed;
  const spec = committed.spec as { ports?: Port[]; healthCheckNodePort?: number; type?: string } | undefined;
  const liveSpec = normalizedLive.spec as { ports?: Port[]; healthCheckNodePort?: number; type?: string } | undefined;
  if (!spec || !liveSpec || (spec.type ?? 'ClusterIP') !== (liveSpec.type ?? 'ClusterIP')) return committed;
  const filled = structuredClone(committed) as KubeObject & { spec: NonNullable<typeof spec> };
  if (filled.spec.healthCheckNodePort === undefined && liveSpec.healthCheckNodePort !== undefined)
    filled.spec.healthCheckNodePort = liveSpec.healthCheckNodePort;
  const livePorts = liveSpec.ports ?? [];
  const ports = filled.spec.ports ?? [];
  ports.forEach((port, index) => {
    if (port.nodePort !== undefined) return;
    // The same port, else the one at the same place of a list of the same length (its number was edited).
    const live =
      livePorts.find((candidate) => samePort(candidate, port)) ??
      (livePorts.length === ports.length && port.name === undefined ? livePorts[index] : undefined);
    if (live?.nodePort !== undefined && !ports.some((other) => other.nodePort === live.nodePort))
      port.nodePort = live.nodePort;
  });
  return filled;
}
