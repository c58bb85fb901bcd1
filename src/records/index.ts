export * from './types';
export { bodyRecord, encodeBody, decodeBody, headerValue } from './body';
