/**
 * The Redis Cluster slot (0-16383) of a key, as every node computes it (Redis Cluster
 * specification, "Keys distribution model"): CRC16 (XMODEM: polynomial 0x1021, initial 0)
 * of the key's hash tag, modulo 16384. The hash tag is what lies between the first `{` and
 * the first `}` after it, when that is not empty; else the whole key. Used by `tandem config
 * check` to say which slot each route's keys live in (`CLUSTER KEYSLOT` answers the same).
 *
 * @example
 * keySlot('{tandem}:anything'); // 1351, the slot of `tandem`
 * keySlot('foo'); // 12182
 */
export function keySlot(key: string): number {
  const bytes = Buffer.from(key, 'utf8');
  const open = bytes.indexOf(0x7b);
  let from = 0;
  let to = bytes.length;
  if (open >= 0) {
    const close = bytes.indexOf(0x7d, open + 1);
    if (close > open + 1) [from, to] = [open + 1, close];
  }
  let crc = 0;
  for (let i = from; i < to; i++) {
    crc ^= bytes[i] << 8;
    for (let b = 0; b < 8; b++) crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
  }
  return crc % 16384;
}
