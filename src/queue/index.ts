export { createQueue, COMPARE_JOB } from './create-queue';
export { ExchangeProducer } from './exchange-producer';
export type { ProducerOptions } from './exchange-producer';
export { exchangeBytes } from './exchange-size';
export { exchangesInJob, jobExchanges, packJobs, addPackedJobs } from './job-data';
export type { CompareJobData, ExchangePack } from './job-data';
export { detachBodies, attachBodies } from './body-parts';
export { PartitionedQueue, routePartition } from './partitions';
export type { QueueSpread } from './partitions';
