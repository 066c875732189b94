import { attributionByModel } from './attribution-by-model.js';
import { channelRoi } from './channel-roi.js';
import { funnel } from './funnel.js';
import { leadsByChannel } from './leads-by-channel.js';
import { pipelineByStage } from './pipeline-by-stage.js';
import { pipelineForecast } from './pipeline-forecast.js';
import { repWorkload } from './rep-workload.js';
import { slaCompliance } from './sla-compliance.js';

/**
 * The dashboard's charts, in page order. A chart is one module exporting an object:
 * - `id`: stable name, the card's `data-chart` attribute;
 * - `title`: the card's heading;
 * - `load({ api, filters, query })`: fetches its data from the query API (`query` is the filters as API
 *   parameters: capturedFrom, capturedTo, channel, poolId);
 * - `render({ chart, table }, data, { filters })`: draws into the card's ECharts instance and fills its
 *   data table, whose cells carry the numbers as data-* attributes (for readers and tests).
 * Funnel, pipeline, SLA, workload, attribution and ROI charts join here, one module each.
 */
export const charts = [
  leadsByChannel,
  funnel,
  slaCompliance,
  repWorkload,
  pipelineByStage,
  pipelineForecast,
  attributionByModel,
  channelRoi,
];
