import type { TandemConfig } from './create-config';
import { sideListenPort } from './side-listen-port';

/** Hosts that name this machine: a listener on one of them (or on every address) is reached by a backend URL naming another. */
const LOCAL = /^(?:localhost|127(?:\.\d{1,3}){3}|::1|0\.0\.0\.0|::)$/;

/**
 * Listeners of `tandem serve` (the proxy, the report's, the operations') whose address is
 * a backend's (`legacy.url`, `legacy.repeatUrl`, `candidate.url`): the same port on the
 * same host, or on this machine's loopback while the listener takes every address.
 * `tandem serve` cannot bind such a listener while the backend runs there (and would send
 * to itself if it could). One warning per pair, naming how the listener's port was chosen
 * (the rule `tandem serve` follows, `sideListenPort`) and what to set. Pure.
 *
 * @example
 * listenerCollisions(createConfig({ listen: { port: 4100 }, legacy: { url: 'http://127.0.0.1:4101' }, ... }));
 * // ['the report listener 127.0.0.1:4101 (proxy port 4100 (listen.port) + 1, as no report.listen.port is set) is legacy.url (http://127.0.0.1:4101): ...']
 */
export function listenerCollisions(c: TandemConfig): string[] {
  const listeners: { name: string; key: string; host: string; port: number; from: string }[] = [
    { name: 'proxy', key: 'listen.port', host: c.listen.host, port: c.listen.port, from: 'listen.port' },
  ];
  const side = (name: string, key: 'report' | 'ops', listen: TandemConfig['report']['listen'], offset: 1 | 2) => {
    if (listen === 'proxy') return;
    const from =
      listen.port !== undefined
        ? `${key}.listen.port`
        : `proxy port ${c.listen.port} (listen.port) + ${offset}, as no ${key}.listen.port is set`;
    listeners.push({ name, key: `${key}.listen.port`, host: listen.host, port: sideListenPort(listen, c.listen.port, offset), from });
  };
  side('report', 'report', c.report.listen, 1);
  side('operations', 'ops', c.ops.listen, 2);
  const backends = [
    { key: 'legacy.url', url: c.legacy.url, who: 'legacy' },
    ...(c.legacy.repeatUrl ? [{ key: 'legacy.repeatUrl', url: c.legacy.repeatUrl, who: 'legacy' }] : []),
    { key: 'candidate.url', url: c.candidate.url, who: 'the candidate' },
  ];
  const out: string[] = [];
  for (const l of listeners) {
    if (l.port === 0) continue;
    for (const b of backends) {
      const at = addressOf(b.url);
      if (!at || at.port !== l.port) continue;
      const sameHost = at.host === bare(l.host) || (LOCAL.test(at.host) && LOCAL.test(bare(l.host)));
      if (!sameHost) continue;
      out.push(
        `the ${l.name} listener ${l.host.includes(':') ? `[${l.host}]` : l.host}:${l.port} (${l.from}) is ${b.key} (${b.url}): ` +
          `one address cannot be both; set ${l.key}, or move ${b.who}`,
      );
    }
  }
  return out;
}

const bare = (host: string): string => host.replace(/^\[|\]$/g, '').toLowerCase();

function addressOf(url: string): { host: string; port: number } | undefined {
  try {
    const u = new URL(url);
    const port = u.port ? Number(u.port) : u.protocol === 'https:' ? 443 : 80;
    return { host: bare(u.hostname), port };
  } catch {
    return undefined;
  }
}
