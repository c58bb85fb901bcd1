/**
 * The one error base class of Tandem. Every error Tandem throws on purpose extends it,
 * so callers (the CLI, the report API's error handler, scripts) tell failures apart by
 * `code`, never by message text.
 *
 * - `code`: stable and machine-readable (`ERR_TANDEM_…`; the rollout's older codes such
 *   as `not_ready` are kept as they are, since the API has always answered with them).
 * - `status`: the HTTP status (RFC 9110 section 15) the report API answers with; 500
 *   when the error is not the client's fault.
 * - `details`: plain JSON figures added to the API answer (`{ compared, matchRate }`).
 * - `apiError`: the short `error` word of the API's JSON answer (`bad_request`,
 *   `not_found`, `busy`, …); by default derived from `status` (see `errorWordFor`).
 *
 * @example
 * class QuotaError extends TandemError {
 *   constructor(message: string) { super('ERR_TANDEM_QUOTA', message, { status: 429 }); }
 * }
 * try { run() } catch (e) { if (e instanceof TandemError && e.code === 'ERR_TANDEM_QUOTA') retryLater() }
 */
export class TandemError extends Error {
  readonly status: number;
  readonly details?: Readonly<Record<string, unknown>>;
  readonly apiError: string;

  constructor(
    readonly code: string,
    message: string,
    o: { status?: number; details?: Record<string, unknown>; apiError?: string; cause?: unknown } = {},
  ) {
    super(message, o.cause === undefined ? undefined : { cause: o.cause });
    this.name = new.target.name;
    this.status = o.status ?? 500;
    if (o.details !== undefined) this.details = o.details;
    this.apiError = o.apiError ?? errorWordFor(this.status);
  }
}

const WORDS: Readonly<Record<number, string>> = {
  400: 'bad_request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  409: 'conflict',
  413: 'payload_too_large',
  429: 'too_many_attempts',
  503: 'unavailable',
};

/**
 * The API's `error` word for an HTTP status: `bad_request` (400), `unauthorized` (401),
 * `forbidden` (403), `not_found` (404), `conflict` (409), `payload_too_large` (413),
 * `too_many_attempts` (429), `unavailable` (503); any other 4xx is `bad_request`,
 * anything else `internal`.
 *
 * @example
 * errorWordFor(404); // 'not_found'
 * errorWordFor(418); // 'bad_request'
 */
export function errorWordFor(status: number): string {
  return WORDS[status] ?? (status >= 400 && status < 500 ? 'bad_request' : 'internal');
}
