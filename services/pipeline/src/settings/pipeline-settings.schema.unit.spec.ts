import { describe, expect, it } from 'vitest';
import { defaultPipelineSettings, pipelineSettingsSchema } from './pipeline-settings.schema.ts';

function issuesOf(settings: unknown): Array<{ path: string; message: string }> {
  const result = pipelineSettingsSchema.safeParse(settings);
  return result.success
    ? []
    : result.error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message }));
}

describe('pipeline settings', () => {
  it('accepts the defaults', () => {
    expect(issuesOf(defaultPipelineSettings())).toEqual([]);
  });

  it('names every stage id used twice in a pipeline', () => {
    const settings = defaultPipelineSettings();
    const [pipeline] = settings.pipelines;
    if (pipeline === undefined) throw new Error('the defaults have a pipeline');
    const stages = pipeline.stages;
    const changed = { ...settings, pipelines: [{ ...pipeline, stages: [...stages, stages[0], stages[1]] }] };

    expect(issuesOf(changed)).toEqual([
      { path: 'pipelines.0.stages.4.id', message: 'another stage of the pipeline has this id' },
      { path: 'pipelines.0.stages.5.id', message: 'another stage of the pipeline has this id' },
    ]);
  });

  it('needs the default pipeline to be one of the pipelines', () => {
    expect(issuesOf({ ...defaultPipelineSettings(), defaultPipelineId: 'renewals' })).toEqual([
      { path: 'defaultPipelineId', message: 'no pipeline has this id' },
    ]);
  });

  it('refuses an exit criterion listed twice in a stage', () => {
    const settings = defaultPipelineSettings();
    const [pipeline] = settings.pipelines;
    if (pipeline === undefined) throw new Error('the defaults have a pipeline');
    const [first, ...rest] = pipeline.stages;
    const stages = [{ ...first, exitCriteria: ['seats', 'seats'] }, ...rest];

    expect(issuesOf({ ...settings, pipelines: [{ ...pipeline, stages }] })).toEqual([
      { path: 'pipelines.0.stages.0.exitCriteria', message: 'a field is listed twice' },
    ]);
  });

  it('refuses a stage id with spaces', () => {
    const settings = defaultPipelineSettings();
    const [pipeline] = settings.pipelines;
    if (pipeline === undefined) throw new Error('the defaults have a pipeline');
    const [first, ...rest] = pipeline.stages;
    const stages = [{ ...first, id: 'first stage' }, ...rest];

    expect(issuesOf({ ...settings, pipelines: [{ ...pipeline, stages }] }).map((issue) => issue.path)).toEqual([
      'pipelines.0.stages.0.id',
    ]);
  });
});
