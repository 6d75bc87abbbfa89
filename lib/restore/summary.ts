import type { RestoreAction, RestorePlan } from './types.ts';

export type PlanCounts = Record<RestoreAction, number>;

export function planCounts(plan: RestorePlan): PlanCounts {
  const counts: PlanCounts = { create: 0, update: 0, unchanged: 0, delete: 0, blocked: 0, invalid: 0 };
  for (const object of plan.objects) counts[object.action]++;
  return counts;
}

/** Does applying this plan send anything to the server? */
export function hasWrites(plan: RestorePlan): boolean {
  return plan.objects.some((o) => o.action === 'create' || o.action === 'update' || o.action === 'delete');
}
