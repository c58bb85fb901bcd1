import { createConfig, listenerCollisions, type TandemOptions } from '../../src/config';

// A newcomer's first config: the proxy on 4100, legacy on 4101, the candidate on 4102. The
// report (proxy + 1) and operations (proxy + 2) listeners then default to the backends'
// ports; `tandem config check` said the config was valid and `tandem serve` failed on start.
const config = (o: Partial<TandemOptions>) =>
  createConfig({
    legacy: { url: 'http://127.0.0.1:4101' },
    candidate: { url: 'http://localhost:4102' },
    listen: { port: 4100 },
    report: { token: 'a-report-token-of-16+' },
    routes: [],
    ...o,
  } as TandemOptions);

describe('listenerCollisions (tandem config check warnings)', () => {
  it('names a listener whose address is a backend’s, and how its port was chosen', () => {
    expect(listenerCollisions(config({}))).toEqual([
      'the report listener 127.0.0.1:4101 (proxy port 4100 (listen.port) + 1, as no report.listen.port is set) is legacy.url (http://127.0.0.1:4101): one address cannot be both; set report.listen.port, or move legacy',
      'the operations listener 127.0.0.1:4102 (proxy port 4100 (listen.port) + 2, as no ops.listen.port is set) is candidate.url (http://localhost:4102): one address cannot be both; set ops.listen.port, or move the candidate',
    ]);
  });

  it('says nothing when the ports differ, a listener is mounted on the proxy, or the backend is another host', () => {
    expect(listenerCollisions(config({ listen: { port: 8080 } }))).toEqual([]);
    expect(listenerCollisions(config({ report: { token: 'a-report-token-of-16+', listen: 'proxy' }, ops: { listen: 'proxy' } }))).toEqual(
      [],
    );
    expect(
      listenerCollisions(config({ legacy: { url: 'http://10.1.2.3:4101' }, candidate: { url: 'http://legacy.internal:4102' } })),
    ).toEqual([]);
  });

  it('names the proxy itself pointed at as legacy (a proxy to itself)', () => {
    expect(listenerCollisions(config({ legacy: { url: 'http://127.0.0.1:4100' }, candidate: { url: 'http://127.0.0.1:4202' } }))).toEqual([
      'the proxy listener 0.0.0.0:4100 (listen.port) is legacy.url (http://127.0.0.1:4100): one address cannot be both; set listen.port, or move legacy',
    ]);
  });
});
