import { fillDataTable } from './data-table.js';
import { reportQuery } from './report-query.js';

/** The leads each rep owns now; the period does not apply. Caps are routing configuration, not events, so none are shown. */
export const repWorkload = {
  id: 'rep-workload',
  title: 'Rep workload: open leads now',

  async load({ api, filters, query }) {
    const { channel, team } = reportQuery({ filters, query });
    const report = await api.get('/v1/reports/workload', { channel, team });
    return report.reps.map((rep) => ({
      rep: rep.ownerId,
      open: rep.open,
      awaitingResponse: rep.awaitingResponse,
      inProgress: rep.inProgress,
    }));
  },

  render({ chart, table }, records) {
    chart.setOption(
      {
        aria: { enabled: true },
        animation: false,
        title: {
          subtext: 'Open and assigned counts only: reps’ caps are routing settings, not in the events.',
          left: 'center',
          top: 0,
        },
        tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
        legend: { bottom: 0 },
        grid: { left: 40, right: 16, top: 40, bottom: 56 },
        xAxis: { type: 'category', data: records.map((record) => record.rep), axisLabel: { rotate: 30 } },
        yAxis: { type: 'value', minInterval: 1 },
        series: [
          { name: 'Awaiting first response', type: 'bar', stack: 'open', data: records.map((r) => r.awaitingResponse) },
          { name: 'In progress', type: 'bar', stack: 'open', data: records.map((r) => r.inProgress) },
        ],
      },
      { notMerge: true },
    );
    fillDataTable(
      table,
      [
        { key: 'rep', label: 'Rep' },
        { key: 'open', label: 'Open leads', number: true },
        { key: 'awaitingResponse', label: 'Awaiting first response', number: true },
        { key: 'inProgress', label: 'In progress', number: true },
      ],
      records,
    );
  },
};
