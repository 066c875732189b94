import { fillDataTable } from './data-table.js';
import { reportQuery } from './report-query.js';

const outcomes = [
  { key: 'met', label: 'Met', color: '#3e9d5d' },
  { key: 'late', label: 'Late', color: '#e6a23c' },
  { key: 'breached', label: 'Breached', color: '#d64545' },
  { key: 'overdue', label: 'Overdue', color: '#9b2c2c' },
];

/** First-response SLA outcomes per rep for the assignments made in the period, with compliance and median response time. */
export const slaCompliance = {
  id: 'sla-compliance',
  title: 'First-response SLA per rep',

  async load({ api, filters, query }) {
    const report = await api.get('/v1/reports/response', { ...reportQuery({ filters, query }), groupBy: 'ownerId' });
    return report.groups.map((group) => ({
      rep: group.key.ownerId,
      assignments: group.assignments,
      ...Object.fromEntries(outcomes.map((outcome) => [outcome.key, group.sla[outcome.key]])),
      compliance: group.compliance === null ? null : `${(group.compliance * 100).toFixed(1)}%`,
      medianMinutes: group.responseMinutes.p50,
    }));
  },

  render({ chart, table }, records) {
    chart.setOption(
      {
        aria: { enabled: true },
        animation: false,
        tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
        legend: { top: 0 },
        grid: { left: 40, right: 16, top: 36, bottom: 48 },
        xAxis: { type: 'category', data: records.map((record) => record.rep), axisLabel: { rotate: 30 } },
        yAxis: { type: 'value', minInterval: 1 },
        series: outcomes.map((outcome) => ({
          name: outcome.label,
          type: 'bar',
          stack: 'sla',
          itemStyle: { color: outcome.color },
          data: records.map((record) => record[outcome.key]),
        })),
      },
      { notMerge: true },
    );
    fillDataTable(
      table,
      [
        { key: 'rep', label: 'Rep' },
        { key: 'assignments', label: 'Assignments', number: true },
        ...outcomes.map((outcome) => ({ key: outcome.key, label: outcome.label, number: true })),
        { key: 'compliance', label: 'Compliance', number: true },
        { key: 'medianMinutes', label: 'Median first response (min)', number: true },
      ],
      records,
    );
  },
};
