import { defineTranslator } from '../src/translate/define-translator';

/**
 * Environment variable holding the candidate credential; read on every request, so rotation needs no restart.
 *
 * @example
 * // TANDEM_CANDIDATE_TOKEN=abc tandem serve
 */
export const CANDIDATE_TOKEN_ENV = 'TANDEM_CANDIDATE_TOKEN';

/**
 * Headers only legacy understands; never sent to the candidate.
 *
 * @example
 * LEGACY_ONLY_HEADERS.includes('cookie'); // true
 */
export const LEGACY_ONLY_HEADERS = ['x-legacy-session', 'cookie'] as const;

/**
 * The candidate has its own credentials: the client's `authorization` is replaced
 * by `TANDEM_CANDIDATE_TOKEN` (sent as `Bearer <token>`, or as is when the value
 * already has a scheme such as `Basic …`), and legacy-only headers are dropped;
 * every other header is kept. An unset or blank variable is an error, so nothing
 * is sent with the client's credential. Responses pass untouched.
 *
 * The translated request is stored with the exchange: add `authorization` to
 * `redact.headers` so the candidate token is not kept.
 *
 * @example
 * // TANDEM_CANDIDATE_TOKEN=abc: { authorization: 'Bearer client', cookie: 's=1', accept: '*' } → { authorization: 'Bearer abc', accept: '*' }
 */
export default defineTranslator({
  name: 'candidate-auth-headers',
  request(req) {
    const token = process.env[CANDIDATE_TOKEN_ENV]?.trim();
    if (!token) throw new Error(`${CANDIDATE_TOKEN_ENV} is not set; it holds the candidate's credential`);
    const headers = { ...req.headers };
    for (const name of [...LEGACY_ONLY_HEADERS, 'authorization']) delete headers[name];
    headers.authorization = /\s/.test(token) ? token : `Bearer ${token}`;
    return { ...req, headers };
  },
});
