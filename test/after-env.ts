import { stopRunningLoads } from './faults/helpers/load';

/**
 * Runs in every suite, after jest's environment is set up (jest.config.js
 * `setupFilesAfterEnv`). A test that fails half-way leaves behind what it would have stopped
 * at its end: its client load keeps sending. Stopping it here lets jest exit by itself.
 */
afterAll(async () => {
  await stopRunningLoads();
});
