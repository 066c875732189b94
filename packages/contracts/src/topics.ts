/** The Kafka topics of the platform. Key = aggregate id, so one aggregate's events stay in order. */
export const Topics = {
  /** Lead events, published from the event store. */
  lead: 'l2o.lead.v1',
  /** Opportunity events, published from the event store. */
  opportunity: 'l2o.opportunity.v1',
  /** Attribution events, published from the event store. */
  attribution: 'l2o.attribution.v1',
  /** Raw leads sent by external producers, before ingestion turns them into commands. */
  leadIntake: 'l2o.lead-intake.v1',
} as const;

/** One of the platform's topic names, without a namespace. */
export type Topic = (typeof Topics)[keyof typeof Topics];

// Kafka's own limits on topic names; checked here so a bad group id fails at start-up, not at the first dead letter.
const topicNamePattern = /^[a-zA-Z0-9._-]{1,249}$/;

/**
 * The dead-letter topic of one consumer group on one topic: `<topic>.dlq.<group>`.
 * Each group gets its own, so one group's poison messages never disturb another's.
 * @throws Error when the result is not a valid Kafka topic name.
 */
export function dlqTopic(topic: string, group: string): string {
  const name = `${topic}.dlq.${group}`;
  if (!topicNamePattern.test(name)) {
    throw new Error(`invalid dead-letter topic name "${name}": only [a-zA-Z0-9._-] and at most 249 characters`);
  }
  return name;
}

/**
 * Prefixes a topic with a namespace (`<ns>.<topic>`) so tests and environments sharing a cluster stay apart.
 * An empty or missing namespace leaves the topic unchanged.
 */
export function withNamespace(topic: string, ns?: string): string {
  return ns ? `${ns}.${topic}` : topic;
}
