// Waiting for what the next apply step needs: a CRD Established (its resource served), a Namespace
// Active (objects may be created in it), a deleted object gone (so it can be created again).
import { systemClock, type Clock } from '../health/index.ts';
import { getObject, isNotFound, type ApiResource, type KubeClient } from '../kube/index.ts';
import { ClusterError } from '../errors/index.ts';
import type { KubeObject } from '../normalize/index.ts';

const POLL_MS = 100;

/** The object waited for: its resource, where it is and how a message names it. */
export interface WaitTarget {
  resource: ApiResource;
  namespace?: string;
  name: string;
  ref: string;
}

/** How long to wait, and what ends the wait early. */
export interface WaitLimits {
  timeoutMs: number;
  signal?: AbortSignal;
  /** Where the deadline is read and the polls wait. */
  clock?: Clock;
}

async function waitUntil(
  what: string,
  { timeoutMs, signal, clock = systemClock }: WaitLimits,
  check: () => Promise<boolean>,
): Promise<void> {
  const deadline = clock.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (clock.now() >= deadline) throw new ClusterError(`${what} within ${Math.round(timeoutMs / 1000)} s.`);
    await clock.sleep(POLL_MS, signal);
  }
}

type Conditions = { status?: { phase?: string; conditions?: Array<{ type?: string; status?: string }> } };

export function waitEstablished(client: KubeClient, target: WaitTarget, limits: WaitLimits): Promise<void> {
  return waitUntil(`${target.ref}: was not Established`, limits, async () => {
    const crd = await getObject<KubeObject & Conditions>(
      client,
      target.resource,
      undefined,
      target.name,
      limits.signal,
    );
    return Boolean(crd.status?.conditions?.some((c) => c.type === 'Established' && c.status === 'True'));
  });
}

export function waitActive(client: KubeClient, target: WaitTarget, limits: WaitLimits): Promise<void> {
  return waitUntil(`${target.ref}: did not become Active`, limits, async () => {
    const namespace = await getObject<KubeObject & Conditions>(
      client,
      target.resource,
      undefined,
      target.name,
      limits.signal,
    );
    return namespace.status?.phase === undefined || namespace.status.phase === 'Active';
  });
}

export function waitGone(client: KubeClient, target: WaitTarget, limits: WaitLimits): Promise<void> {
  return waitUntil(`${target.ref}: was still there after its deletion`, limits, async () => {
    try {
      await getObject(client, target.resource, target.namespace, target.name, limits.signal);
      return false;
    } catch (error) {
      if (isNotFound(error)) return true;
      throw error;
    }
  });
}
