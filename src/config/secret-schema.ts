import { z } from 'zod';

/**
 * An optional secret (`report.token`, `redact.key`, `metrics.token`): a string of at least
 * 16 characters, or unset. An empty value (`''`, or YAML's null from `key:` or
 * `key: ${VAR:-}`) means unset, so the documented fallback applies (a generated token or
 * key, no scrape token). The one definition of that rule: every optional secret uses it.
 * (`customer.jwtKey` does not: an empty key there would silently turn signature checks off.)
 *
 * @example
 * optionalSecret().parse(''); // undefined
 * optionalSecret().parse('short'); // throws: must be at least 16 characters
 */
export function optionalSecret(): z.ZodOptional<z.ZodString> {
  const schema = z.preprocess(
    (v) => (v === '' || v === null ? undefined : v),
    z.string().min(16, 'must be at least 16 characters').optional(),
  );
  // Typed as what a caller may write; the file loader may also give '' or null, which mean unset.
  return schema as unknown as z.ZodOptional<z.ZodString>;
}

/**
 * The optional secrets by path, with what an unset one means: the hint an unset or empty
 * `${VAR}` standing for one of them gives. Every key using `optionalSecret()` is here.
 *
 * @example
 * OPTIONAL_SECRETS['metrics.token']; // 'the metrics endpoint then needs no token'
 */
export const OPTIONAL_SECRETS: Readonly<Record<string, string>> = {
  'report.token': 'the report token is then generated at start',
  'redact.key': 'the redaction key is then generated and kept in Redis',
  'metrics.token': 'the metrics endpoint then needs no token',
};
