import { BodyCapture } from '../../src/upstream/body-capture';

describe('BodyCapture', () => {
  it('holds a body sent in 1-byte pieces in a few slabs, not a Buffer per byte, bytes in order', () => {
    const cap = new BodyCapture(1024 * 1024);
    const text = 'abcdefghij'.repeat(20_000); // 200,000 pieces
    for (let i = 0; i < text.length; i++) cap.push(Buffer.from(text[i]));
    expect(cap.pieces).toBeLessThanOrEqual(16 + 2 * Math.ceil(text.length / 1024));
    expect(cap.record()!.data).toBe(text);
  });

  it('keeps the order of small and large pieces mixed, and hashes past the cap', () => {
    const cap = new BodyCapture(1 << 20);
    const parts: Buffer[] = [];
    for (let i = 0; i < 3000; i++) parts.push(Buffer.from(i % 7 === 0 ? 'L'.repeat(1500) : `s${i};`));
    for (const p of parts) cap.push(p);
    expect(cap.record()!.data).toBe(Buffer.concat(parts).toString());

    const over = new BodyCapture(100);
    for (let i = 0; i < 300; i++) over.push(Buffer.from('x'));
    expect(over.record()).toMatchObject({ size: 300, truncated: true, sha256: expect.stringMatching(/^[0-9a-f]{64}$/) });
  });

  it('keeps a body that came in a few reads without copying it', () => {
    const cap = new BodyCapture(1024);
    const a = Buffer.from('{"a":');
    const b = Buffer.from('1}');
    cap.push(a);
    cap.push(b);
    expect(cap.pieces).toBe(2);
    expect(cap.record()!.data).toBe('{"a":1}');
  });
});
