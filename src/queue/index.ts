export { createQueue, COMPARE_JOB } from './create-queue';
export { ExchangeProducer } from './exchange-producer';
export type { ProducerOptions } from './exchange-producer';
export { exchangeBytes } from './exchange-size';
export { BacklogGuard } from './backlog-guard';
export { exchangesInJob, jobExchanges, packJobs, addPackedJobs, BODY_PARTS_TTL_SECONDS } from './job-data';
export type { CompareJobData, ExchangePack, PackedJob } from './job-data';
export { detachBodies, attachBodies } from './body-parts';
export type { BodyPartRef } from './body-parts';
