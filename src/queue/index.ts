export { createQueue, COMPARE_JOB } from './create-queue';
export { ExchangeProducer } from './exchange-producer';
export type { ProducerOptions } from './exchange-producer';
export { exchangeBytes } from './exchange-size';
export { BacklogGuard } from './backlog-guard';
export { jobExchanges, packJobs, DEFAULT_PACK_SIZE } from './job-data';
export type { CompareJobData, ExchangePack } from './job-data';
