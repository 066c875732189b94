import { fillDataTable } from './data-table.js';
import { reportQuery } from './report-query.js';

/**
 * The open pipeline by stage as it stood at the end of the period (time travel: `asOf`), for deals
 * of the chosen channel and team opened at any time: count, amount and amount × stage probability.
 */
export const pipelineByStage = {
  id: 'pipeline-by-stage',
  title: 'Open pipeline by stage (at the end of the period)',

  async load({ api, filters, query }) {
    const { to, channel, team } = reportQuery({ filters, query });
    const report = await api.get('/v1/reports/pipeline/by-stage', { asOf: to, channel, team });
    return report.rows.map((row) => ({
      stage: row.stageName,
      currency: row.currency,
      count: row.count,
      amount: row.amount,
      weighted: row.weightedAmount,
    }));
  },

  render({ chart, table }, records) {
    const stages = [...new Set(records.map((record) => record.stage))];
    const sumOf = (field) =>
      stages.map((stage) =>
        records.filter((record) => record.stage === stage).reduce((sum, record) => sum + record[field], 0),
      );
    chart.setOption(
      {
        aria: { enabled: true },
        animation: false,
        tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
        legend: { top: 0 },
        grid: { left: 64, right: 16, top: 36, bottom: 32 },
        xAxis: { type: 'category', data: stages },
        yAxis: { type: 'value' },
        series: [
          { name: 'Amount', type: 'bar', data: sumOf('amount') },
          { name: 'Weighted', type: 'bar', data: sumOf('weighted') },
        ],
      },
      { notMerge: true },
    );
    table.closest('.chart-card').dataset.total = String(records.reduce((sum, record) => sum + record.count, 0));
    fillDataTable(
      table,
      [
        { key: 'stage', label: 'Stage' },
        { key: 'currency', label: 'Currency' },
        { key: 'count', label: 'Deals', number: true },
        { key: 'amount', label: 'Amount', number: true },
        { key: 'weighted', label: 'Weighted', number: true },
      ],
      records,
    );
  },
};
