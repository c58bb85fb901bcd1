export { createQueue, COMPARE_JOB } from './create-queue';
export { ExchangeProducer } from './exchange-producer';
export type { ProducerOptions } from './exchange-producer';
