import { TandemError } from '../errors';

/** Stable code of a listener that could not bind (port in use, not allowed, address not here). */
export const LISTEN_FAILED = 'ERR_TANDEM_LISTEN_FAILED';

/** Which of Tandem's listeners, and where its port came from. */
export interface ListenerOrigin {
  /** `proxy` (`listen`), `report` (`report.listen`), `ops` (`ops.listen`), `worker metrics` (`tandem worker --metrics-port`). */
  listener: 'proxy' | 'report' | 'ops' | 'worker metrics';
  host: string;
  port: number;
  /** How the port was chosen, in the user's words: `listen.port`, `-p 20199`, `proxy port 20199 + 1`. */
  from: string;
}

const HOW_TO_CHANGE: Record<ListenerOrigin['listener'], string> = {
  proxy: 'set listen.port in the config or pass -p <port> (0 picks a free one)',
  report: "set report.listen.port in the config (0 picks a free one), or report.listen: proxy to mount the report on the proxy's port",
  ops: "set ops.listen.port in the config (0 picks a free one), or ops.listen: proxy to serve health and metrics on the proxy's port",
  'worker metrics': 'pass another --metrics-port (0 picks a free one)',
};

/**
 * A listener that could not bind, named with where its port came from and how to change it
 * (a raw `listen EADDRINUSE … 127.0.0.1:20200` names a port the user may never have chosen:
 * the report's is the proxy's + 1). `code` is `ERR_TANDEM_LISTEN_FAILED` (the CLI exits 2);
 * `cause` is the system error (`EADDRINUSE`, `EACCES`, `EADDRNOTAVAIL`).
 *
 * @example
 * throw listenError(e, { listener: 'report', host: '127.0.0.1', port: 20200, from: 'proxy port 20199 + 1' });
 */
export class ListenError extends TandemError {
  readonly listener: ListenerOrigin['listener'];
  /** The system error code, e.g. `EADDRINUSE`. */
  readonly sysCode?: string;
  constructor(cause: NodeJS.ErrnoException, o: ListenerOrigin) {
    const what =
      cause.code === 'EADDRINUSE'
        ? 'is already in use'
        : cause.code === 'EACCES'
          ? 'is not allowed for this user'
          : cause.code === 'EADDRNOTAVAIL'
            ? 'is not an address of this machine'
            : `could not be bound (${cause.message})`;
    super(LISTEN_FAILED, `the ${o.listener} listener's address ${o.host}:${o.port} (${o.from}) ${what}: ${HOW_TO_CHANGE[o.listener]}`, {
      cause,
    });
    this.listener = o.listener;
    if (cause.code) this.sysCode = cause.code;
  }
}
