import { fillDataTable } from './data-table.js';
import { reportQuery } from './report-query.js';

/**
 * Cost per lead, CAC and ROI per channel over the period, ROI per attribution model. Costs are not per
 * team, so the team filter does not apply here.
 */
export const channelRoi = {
  id: 'channel-roi',
  title: 'Channel ROI by attribution model (all teams)',

  async load({ api, filters, query }) {
    const { from, to, channel } = reportQuery({ filters, query });
    const report = await api.get('/v1/reports/attribution/roi', { from, to, channel, groupBy: 'channel' });
    return report.rows.map((row) => ({
      channel: row.key,
      model: row.model,
      cost: row.cost,
      leads: row.leads,
      wonDeals: row.wonDeals,
      costPerLead: row.costPerLead,
      cac: row.cac,
      revenue: row.attributedRevenue,
      roi: row.roi,
    }));
  },

  render({ chart, table }, records) {
    const channels = [...new Set(records.map((record) => record.channel))];
    const models = [...new Set(records.map((record) => record.model).filter((model) => model !== null))];
    const roi = (channel, model) =>
      records.find((record) => record.channel === channel && record.model === model)?.roi ?? null;
    chart.setOption(
      {
        aria: { enabled: true },
        animation: false,
        tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
        legend: { top: 0 },
        grid: { left: 64, right: 16, top: 36, bottom: 32 },
        xAxis: { type: 'category', data: channels },
        yAxis: { type: 'value', name: 'ROI' },
        series: models.map((model) => ({
          name: model,
          type: 'bar',
          data: channels.map((channel) => roi(channel, model)),
        })),
      },
      { notMerge: true },
    );
    table.closest('.chart-card').dataset.total = String(records.length);
    fillDataTable(
      table,
      [
        { key: 'channel', label: 'Channel' },
        { key: 'model', label: 'Model' },
        { key: 'cost', label: 'Cost', number: true },
        { key: 'leads', label: 'Leads', number: true },
        { key: 'wonDeals', label: 'Won', number: true },
        { key: 'costPerLead', label: 'Cost per lead', number: true },
        { key: 'cac', label: 'CAC', number: true },
        { key: 'revenue', label: 'Attributed revenue', number: true },
        { key: 'roi', label: 'ROI', number: true },
      ],
      records,
    );
  },
};
