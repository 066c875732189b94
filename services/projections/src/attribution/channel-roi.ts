/** What ROI figures are totalled by: the channel or the campaign of costs, leads, deals and credits. */
export type RoiDimension = 'channel' | 'campaign';

/** One figure per channel or campaign (`key`; null: a campaign-less total). */
export type KeyedAmount = { key: string | null; amount: number };

/** Attributed revenue of one model for one channel or campaign. */
export type ModelRevenue = KeyedAmount & { model: string };

export type RoiRow = {
  key: string | null;
  /** null only when no deal of the period was attributed by any model. */
  model: string | null;
  cost: number;
  leads: number;
  wonDeals: number;
  /** cost / leads; null without leads. */
  costPerLead: number | null;
  /** Customer acquisition cost: cost / won deals; null without won deals. */
  cac: number | null;
  attributedRevenue: number;
  /** (attributed revenue − cost) / cost; null without cost. */
  roi: number | null;
};

const round = (value: number, places: number) => Math.round(value * 10 ** places) / 10 ** places;

/**
 * Cost per lead, CAC and ROI for every channel or campaign that had cost, leads, won deals or credit,
 * once per attribution model (ROI depends on the model; the rest does not). Models are those given, in
 * that order; a key with no credit under a model gets revenue 0 there.
 */
export function roiRows(options: {
  costs: readonly KeyedAmount[];
  leads: readonly KeyedAmount[];
  wonDeals: readonly KeyedAmount[];
  revenue: readonly ModelRevenue[];
  models: readonly string[];
}): RoiRow[] {
  const totals = (amounts: readonly KeyedAmount[]) => {
    const byKey = new Map<string | null, number>();
    for (const { key, amount } of amounts) byKey.set(key, (byKey.get(key) ?? 0) + amount);
    return byKey;
  };
  const costs = totals(options.costs);
  const leads = totals(options.leads);
  const won = totals(options.wonDeals);
  const revenue = new Map<string, number>();
  for (const row of options.revenue) {
    const id = JSON.stringify([row.model, row.key]);
    revenue.set(id, (revenue.get(id) ?? 0) + row.amount);
  }
  const keys = [
    ...new Set([...costs.keys(), ...leads.keys(), ...won.keys(), ...options.revenue.map((row) => row.key)]),
  ].sort((a, b) => (a === null ? 1 : b === null ? -1 : a.localeCompare(b)));
  const models = options.models.length > 0 ? options.models : [null];
  return keys.flatMap((key) => {
    const cost = round(costs.get(key) ?? 0, 2);
    const leadCount = leads.get(key) ?? 0;
    const wonCount = won.get(key) ?? 0;
    return models.map((model) => {
      const attributedRevenue = round(model === null ? 0 : (revenue.get(JSON.stringify([model, key])) ?? 0), 2);
      return {
        key,
        model,
        cost,
        leads: leadCount,
        wonDeals: wonCount,
        costPerLead: leadCount === 0 ? null : round(cost / leadCount, 2),
        cac: wonCount === 0 ? null : round(cost / wonCount, 2),
        attributedRevenue,
        roi: cost === 0 || model === null ? null : round((attributedRevenue - cost) / cost, 4),
      };
    });
  });
}
