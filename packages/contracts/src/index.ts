export * from './envelope.ts';
export * from './topics.ts';
export * from './catalogue.ts';
export * from './lead/lead-captured.v1.ts';
