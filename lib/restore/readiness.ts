// Waiting for what the next apply step needs: a CRD Established (its resource served), a Namespace
// Active (objects may be created in it), a deleted object gone (so it can be created again).
import { sleep } from '../concurrency/index.ts';
import { getObject, isNotFound, type ApiResource, type KubeClient } from '../kube/index.ts';
import { ClusterError } from '../errors/index.ts';
import type { KubeObject } from '../normalize/index.ts';

const POLL_MS = 100;

async function waitUntil(what: string, timeoutMs: number, check: () => Promise<boolean>, signal?: AbortSignal): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() >= deadline) throw new ClusterError(`${what} within ${Math.round(timeoutMs / 1000)} s.`);
    await sleep(POLL_MS, signal);
  }
}

type Conditions = { status?: { phase?: string; conditions?: Array<{ type?: string; status?: string }> } };

export function waitEstablished(client: KubeClient, resource: ApiResource, name: string, ref: string, timeoutMs: number, signal?: AbortSignal): Promise<void> {
  return waitUntil(`${ref}: was not Established`, timeoutMs, async () => {
    const crd = await getObject<KubeObject & Conditions>(client, resource, undefined, name, signal);
    return Boolean(crd.status?.conditions?.some((c) => c.type === 'Established' && c.status === 'True'));
  }, signal);
}

export function waitActive(client: KubeClient, resource: ApiResource, name: string, ref: string, timeoutMs: number, signal?: AbortSignal): Promise<void> {
  return waitUntil(`${ref}: did not become Active`, timeoutMs, async () => {
    const namespace = await getObject<KubeObject & Conditions>(client, resource, undefined, name, signal);
    return namespace.status?.phase === undefined || namespace.status.phase === 'Active';
  }, signal);
}

export function waitGone(client: KubeClient, resource: ApiResource, namespace: string | undefined, name: string, ref: string, timeoutMs: number, signal?: AbortSignal): Promise<void> {
  return waitUntil(`${ref}: was still there after its deletion`, timeoutMs, async () => {
    try {
      await getObject(client, resource, namespace, name, signal);
      return false;
    } catch (error) {
      if (isNotFound(error)) return true;
      throw error;
    }
  }, signal);
}
