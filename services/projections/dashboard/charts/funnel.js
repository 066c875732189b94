import { fillDataTable } from './data-table.js';
import { reportQuery } from './report-query.js';

const steps = [
  { key: 'leads', label: 'Leads' },
  { key: 'mql', label: 'MQL' },
  { key: 'sql', label: 'SQL' },
  { key: 'opportunities', label: 'Opportunity' },
  { key: 'won', label: 'Won' },
];
// The rate and time shown on a step are those of reaching it from the step before.
const transitions = [null, 'leadToMql', 'mqlToSql', 'sqlToOpportunity', 'opportunityToWon'];

/** The funnel of the leads captured in the period: how many reached each step, the conversion from the step before, and how long it took. */
export const funnel = {
  id: 'funnel',
  title: 'Funnel: leads → MQL → SQL → opportunity → won',

  async load({ api, filters, query }) {
    const report = await api.get('/v1/reports/funnel', reportQuery({ filters, query }));
    const group = report.groups[0] ?? { counts: {}, rates: {}, hours: {} };
    return steps.map((step, index) => {
      const transition = transitions[index];
      const rate = transition === null ? null : group.rates[transition];
      return {
        step: step.label,
        count: group.counts[step.key] ?? 0,
        rate: rate === null || rate === undefined ? null : `${(rate * 100).toFixed(1)}%`,
        hours: transition === null ? null : (group.hours[transition] ?? null),
      };
    });
  },

  render({ chart, table }, records) {
    chart.setOption(
      {
        aria: { enabled: true },
        animation: false,
        tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
        grid: { left: 96, right: 48, top: 16, bottom: 24 },
        xAxis: { type: 'value', minInterval: 1 },
        yAxis: { type: 'category', inverse: true, data: records.map((record) => record.step) },
        series: [
          {
            name: 'Leads',
            type: 'bar',
            data: records.map((record) => record.count),
            label: {
              show: true,
              position: 'right',
              formatter: ({ dataIndex }) => {
                const { count, rate } = records[dataIndex];
                return rate === null ? String(count) : `${count} (${rate})`;
              },
            },
          },
        ],
      },
      { notMerge: true },
    );
    const card = table.closest('.chart-card');
    card.dataset.counts = records.map((record) => record.count).join(',');
    fillDataTable(
      table,
      [
        { key: 'step', label: 'Step' },
        { key: 'count', label: 'Leads', number: true },
        { key: 'rate', label: 'From previous step', number: true },
        { key: 'hours', label: 'Mean hours from previous step', number: true },
      ],
      records,
    );
  },
};
