import { memoisedByPath, pathPrefixes } from '../compare';
import type { RecordPayload } from './record-types';

/**
 * An exchange's payload as JSON (ARGV[1] of its part; see RecordPayload): the fields that
 * always differ between exchanges, and of the others only those that differ from the pack's
 * (`RecordCalls` defaults: empty lists, '', false), in RecordPayload's order. The retention
 * settings are the pack's, never an exchange's own. Without `fields` or `noise` (a
 * malformed extra) they are left out, as empty ones are.
 *
 * @example
 * ownPayload({ class: 'match', customer: 'acme', customerSeg: 'acme', at: 1, id: 'x', fields: [], noise: [], ... });
 * // '{"class":"match","customer":"acme","customerSeg":"acme","at":1,"id":"x"}'
 */
export function ownPayload(f: {
  class: string;
  customer: string;
  customerSeg: string;
  at: number;
  id: string;
  fields: string[];
  noise: string[];
  signature: string;
  risk: string;
  overBudget: boolean;
  sampledOut: boolean;
  repeatPaths: string[] | undefined;
  suspected: string[] | undefined;
  contentHash: string;
  hashOnly?: boolean;
  causes?: RecordPayload['causes'];
  /** The causes as their payload JSON text instead (`CauseTexts.payloadJson`), written as given. */
  causesJson?: string;
}): string {
  const own: Partial<RecordPayload> = { class: f.class, customer: f.customer, customerSeg: f.customerSeg, at: f.at, id: f.id };
  if (f.fields?.length) own.fields = f.fields;
  if (f.noise?.length) own.noise = f.noise;
  if (f.fields?.length) own.fieldTotals = everyPrefix(f.fields);
  if (f.noise?.length) own.noiseTotals = everyPrefix(f.noise);
  if (f.signature !== '') own.signature = f.signature;
  if (f.risk !== '') own.risk = f.risk;
  if (f.overBudget) own.overBudget = true;
  if (f.sampledOut) own.sampledOut = true;
  if (f.repeatPaths !== undefined) own.repeated = true;
  if (f.repeatPaths?.length) own.repeatFields = f.repeatPaths;
  if (f.suspected?.length) own.suspected = f.suspected;
  if (f.contentHash !== '') own.contentHash = f.contentHash;
  if (f.hashOnly) own.hashOnly = true;
  if (f.causes) own.causes = f.causes;
  const json = JSON.stringify(own);
  // causes are the payload's last field
  return f.causesJson === undefined ? json : `${json.slice(0, -1)},"causes":${f.causesJson}}`;
}

/** Every prefix of every path (the path itself included), each once: one comparison counts once per field-tree node. */
function everyPrefix(paths: readonly string[]): string[] {
  return [...new Set(paths.flatMap(prefixesOf))];
}

/**
 * A path's prefixes (`pathPrefixes`), remembered per path: a route's mismatches name the same few
 * fields. Their characters grow with the square of the path's: only paths of up to 64 characters are
 * remembered (at most about 2,000 characters of prefixes each).
 */
const prefixesOf = memoisedByPath((path: string): readonly string[] => pathPrefixes(path).map((x) => x.prefix), 64);
