import { daysBetween } from '../filters.js';
import { fillDataTable } from './data-table.js';

/** Leads captured per day, stacked by the channel of their first touch. */
export const leadsByChannel = {
  id: 'leads-by-channel',
  title: 'Leads by channel per day',

  async load({ api, query }) {
    const counts = await api.get('/v1/reports/lead-counts', { groupBy: 'day,channel', ...query });
    return counts.groups.map((group) => ({
      day: group.key.day,
      channel: group.key.channel ?? 'unknown',
      count: group.count,
    }));
  },

  render({ chart, table }, records, { filters }) {
    const days = daysBetween(filters.from, filters.to);
    const channels = [...new Set(records.map((record) => record.channel))].sort();
    const countOf = new Map(records.map((record) => [`${record.day}|${record.channel}`, record.count]));
    chart.setOption(
      {
        aria: { enabled: true },
        // A refresh every few seconds would replay the animation each time; the numbers should just stand.
        animation: false,
        tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
        legend: { top: 0 },
        grid: { left: 40, right: 16, top: 36, bottom: 48 },
        xAxis: { type: 'category', data: days },
        yAxis: { type: 'value', minInterval: 1 },
        dataZoom: days.length > 45 ? [{ type: 'slider', bottom: 8 }] : [],
        series: channels.map((channel) => ({
          name: channel,
          type: 'bar',
          stack: 'leads',
          emphasis: { focus: 'series' },
          data: days.map((day) => countOf.get(`${day}|${channel}`) ?? 0),
        })),
      },
      { notMerge: true },
    );
    table.closest('.chart-card').dataset.total = String(records.reduce((sum, record) => sum + record.count, 0));
    fillDataTable(
      table,
      [
        { key: 'day', label: 'Day (UTC)' },
        { key: 'channel', label: 'Channel' },
        { key: 'count', label: 'Leads', number: true },
      ],
      records,
    );
  },
};
