import { chooseLoadBalanced } from './load-balanced.strategy.ts';
import type { ChooseInput, Choice } from './pool-state.ts';
import { chooseRoundRobin } from './round-robin.strategy.ts';
import { chooseWeighted } from './weighted.strategy.ts';

/** Picks a rep among the eligible by the pool's strategy; `undefined` when nobody is eligible. */
export function chooseRep(input: ChooseInput): Choice | undefined {
  const strategy = input.pool.strategy;
  switch (strategy) {
    case 'round_robin':
      return chooseRoundRobin(input);
    case 'weighted':
      return chooseWeighted(input);
    case 'load_balanced':
      return chooseLoadBalanced(input);
    default: {
      const missed: never = strategy;
      throw new Error(`unknown pool strategy ${String(missed)}`);
    }
  }
}
