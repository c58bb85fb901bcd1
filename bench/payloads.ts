/** The two response sizes the benchmark uses, by the path segment that selects them. */
export const SIZES = { '2k': 2 * 1024, '20k': 20 * 1024 } as const;
export type SizeName = keyof typeof SIZES;
export const SIZE_NAMES = Object.keys(SIZES) as SizeName[];

interface Item {
  sku: string;
  name: string;
  qty: number;
  price: number;
}

/**
 * A deterministic product-like JSON document of at least `bytes` bytes (a few bytes
 * over at most). `differ` changes three fields (price, one item's qty, the name), as
 * a regressed candidate would; the shape and size stay the same.
 *
 * @example
 * jsonDocument(2048).length;            // ~2048
 * jsonDocument(2048, { differ: true }); // same shape, 3 fields differ
 */
export function jsonDocument(bytes: number, o: { differ?: boolean } = {}): Buffer {
  const doc = {
    id: 4711,
    name: 'Espresso machine',
    price: 299.9,
    currency: 'EUR',
    updatedAt: '2024-05-01T12:00:00.000Z',
    tags: ['kitchen', 'coffee', 'appliance'],
    items: [] as Item[],
  };
  for (let i = 0; Buffer.byteLength(JSON.stringify(doc)) < bytes; i++) {
    doc.items.push({
      sku: `SKU-${String(i).padStart(6, '0')}`,
      name: `Part number ${i} of the espresso machine`,
      qty: 1 + (i % 4),
      price: 10 + i,
    });
  }
  if (o.differ) {
    // Same items, so the pair differs in exactly these three fields.
    doc.name = 'Espresso machine (refurbished)';
    doc.price = 349.9;
    doc.items[1].qty = 3;
  }
  return Buffer.from(JSON.stringify(doc));
}

/**
 * The URL path that selects a size on the benchmark upstreams (`/api/2k/1`).
 *
 * @example
 * pathFor('20k'); // '/api/20k/1'
 */
export function pathFor(size: SizeName): string {
  return `/api/${size}/1`;
}
