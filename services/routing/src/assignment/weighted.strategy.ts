import { afterAssignment } from './pool-state.ts';
import type { ChooseInput, Choice } from './pool-state.ts';

/**
 * Smooth weighted round robin over the eligible members: each gains its weight, the highest
 * (earliest member on a tie) is picked and gives back the eligible members' total weight. Weights
 * 2:1:1 give exactly 2:1:1 in every 4 leads; an ineligible member keeps its current weight.
 */
export function chooseWeighted(input: ChooseInput): Choice | undefined {
  const { pool, eligible, state, now } = input;
  if (eligible.length === 0) return undefined;
  const current: Record<string, number> = {};
  for (const { repId } of pool.members) current[repId] = state.currentWeights[repId] ?? 0;

  let total = 0;
  let picked: { repId: string; current: number } | undefined;
  for (const rep of eligible) {
    const raised = (current[rep.repId] ?? 0) + rep.weight;
    current[rep.repId] = raised;
    total += rep.weight;
    if (picked === undefined || raised > picked.current) picked = { repId: rep.repId, current: raised };
  }
  if (picked === undefined) return undefined;
  current[picked.repId] = picked.current - total;

  const repId = picked.repId;
  return { repId, nextState: { ...afterAssignment({ pool, state, repId, now }), currentWeights: current } };
}
