import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';

/**
 * Writes a command's output file (`dry-run --save`, `suggest --out`), creating its folder as
 * `--out translators/product.ts` implies. A file that still cannot be written (a folder in the
 * way, no permission) is one line naming the command, the flag and the file, and exit code 1;
 * returns false then (the caller has printed its results already or prints them still).
 *
 * @example
 * await writeOutputFile('tandem suggest', '--out', 'translators/product.ts', draft);
 */
export async function writeOutputFile(command: string, flag: string, file: string, text: string): Promise<boolean> {
  try {
    await mkdir(dirname(file), { recursive: true });
    await writeFile(file, text);
    return true;
  } catch (e) {
    process.stderr.write(`${command}: cannot write ${flag} ${file}: ${(e as Error).message}\n`);
    process.exitCode = 1;
    return false;
  }
}
