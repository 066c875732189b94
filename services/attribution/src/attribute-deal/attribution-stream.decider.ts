import type { AttributionCalculatedV1, AttributionModelName } from '@l2o/contracts';
import { uuidV5 } from '@l2o/domain';
import type { AttributionDraft } from './deal-attributions.ts';

/** What the attribution stream of one opportunity (`attribution-<opportunityId>`) holds. */
export type AttributionStreamEvent = { type: 'AttributionCalculated'; schemaVersion: 1; data: AttributionCalculatedV1 };

export type AttributionStreamCommand =
  /** A win: one attribution per model, unless this win was attributed already. */
  | { type: 'AttributeWin'; drafts: AttributionDraft[] }
  /** Learned weights changed: a new revision of each data-driven model whose credits changed for the current win. */
  | { type: 'ReviseLearnedCredits'; drafts: AttributionDraft[] };

type Current = { revision: number; wonAt: number; credits: AttributionCalculatedV1['credits'] };

export type AttributionStreamState = {
  /** The wins attributed so far, as epoch milliseconds. */
  wins: number[];
  latest: Partial<Record<AttributionModelName, Current>>;
};

export function initialState(): AttributionStreamState {
  return { wins: [], latest: {} };
}

export function evolve(state: AttributionStreamState, event: AttributionStreamEvent): AttributionStreamState {
  if (event.type !== 'AttributionCalculated') return state;
  const { model, revision, wonAt, credits } = event.data;
  const at = Date.parse(wonAt);
  return {
    wins: state.wins.includes(at) ? state.wins : [...state.wins, at],
    latest: { ...state.latest, [model]: { revision, wonAt: at, credits } },
  };
}

/**
 * Revisions count per model: the first win gives each model revision 1, and every later event of a model
 * (a win after a reopening, a revision by new learned weights) the next number. A command that changes
 * nothing yields no events, so a redelivered win or a recalculation that moved no money appends nothing.
 */
export function decide(command: AttributionStreamCommand, state: AttributionStreamState): AttributionStreamEvent[] {
  switch (command.type) {
    case 'AttributeWin': {
      if (command.drafts.some((draft) => state.wins.includes(Date.parse(draft.wonAt)))) return [];
      return command.drafts.map((draft) => next(draft, state));
    }
    case 'ReviseLearnedCredits':
      return command.drafts
        .filter((draft) => {
          const current = state.latest[draft.model];
          // Only the current win is revised; a win not yet attributed gets its revision 1 from AttributeWin.
          if (current === undefined || current.wonAt !== Date.parse(draft.wonAt)) return false;
          return !sameMoney(current.credits, draft.credits);
        })
        .map((draft) => next(draft, state));
  }
}

export const attributionStreamDecider = { decide, evolve, initialState };

function next(draft: AttributionDraft, state: AttributionStreamState): AttributionStreamEvent {
  const revision = (state.latest[draft.model]?.revision ?? 0) + 1;
  return { type: 'AttributionCalculated', schemaVersion: 1, data: { ...draft, revision } };
}

/** The same touches credited with the same cents; weights alone moving does not make a revision. */
function sameMoney(a: AttributionCalculatedV1['credits'], b: AttributionCalculatedV1['credits']): boolean {
  return (
    a.length === b.length &&
    a.every((credit, index) => {
      const other = b[index];
      return other !== undefined && other.touchId === credit.touchId && cents(other.amount) === cents(credit.amount);
    })
  );
}

function cents(amount: number): number {
  return Math.round(amount * 100);
}

/** Fixed for good: changing it would give a redelivered win new event ids, and so a second attribution. */
const attributionEventNamespace = 'a4f0c7f2-6a43-4c1e-9d51-0a8e2b7c5d13';

/** The event id of one model's revision of one opportunity's attribution; the same every time it is decided. */
export function attributionEventId(
  data: Pick<AttributionCalculatedV1, 'opportunityId' | 'model' | 'revision'>,
): string {
  return uuidV5(`${data.opportunityId.toLowerCase()}:${data.model}:${data.revision}`, attributionEventNamespace);
}
