import { open, readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { parseHar } from './read-har';
import { countLines, readNdjson } from './read-ndjson';
import type { ReplayItem } from './replay-request';

export type ReplayFormat = 'har' | 'ndjson';

/** A replay file opened: its format, how many entries it has, and the entries. */
export interface ReplaySource {
  format: ReplayFormat;
  total: number;
  items: AsyncIterable<ReplayItem>;
}

/**
 * Open a HAR or NDJSON file of requests. The format comes from `format`, else the
 * extension (`.har`, `.ndjson`/`.jsonl`), else the content (a HAR starts with `{` and
 * has `"log"`). Throws with the file name when it cannot be read.
 *
 * @example
 * const src = await openReplayFile('yesterday.har');
 * for await (const item of src.items) console.log(item.request?.path ?? item.error);
 */
export async function openReplayFile(file: string, format?: ReplayFormat): Promise<ReplaySource> {
  const fmt = format ?? (await detectFormat(file));
  if (fmt === 'har') {
    let items: ReplayItem[];
    try {
      items = parseHar(await readFile(file, 'utf8'));
    } catch (e) {
      throw new Error(`${file}: ${(e as Error).message}`);
    }
    return {
      format: fmt,
      total: items.length,
      items: (async function* () {
        yield* items;
      })(),
    };
  }
  return { format: fmt, total: await countLines(file), items: readNdjson(file) };
}

async function detectFormat(file: string): Promise<ReplayFormat> {
  const ext = extname(file).toLowerCase();
  if (ext === '.har') return 'har';
  if (ext === '.ndjson' || ext === '.jsonl') return 'ndjson';
  let head: string;
  try {
    const fh = await open(file, 'r');
    const { buffer, bytesRead } = await fh.read(Buffer.alloc(4096), 0, 4096, 0);
    await fh.close();
    head = buffer.subarray(0, bytesRead).toString('utf8');
  } catch (e) {
    throw new Error(`${file}: ${(e as Error).message}`);
  }
  const firstLine = head.split('\n', 1)[0];
  return /^\s*\{\s*"log"\s*:/.test(head) || !/\}\s*$/.test(firstLine) ? 'har' : 'ndjson';
}
