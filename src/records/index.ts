export * from './types';
export { bodyRecord, encodeBody, decodeBody, bodyHash, headerValue } from './body';
