export * from './types';
export { bodyRecord, bytesBody, bodyBytes, encodeBody, decodeBody, bodyHash, headerValue } from './body';
