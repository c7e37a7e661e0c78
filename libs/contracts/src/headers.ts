/** Kafka header names, one place for producers, consumers and the dead-letter writer. */
export const KafkaHeaders = {
  contentType: 'content-type',
  correlationId: 'x-correlation-id',
  eventType: 'ce_type',
  errorReason: 'x-duban-error-reason',
  errorMessage: 'x-duban-error-message',
  originalTopic: 'x-duban-original-topic',
  originalPartition: 'x-duban-original-partition',
  originalOffset: 'x-duban-original-offset',
  attempts: 'x-duban-attempts',
  failedAt: 'x-duban-failed-at',
  consumerGroup: 'x-duban-consumer-group',
} as const;
