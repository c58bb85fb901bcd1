import { CauseTexts, CAUSE_TEXT_CACHE_SIZE } from '../../src/store/cause-texts';
import { ownPayload } from '../../src/store/own-payload';
import type { CauseRecord } from '../../src/store/record-types';

// How the store built the payload's causes before: each cause rebuilt without its example, both serialised, then the array.
const reference = (causes: CauseRecord[]) =>
  JSON.stringify(causes.map(({ example, ...c }) => ({ key: c.key, json: JSON.stringify(c), example: JSON.stringify(example) })));

const price: CauseRecord = {
  key: 'price|changed|numeric_delta:+50',
  pattern: 'price',
  kind: 'changed',
  transform: 'numeric_delta',
  detail: '+50',
  label: 'price: number changed by +50',
  example: { path: 'price', legacy: 299.9, candidate: 349.9 },
};
const name: CauseRecord = {
  key: 'name|changed|value_changed',
  pattern: 'name',
  kind: 'changed',
  transform: 'value_changed',
  label: 'name: value changed',
  example: { path: 'name', legacy: 'say "hi"\u2028\\', candidate: 'é 😀' },
};

describe('CauseTexts', () => {
  it('writes the characters JSON.stringify gave for the rebuilt causes, first and second time', () => {
    const texts = new CauseTexts();
    const causes = [price, name, { ...name, key: 'a"b\\c', pattern: 'a"b\\c', example: { path: 'x', legacy: null } }];
    expect(texts.payloadJson(causes)).toBe(reference(causes));
    const again = [{ ...price, example: { path: 'price', legacy: 1, candidate: [1, { a: 'b' }] } }, name];
    expect(texts.payloadJson(again)).toBe(reference(again));
    expect(texts.payloadJson([])).toBe('[]');
  });

  it('builds a cause again when its key is known but another field is not the same', () => {
    const texts = new CauseTexts();
    texts.payloadJson([price]);
    const relabelled = [{ ...price, label: 'price: another label' }];
    expect(texts.payloadJson(relabelled)).toBe(reference(relabelled));
    const noDetail = [{ ...price, detail: undefined }];
    expect(texts.payloadJson(noDetail)).toBe(reference(noDetail));
  });

  it('leaves out an example that is not there, as the serialised object did', () => {
    const causes = [{ ...price, example: undefined } as unknown as CauseRecord, name];
    expect(new CauseTexts().payloadJson(causes)).toBe(reference(causes));
  });

  it('stays bounded: past the cache size it starts again, and still writes the same', () => {
    const texts = new CauseTexts();
    const many = Array.from({ length: CAUSE_TEXT_CACHE_SIZE + 3 }, (_, i) => ({ ...price, key: `k${i}` }));
    for (const c of many) texts.payloadJson([c]);
    expect((texts as unknown as { texts: Map<string, unknown> }).texts.size).toBeLessThanOrEqual(CAUSE_TEXT_CACHE_SIZE);
    expect(texts.payloadJson(many.slice(0, 2))).toBe(reference(many.slice(0, 2)));
  });

  it('gives ownPayload the payload its causes gave as objects', () => {
    const f = {
      class: 'mismatch',
      customer: 'acme',
      customerSeg: 'acme',
      at: 1_700_000_000_000,
      id: 'x',
      fields: ['price'],
      noise: [],
      signature: 'price',
      risk: 'high',
      overBudget: false,
      sampledOut: true,
      repeatPaths: undefined,
      suspected: undefined,
      contentHash: 'abc',
      hashOnly: true,
    };
    const causes = [price, name];
    const objects = causes.map(({ example, ...c }) => ({ key: c.key, json: JSON.stringify(c), example: JSON.stringify(example) }));
    expect(ownPayload({ ...f, causesJson: new CauseTexts().payloadJson(causes) })).toBe(ownPayload({ ...f, causes: objects }));
  });
});
