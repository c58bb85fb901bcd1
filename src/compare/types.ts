import type { Headers } from '../records';

/** A response body after decompression and parsing by content type. */
export type NormalisedBody =
  | { kind: 'empty' }
  | { kind: 'json'; value: unknown }
  | { kind: 'form'; value: Record<string, string | string[]> }
  | { kind: 'text'; value: string }
  | { kind: 'binary'; size: number; sha256: string }
  | { kind: 'unparseable'; reason: string }
  | { kind: 'too_large'; size: number; sha256: string };

/** A response ready to compare. */
export interface NormalisedResponse {
  status: number;
  headers: Headers;
  body: NormalisedBody;
}
