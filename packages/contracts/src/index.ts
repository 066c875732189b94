export * from './envelope.ts';
export * from './topics.ts';
export * from './catalogue.ts';
export * from './lead/lead-captured.v1.ts';
export * from './lead/lead-touch-recorded.v1.ts';
export * from './lead/lead-profile-updated.v1.ts';
export * from './lead/lead-activity-recorded.v1.ts';
export * from './lead/leads-merged.v1.ts';
