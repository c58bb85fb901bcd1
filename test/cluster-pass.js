// The cluster pass (jest.cluster.config.js): the helpers in test/support/redis.ts open
// Redis and write configs for the test Redis Cluster instead of REDIS_URL.
process.env.TANDEM_TEST_REDIS = 'cluster';
