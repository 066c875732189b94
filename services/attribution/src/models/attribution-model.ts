/** Every model the service can attribute a deal by. */
export const attributionModels = [
  'first_touch',
  'last_touch',
  'linear',
  'position_based',
  'w_shaped',
  'full_path',
  'time_decay',
  'markov',
  'shapley',
] as const;
export type AttributionModel = (typeof attributionModels)[number];

/** The models learned from all journeys, converting and not; the others read one deal's journey only. */
export const dataDrivenModels = ['markov', 'shapley'] as const satisfies readonly AttributionModel[];
export type DataDrivenModel = (typeof dataDrivenModels)[number];
export type RuleBasedModel = Exclude<AttributionModel, DataDrivenModel>;

export function isDataDriven(model: AttributionModel): model is DataDrivenModel {
  return (dataDrivenModels as readonly AttributionModel[]).includes(model);
}
