import { fillDataTable } from './data-table.js';
import { reportQuery } from './report-query.js';

/** Revenue of the deals won in the period, as each attribution model credits it to channels: the models side by side. */
export const attributionByModel = {
  id: 'attribution-by-model',
  title: 'Attributed revenue by model and channel',

  async load({ api, filters, query }) {
    const report = await api.get('/v1/reports/attribution/credit', {
      ...reportQuery({ filters, query }),
      groupBy: 'channel',
    });
    return report.rows.map((row) => ({ model: row.model, channel: row.key, deals: row.deals, amount: row.amount }));
  },

  render({ chart, table }, records) {
    const models = [...new Set(records.map((record) => record.model))];
    const channels = [...new Set(records.map((record) => record.channel))].sort();
    const amount = (model, channel) =>
      records.find((record) => record.model === model && record.channel === channel)?.amount ?? 0;
    chart.setOption(
      {
        aria: { enabled: true },
        animation: false,
        tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
        legend: { top: 0 },
        grid: { left: 64, right: 16, top: 36, bottom: 32 },
        xAxis: { type: 'category', data: models },
        yAxis: { type: 'value' },
        series: channels.map((channel) => ({
          name: channel,
          type: 'bar',
          stack: 'credit',
          data: models.map((model) => amount(model, channel)),
        })),
      },
      { notMerge: true },
    );
    table.closest('.chart-card').dataset.total = String(records.reduce((sum, record) => sum + record.amount, 0));
    fillDataTable(
      table,
      [
        { key: 'model', label: 'Model' },
        { key: 'channel', label: 'Channel' },
        { key: 'deals', label: 'Deals', number: true },
        { key: 'amount', label: 'Revenue', number: true },
      ],
      records,
    );
  },
};
