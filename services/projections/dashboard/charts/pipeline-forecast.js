import { fillDataTable } from './data-table.js';
import { reportQuery } from './report-query.js';

/** The weighted forecast of the open pipeline at the end of the period, by expected close month and forecast category. */
export const pipelineForecast = {
  id: 'pipeline-forecast',
  title: 'Weighted forecast by close month',

  async load({ api, filters, query }) {
    const { to, channel, team } = reportQuery({ filters, query });
    const report = await api.get('/v1/reports/pipeline/forecast', { asOf: to, channel, team });
    return report.rows.map((row) => ({
      month: row.closeMonth,
      category: row.forecastCategory,
      currency: row.currency,
      count: row.count,
      amount: row.amount,
      weighted: row.weightedAmount,
    }));
  },

  render({ chart, table }, records) {
    const months = [...new Set(records.map((record) => record.month))].sort();
    const categories = [...new Set(records.map((record) => record.category))];
    const weighted = (month, category) =>
      records
        .filter((record) => record.month === month && record.category === category)
        .reduce((sum, record) => sum + record.weighted, 0);
    chart.setOption(
      {
        aria: { enabled: true },
        animation: false,
        tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
        legend: { top: 0 },
        grid: { left: 64, right: 16, top: 36, bottom: 32 },
        xAxis: { type: 'category', data: months },
        yAxis: { type: 'value' },
        series: categories.map((category) => ({
          name: category,
          type: 'bar',
          stack: 'forecast',
          data: months.map((month) => weighted(month, category)),
        })),
      },
      { notMerge: true },
    );
    table.closest('.chart-card').dataset.total = String(records.reduce((sum, record) => sum + record.weighted, 0));
    fillDataTable(
      table,
      [
        { key: 'month', label: 'Close month' },
        { key: 'category', label: 'Forecast category' },
        { key: 'currency', label: 'Currency' },
        { key: 'count', label: 'Deals', number: true },
        { key: 'amount', label: 'Amount', number: true },
        { key: 'weighted', label: 'Weighted', number: true },
      ],
      records,
    );
  },
};
