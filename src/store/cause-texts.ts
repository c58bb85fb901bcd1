import type { CauseRecord } from './record-types';

/** Causes whose payload text `CauseTexts` remembers at most before it starts again. */
export const CAUSE_TEXT_CACHE_SIZE = 4096;

/** How a cause's `head` ends. */
const EXAMPLE_FIELD = ',"example":';

/** A cause's part of the payload up to its example (`{"key":…,"json":…,"example":`), and what it was built from. */
interface CauseText {
  pattern: string;
  kind: string;
  transform: string;
  detail: string | undefined;
  label: string;
  head: string;
}

/**
 * A mismatch's causes as the record script's payload carries them (`RecordPayload.causes`:
 * `[{ key, json, example }]`, `json` and `example` JSON texts), written straight as the
 * payload's JSON text: the same characters `JSON.stringify` gives for those objects. A
 * route's mismatches name the same few causes: each cause's text up to its example (its
 * JSON, escaped once more for the payload) is built once and reused while the cause's
 * fields are the same; only the example is serialised per mismatch. Holds at most
 * `CAUSE_TEXT_CACHE_SIZE` causes.
 *
 * @example
 * const texts = new CauseTexts();
 * texts.payloadJson(extra.causes); // '[{"key":"price|changed|value_changed","json":"{\"key\":…}","example":"{\"path\":\"price\",…}"}]'
 */
export class CauseTexts {
  private readonly texts = new Map<string, CauseText>();

  /** The causes' payload value as JSON text (an array, in order). */
  payloadJson(causes: readonly CauseRecord[]): string {
    let out = '[';
    for (let i = 0; i < causes.length; i++) {
      const c = causes[i];
      const example = JSON.stringify(c.example) as string | undefined;
      // (no example: none in the payload, as JSON.stringify leaves out an undefined field)
      const head = this.head(c);
      out += `${i ? ',' : ''}${example === undefined ? `${head.slice(0, -EXAMPLE_FIELD.length)}}` : `${head}${JSON.stringify(example)}}`}`;
    }
    return `${out}]`;
  }

  /** `{"key":…,"json":…,"example":` of a cause: its JSON without the example (`key, pattern, kind, transform, detail, label`). */
  private head(c: CauseRecord): string {
    const known = this.texts.get(c.key);
    if (
      known &&
      known.pattern === c.pattern &&
      known.kind === c.kind &&
      known.transform === c.transform &&
      known.detail === c.detail &&
      known.label === c.label
    )
      return known.head;
    const { key, pattern, kind, transform, detail, label } = c;
    const json = JSON.stringify(
      detail === undefined ? { key, pattern, kind, transform, label } : { key, pattern, kind, transform, detail, label },
    );
    const head = `{"key":${JSON.stringify(key)},"json":${JSON.stringify(json)}${EXAMPLE_FIELD}`;
    if (this.texts.size >= CAUSE_TEXT_CACHE_SIZE) this.texts.clear();
    this.texts.set(key, { pattern, kind, transform, detail, label, head });
    return head;
  }
}
