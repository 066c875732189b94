import { describe, expect, it } from 'vitest';
import { csvDownload, groupBySchema, reportFiltersSchema, wantsCsv } from './report-filters.ts';

describe('report filters', () => {
  it('read a date as midnight UTC and keep a date-time as given', () => {
    expect(reportFiltersSchema.parse({ from: '2025-03-01', to: '2025-03-02T10:00:00+01:00' })).toEqual({
      from: '2025-03-01T00:00:00Z',
      to: '2025-03-02T10:00:00+01:00',
    });
  });

  it('group by known dimensions only, without duplicates, none when absent', () => {
    const groupBy = groupBySchema(['channel', 'month'], 2);
    expect(groupBy.parse('channel, month,channel')).toEqual(['channel', 'month']);
    expect(groupBy.parse(undefined)).toEqual([]);
    expect(groupBy.safeParse('colour').success).toBe(false);
  });

  it('refuse more grouping dimensions than allowed', () => {
    expect(groupBySchema(['channel', 'month', 'team'], 2).safeParse('channel,month,team').success).toBe(false);
  });

  it('answer CSV for format=csv, or for Accept: text/csv unless format=json', () => {
    expect(wantsCsv({ accept: undefined, format: 'csv' })).toBe(true);
    expect(wantsCsv({ accept: 'text/csv', format: undefined })).toBe(true);
    expect(wantsCsv({ accept: 'text/csv', format: 'json' })).toBe(false);
    expect(wantsCsv({ accept: 'application/json', format: undefined })).toBe(false);
  });

  it('write a CSV download with its header first and formula-like text defused', () => {
    const download = csvDownload({ filename: 'funnel.csv', header: ['group', 'leads'], rows: [['=SUM(A1)', 3]] });
    expect(download.headers['content-disposition']).toBe('attachment; filename="funnel.csv"');
    expect(download.body).toBe("group,leads\r\n'=SUM(A1),3\r\n");
  });
});
