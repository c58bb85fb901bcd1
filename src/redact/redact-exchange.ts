import { lowerName, type BodyRecord, type ExchangeRecord, type Headers, type RequestRecord, type ResponseRecord } from '../records';
import { credentialOrUndefined } from './credential-form';
import { fingerprinter, type Fingerprint } from './fingerprint';
import { redactBody } from './redact-body';
import { bodyMemo, type BodyMemo } from './body-memo';
import { redactString } from './redact-nested';
import { withholdBody } from './withhold-body';
import { MAX_EXTRA_CONTENT_TYPES, otherContentTypes, withContentType } from './content-type-lines';
import { credentialValue, isUrlHeader, redactHeaderMap, redactHeaderValue, redactUrlHeader } from './redact-headers';
import { redactPathParams } from './redact-path';
import { redactValue } from './redact-value';
import { OFF_LOOP } from './redact-limits';
import { queryRedactor } from './redact-query';
import { secretNames, type SecretNames } from './secret-names';

/** What redacted values looked like before fingerprints; still recognised in old records. */
export const REDACTED = '[REDACTED]';

export interface RedactOptions {
  /** Extra header names (any case). */
  headers: readonly string[];
  /** Extra query parameter and form field names (any case). */
  query?: readonly string[];
  /** Body paths (any case), `*` one segment, `**` any depth: `**.password`, `card.number`. */
  bodyPaths: readonly string[];
  /**
   * The header a customer id is taken from (`customer: {from: header}`), any case: its value's secret
   * `;name=value` parameters are fingerprinted as the stored customer id's are (`acme;token=x`).
   */
  customerHeader?: string;
}

/**
 * Redaction of everything Tandem stores, queues, shows or sends on.
 *
 * @example
 * const redactor = createRedactor(config.redact, key);
 * queue(redactor.exchange(exchange));
 */
export interface Redactor {
  /**
   * Every request and response of an exchange (headers, query, bodies in every encoding). A record
   * (the exchange, a request, a response) holding no secret comes back as itself, not a copy.
   */
  exchange(ex: ExchangeRecord): ExchangeRecord;
  /**
   * `exchange(ex)` when its distinct bodies come to `maxBytes` at most (bytes as sent, and
   * decoded for a compressed body; see `ON_LOOP_BYTES`), else null, having read no more
   * than that: the caller redacts it off the event loop instead (see `redactOffLoop`).
   */
  exchangeOnLoop(ex: ExchangeRecord, maxBytes: number): ExchangeRecord | null;
  request(r: RequestRecord): RequestRecord;
  response(r: ResponseRecord): ResponseRecord;
  /** A translator's output, body already parsed (the translated candidate). */
  translated<T extends { headers: Headers; body?: unknown }>(t: T): T;
  /**
   * A customer id as every record stores it: secret `;name=value` parameters in it
   * fingerprinted (`acme;token=x` is stored as `acme;token=[REDACTED:…]`); the same string
   * when it holds none. What a lookup by customer (readiness, per-customer counters) must key on.
   */
  customer(id: string): string;
  /** The keyed fingerprint function. */
  readonly fingerprint: Fingerprint;
  readonly names: SecretNames;
  /** What the redactor was made of (plain data), so a thread can make the same one. */
  readonly settings: RedactorSettings;
}

/** `createRedactor`'s arguments, as a thread gets them (structured-cloned). */
export interface RedactorSettings {
  options: RedactOptions;
  key: Buffer | string;
  maxDecodedBytes: number;
  maxReadBytes?: number;
}

/**
 * A redactor under a deployment's key: secret headers (always `DEFAULT_REDACTED_HEADERS`:
 * `authorization`, `proxy-authorization`, `cookie`, `set-cookie`, `x-tandem-token`,
 * `x-api-key`), credential query parameters (always `DEFAULT_REDACTED_QUERY`: `password`,
 * `token`, `access_token`, `api_key`, `client_secret`, ..., in any case and bracket form),
 * and body fields (those names at any depth
 * and the configured body paths, in any case) are replaced by keyed fingerprints, in the
 * decoded, parsed form of every body Tandem can read (see `redactBody`). The backends got
 * the real values; nothing else ever does. Compressed bodies decode to `maxDecodedBytes` at
 * most; one decoding to more than `maxReadBytes` (unset: no such bound) is only scanned for
 * secret names, and withheld when one may occur (the proxy passes `capture.maxBodyBytes`).
 *
 * @example
 * const redactor = createRedactor({ headers: ['x-api-key'], bodyPaths: ['**.password'] }, key);
 * queue(redactor.exchange(exchange));
 */
export function createRedactor(o: RedactOptions, key: Buffer | string, maxDecodedBytes = 32 << 20, maxReadBytes?: number): Redactor {
  const names = secretNames(o);
  const fp = fingerprinter(key);
  const body = { names, fp, maxDecodedBytes, maxReadBytes };
  const redactCustomer = (id: string) => redactPathParams(id, names.query, fp, true);
  const customerHeader = o.customerHeader?.toLowerCase();
  const isCustomerHeader = (name: string) =>
    customerHeader !== undefined && name.length === customerHeader.length && name.toLowerCase() === customerHeader;
  /** The customer header's value as the customer id is stored (see `redactCustomer`); the map itself when that changes nothing. */
  const customerIn = (h: Headers): Headers => {
    const v = customerHeader === undefined ? undefined : h[customerHeader];
    if (v === undefined) return h;
    const next = Array.isArray(v) ? v.map(redactCustomer) : redactCustomer(v);
    if (Array.isArray(next) ? next.every((x, i) => x === v[i]) : next === v) return h;
    return { ...h, [customerHeader!]: next };
  };
  // A URL header's query and fragment are redacted as a request's query is (secret names, JSON or forms and credentials in values).
  const { redactQuery, redactRawQuery } = queryRedactor(names, fp, body);
  const headers = (h: Headers) => customerIn(redactHeaderMap(h, names.header, names.query, fp, redactRawQuery));
  /** The lines with secret values fingerprinted; the same array when none is secret (the usual request). */
  const redactLines = (lines: string[]): string[] => {
    let out: string[] | null = null;
    for (let i = 0; i + 1 < lines.length; i += 2) {
      if (names.header(lines[i]) || credentialValue(lowerName(lines[i]), lines[i + 1])) {
        out ??= [...lines];
        out[i + 1] = redactHeaderValue(lines[i], lines[i + 1], fp);
      } else if (isUrlHeader(lines[i])) {
        // A URL's secret query and fragment parameters (`Referer: ...?token=x`).
        const url = redactUrlHeader(lines[i], lines[i + 1], names.query, fp, redactRawQuery);
        if (url !== lines[i + 1]) (out ??= [...lines])[i + 1] = url;
      } else if (isCustomerHeader(lines[i])) {
        // The customer header's secret `;name=value` parameters, as the customer id is stored.
        const v = redactCustomer(lines[i + 1]);
        if (v !== lines[i + 1]) (out ??= [...lines])[i + 1] = v;
      }
    }
    return out ?? lines;
  };
  /** Route parameters (decoded) with their secret `;name=value` parameters redacted; the same object when none is. */
  const redactParams = (params: Record<string, string>): Record<string, string> => {
    let out: Record<string, string> | null = null;
    for (const name of Object.keys(params)) {
      const v = redactPathParams(params[name], names.query, fp, true);
      if (v !== params[name]) (out ??= { ...params })[name] = v;
    }
    return out ?? params;
  };
  /** An error whose message may quote the path (`cannot map /p/5;token=x`): its path parameters redacted; itself when none is secret. */
  const redactMessage = <E extends { message: string }>(e: E): E => {
    const message = redactPathParams(e.message, names.query, fp);
    return message === e.message ? e : { ...e, message };
  };
  // Each record comes back as itself when nothing in it is secret (the usual case): no copy per request and response.
  // `linesDone`: `r.headerLines` already redacted (the candidate's request relays the client's lines: the same array).
  const request = (r: RequestRecord, bodies: BodyMemo = redactBody, linesDone?: string[]): RequestRecord => {
    const h = headers(r.headers);
    // The header lines too, each on its own (repeated cookie lines fingerprint as their joined value does).
    const headerLines = r.headerLines && (linesDone ?? redactLines(r.headerLines));
    // A chunked body's trailer lines as header lines are (a trailer may carry a signature or a token).
    const trailerLines = r.trailerLines && redactLines(r.trailerLines);
    const query = redactQuery(r.query);
    // The raw query too: credential parameters inside it are fingerprinted, everything else kept byte for byte.
    const rawQuery = r.rawQuery && redactRawQuery(r.rawQuery);
    // The path's `;name=value` parameters (`/p/5;jsessionid=x`), by the query's names.
    const path = redactPathParams(r.path, names.query, fp);
    // Repeated Content-Type lines are relayed as sent: a backend reading another line than Node's
    // first reads the body as that type, so it is redacted as each line would have it read (a
    // few at most: past `MAX_EXTRA_CONTENT_TYPES` it is withheld, not read once per line).
    const types = otherContentTypes(r.headerLines, r.headers);
    let b: BodyRecord | null;
    if (types.length > MAX_EXTRA_CONTENT_TYPES) b = withholdBody(r.body, fp, TOO_MANY_TYPES);
    else {
      b = bodies(r.headers, r.body, body);
      for (const type of types) b = bodies(withContentType(r.headers, type), b, body);
    }
    if (
      path === r.path &&
      h === r.headers &&
      headerLines === r.headerLines &&
      trailerLines === r.trailerLines &&
      query === r.query &&
      rawQuery === r.rawQuery &&
      b === r.body
    )
      return r;
    return {
      ...r,
      path,
      headers: h,
      ...(r.headerLines ? { headerLines } : {}),
      query,
      ...(r.rawQuery ? { rawQuery } : {}),
      body: b,
      ...(r.trailerLines ? { trailerLines } : {}),
    };
  };
  const response = (r: ResponseRecord, bodies: BodyMemo = redactBody): ResponseRecord => {
    const h = headers(r.headers);
    const b = bodies(r.headers, r.body, body);
    return h === r.headers && b === r.body ? r : { ...r, headers: h, body: b };
  };
  const exchange = (ex: ExchangeRecord, bodies: BodyMemo): ExchangeRecord => {
    const req = request(ex.request, bodies);
    const legacy = response(ex.legacy, bodies);
    // The candidate's request relays the client's lines (the same array): redacted once.
    const sameLines = ex.candidateRequest?.headerLines !== undefined && ex.candidateRequest.headerLines === ex.request.headerLines;
    const candidateRequest = ex.candidateRequest && request(ex.candidateRequest, bodies, sameLines ? req.headerLines : undefined);
    const candidate = ex.candidate && response(ex.candidate, bodies);
    const legacyRepeat = ex.legacyRepeat && response(ex.legacyRepeat, bodies);
    // Whatever was derived from the path: route parameters and a customer id (decoded), error messages quoting it.
    const params = ex.params && redactParams(ex.params);
    const customer = redactCustomer(ex.customer);
    const translationError = ex.translationError && redactMessage(ex.translationError);
    const candidateError = ex.candidateError && redactMessage(ex.candidateError);
    const same =
      params === ex.params &&
      customer === ex.customer &&
      translationError === ex.translationError &&
      candidateError === ex.candidateError &&
      req === ex.request &&
      legacy === ex.legacy &&
      candidateRequest === ex.candidateRequest &&
      candidate === ex.candidate &&
      legacyRepeat === ex.legacyRepeat;
    if (same) return ex;
    return {
      ...ex,
      request: req,
      ...(params ? { params } : {}),
      customer,
      legacy,
      candidateRequest,
      candidate,
      legacyRepeat,
      ...(translationError ? { translationError } : {}),
      ...(candidateError ? { candidateError } : {}),
    };
  };
  return {
    customer: redactCustomer,
    request: (r) => request(r),
    response: (r) => response(r),
    // The candidate's request usually carries the client's body, and a matching candidate
    // answers legacy's bytes: each distinct body is redacted once per exchange.
    exchange: (ex) => exchange(ex, bodyMemo()),
    exchangeOnLoop: (ex, maxBytes) => {
      try {
        return exchange(ex, bodyMemo({ left: maxBytes }));
      } catch (e) {
        if (e === OFF_LOOP) return null;
        throw e;
      }
    },
    translated: (t) => ({
      ...t,
      headers: headers(t.headers),
      ...('body' in t
        ? { body: redactValue(t.body, names.field, fp, (v, p) => credentialOrUndefined(v, fp) ?? redactString(v, p, body, names.field, 0)) }
        : {}),
    }),
    fingerprint: fp,
    names,
    settings: { options: o, key, maxDecodedBytes, ...(maxReadBytes === undefined ? {} : { maxReadBytes }) },
  };
}

const TOO_MANY_TYPES = `more than ${MAX_EXTRA_CONTENT_TYPES} distinct extra Content-Type lines; not read`;
