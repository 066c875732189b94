import { afterAssignment } from './pool-state.ts';
import type { ChooseInput, Choice } from './pool-state.ts';

/**
 * Strict rotation in member order: the next eligible member after the one assigned last. An
 * ineligible member loses its turn. When the last one left the pool, the rotation starts again.
 */
export function chooseRoundRobin(input: ChooseInput): Choice | undefined {
  const { pool, eligible, state, now } = input;
  const eligibleIds = new Set(eligible.map((rep) => rep.repId));
  const members = pool.members;
  const last = members.findIndex((member) => member.repId === state.cursor);
  for (let step = 1; step <= members.length; step += 1) {
    const member = members[(last + step) % members.length];
    if (member !== undefined && eligibleIds.has(member.repId)) {
      const repId = member.repId;
      return { repId, nextState: { ...afterAssignment({ pool, state, repId, now }), cursor: repId } };
    }
  }
  return undefined;
}
