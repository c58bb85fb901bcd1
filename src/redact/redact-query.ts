import { editRawQuery, type Query } from '../records';
import { credentialForm, credentialOrUndefined } from './credential-form';
import type { Fingerprint } from './fingerprint';
import { redactSemicolonPairs } from './redact-form';
import { MAX_NESTED_READS, OVER_BUDGET, type BodyRedaction } from './redact-limits';
import { LOOKS_JSON, redactString } from './redact-nested';
import { redactPathParams } from './redact-path';
import { bracketSegments, type SecretNames } from './secret-names';

/**
 * A request's query, parsed and raw, with secret parameters fingerprinted (`names.query`),
 * the secret fields inside values that hold JSON or a form (`?filter={"password":..}`), and
 * secret `;name=value` pairs inside other values; a value that is a credential by its form
 * (a JWT anywhere in it, `Bearer …`, `Basic …`: see `credentialForm`) whatever its
 * parameter's name (`?assertion=eyJ…`), its scheme kept readable. Each returns its argument
 * when nothing in it is secret (the usual query: no copy).
 *
 * @example
 * const { redactQuery, redactRawQuery } = queryRedactor(names, fp, { names, fp, maxDecodedBytes });
 * redactRawQuery('?filter=%7B%22password%22%3A%22x%22%7D'); // '?filter=%7B%22password%22%3A%22%5BREDACTED%3A...%5D%22%7D'
 */
export function queryRedactor(
  names: SecretNames,
  fp: Fingerprint,
  body: BodyRedaction,
): { redactQuery(q: Query): Query; redactRawQuery(raw: string): string } {
  /**
   * A reader of a query's values (one per query, so that at most `MAX_NESTED_READS` encoded
   * values are read in it; a request line holds a few hundred at most, and past them a value
   * is fingerprinted whole): a parameter's decoded value that holds JSON or a form in which a
   * secret name occurs (`?filter={"password":..}`, `?state=a%3D1%26token%3D..`) is read
   * nested under the parameter's name, as a form field's value is (see `redactString`): its
   * secret fields fingerprinted, the rest kept. Undefined keeps the value (the usual one: no
   * `{`, `[` or `=`, or no secret name).
   */
  const valueReader = () => {
    let o: BodyRedaction | undefined;
    return (name: string, value: string): string | undefined => {
      // One `name=value;name=value` run is left to the `;` pairs' own reading, which keeps its bytes.
      if (!ENCODED.test(value) || (!value.includes('&') && value.includes(';') && !LOOKS_JSON.test(value))) return undefined;
      o ??= { ...body, budget: { left: MAX_NESTED_READS } };
      try {
        return redactString(value, bracketSegments(name), o, names.field, 1);
      } catch (e) {
        if (e !== OVER_BUDGET) throw e;
        return fp(value);
      }
    };
  };
  /**
   * The parsed query with secret parameters fingerprinted, secret fields inside values that
   * hold JSON or a form (see `valueReader`), and secret `;name=value` pairs
   * inside other values (`?a=1;password=x`, for servers that split at `;` too); itself when none is.
   */
  const redactQuery = (q: Query): Query => {
    let out: Query | null = null;
    let read: ReturnType<typeof valueReader> | undefined;
    for (const name of Object.keys(q)) {
      const v = q[name];
      const secret = names.query(name);
      // The usual parameter: not secret, no `;` in its value(s), nothing encoded in them, no credential; nothing allocated for it.
      if (!secret && !(Array.isArray(v) ? v.some(mayHoldMore) : mayHoldMore(v))) continue;
      const r = (read ??= valueReader());
      const one = (x: string) =>
        secret ? fp(x) : (credentialOrUndefined(x, fp) ?? redactPathParams(r(name, x) ?? x, names.query, fp, true));
      const next = Array.isArray(v) ? v.map(one) : one(v);
      if (Array.isArray(next) ? next.some((x, i) => x !== v[i]) : next !== v) (out ??= { ...q })[name] = next;
    }
    return out ?? q;
  };
  /** The raw query likewise (see `redactSemicolonPairs`); itself when nothing in it is secret. */
  const redactRawQuery = (raw: string): string => {
    const read = valueReader();
    const named = editRawQuery(raw, (name, value) =>
      names.query(name) ? fp(value) : (credentialOrUndefined(value, fp) ?? read(name, value)),
    );
    if (!named.includes(';')) return named === raw ? raw : named;
    const out = named
      .split('&')
      .map((pair) => (pair.includes(';') ? redactSemicolonPairs(pair, names.query, fp) : pair))
      .join('&');
    return out === raw ? raw : out;
  };
  return { redactQuery, redactRawQuery };
}

/** A value that may hold another encoding (JSON, a form): `{`, `[` or `=` in it. */
const ENCODED = /[[{=]/;
/** ...or a `;name=value` pair too. */
const MAY_NEST = /[[{=;]/;
/** A value that may hold another encoding or a `;` pair, or that is a credential by its form. */
const mayHoldMore = (v: string) => MAY_NEST.test(v) || credentialForm(v);
