import net from 'node:net';
import tls from 'node:tls';
import { httpError, ResponseReader, type RawCallbacks, type RawRequest } from './http1-wire';

/** One keep-alive connection and the request it serves, if any. */
interface Conn {
  socket: net.Socket;
  /** The reader of the response in progress (null when idle). */
  reader: ResponseReader | null;
  /** This connection's one reader, reset for each response. */
  ownReader: ResponseReader;
  cb: RawCallbacks | null;
  pool: ConnectionPool;
  /** Closes the connection while idle, before the server's `Keep-Alive: timeout` would (null: none armed). */
  idleTimer: NodeJS.Timeout | null;
}

/**
 * How long before the server's announced idle timeout (`Keep-Alive: timeout=<s>`) an idle
 * connection is closed, in ms: a request written just as the server closes the connection
 * would fail as a reset that is not the candidate's fault (Node's own server closes idle
 * connections after 5 s and announces `timeout=5`).
 */
export const KEEP_ALIVE_MARGIN_MS = 1000;

/**
 * Keep-alive HTTP/1.1 connections to one `host:port` (over TLS with `tls`: the server's
 * certificate verified as Node's `https` client verifies it, against Node's trusted CAs
 * and `NODE_EXTRA_CA_CERTS`, for `host`; SNI sent for a name, not an address), at most `maxSockets` at once (more
 * requests wait, first come first served), idle ones reused last-in first-out as Node's
 * agent does. Each request is written as one head string plus its body, exactly as
 * `requestBytes` builds it, and its response read by a strict reader with bounded head and
 * chunk lines. A connection is reused only after a complete response that allows it
 * (HTTP/1.1, no `Connection: close`, length-delimited, nothing after it); any error,
 * cancel or doubt closes it.
 *
 * @example
 * const pool = new ConnectionPool('127.0.0.1', 3002, 64);
 * pool.request('GET', '/x', ['Host', 'shop.example'], null, false, { head, body, end, fail });
 */
export class ConnectionPool {
  private readonly idle: Conn[] = [];
  private readonly all = new Set<Conn>();
  private readonly waiting: (() => void)[] = [];

  /** The last TLS session the server gave (`tls`), offered again on a new connection as Node's agent does. */
  private session: Buffer | undefined;

  constructor(
    readonly host: string,
    readonly port: number,
    readonly maxSockets: number,
    /** Over TLS when set: `ca` replaces Node's trusted CAs (a test's own; Tandem's config has no such setting). */
    readonly tls: { ca?: string } | null = null,
  ) {}

  /** Open connections (idle or busy). */
  get size(): number {
    return this.all.size;
  }

  /**
   * Send a request (`head` and `body` from `requestBytes`) and report its response to `cb`. `noBody`:
   * the response has no body whatever its headers say (an answer to HEAD).
   */
  request(head: Buffer, body: Buffer | null, noBody: boolean, cb: RawCallbacks): RawRequest {
    let conn: Conn | null = null;
    let cancelled = false;
    const start = () => {
      if (cancelled) return;
      conn = this.take();
      conn.cb = cb;
      conn.reader = conn.ownReader.reset(noBody, cb);
      if (body) {
        conn.socket.cork();
        conn.socket.write(head);
        conn.socket.write(body);
        conn.socket.uncork();
      } else conn.socket.write(head);
    };
    if (this.idle.length || this.all.size < this.maxSockets) start();
    else this.waiting.push(start);
    return {
      cancel: () => {
        cancelled = true;
        if (conn && conn.cb === cb) this.drop(conn);
        const at = this.waiting.indexOf(start);
        if (at !== -1) this.waiting.splice(at, 1);
      },
    };
  }

  /** Close every connection (a request in flight fails with `ECONNRESET`); the pool can still be used after. */
  destroy(): void {
    for (const c of [...this.all]) this.drop(c, httpError('ECONNRESET', 'socket hang up'));
  }

  private take(): Conn {
    const reused = this.idle.pop();
    if (reused) {
      if (reused.idleTimer) clearTimeout(reused.idleTimer);
      reused.idleTimer = null;
      return reused;
    }
    const socket = this.tls ? this.connectTls() : net.connect({ host: this.host, port: this.port, noDelay: true, keepAlive: true });
    const conn: Conn = { socket, reader: null, ownReader: new ResponseReader(), cb: null, pool: this, idleTimer: null };
    this.all.add(conn);
    socket.on('data', (d: Buffer) => this.data(conn, d));
    socket.on('error', (e: Error) => this.drop(conn, e));
    socket.on('close', () => this.closed(conn));
    return conn;
  }

  /** A TLS connection, verified (see the class); the request written at once waits for the handshake. */
  private connectTls(): tls.TLSSocket {
    // Node's own checks (rejectUnauthorized unless NODE_TLS_REJECT_UNAUTHORIZED=0, the name checked against `host`).
    const socket = tls.connect({
      host: this.host,
      port: this.port,
      servername: net.isIP(this.host) ? undefined : this.host,
      session: this.session,
      ...this.tls,
    });
    socket.setNoDelay(true);
    socket.setKeepAlive(true);
    socket.on('session', (s: Buffer) => (this.session = s));
    return socket;
  }

  private data(conn: Conn, d: Buffer): void {
    const { reader, cb } = conn;
    // Bytes on an idle connection answer nothing we asked: never reuse it.
    if (!reader || !cb) return this.drop(conn);
    try {
      reader.push(d);
    } catch (e) {
      return this.drop(conn, e as Error);
    }
    // A callback may have cancelled the request (a body over the cap): the connection is closed, never reused.
    if (conn.cb !== cb) return;
    if (!reader.done) return;
    conn.reader = null;
    conn.cb = null;
    const ttl = reader.keepAliveMs === null ? null : reader.keepAliveMs - KEEP_ALIVE_MARGIN_MS;
    if (reader.keepAlive && !reader.extra && (ttl === null || ttl > 0)) this.release(conn, ttl);
    else this.drop(conn);
    cb.end();
  }

  private closed(conn: Conn): void {
    const { reader, cb } = conn;
    this.forget(conn);
    if (!reader || !cb) return;
    conn.reader = null;
    conn.cb = null;
    try {
      reader.closed();
    } catch (e) {
      return cb.fail(e as Error);
    }
    cb.end();
  }

  private release(conn: Conn, ttl: number | null): void {
    if (ttl !== null) conn.idleTimer = setTimeout(closeIdle, ttl, conn).unref();
    const next = this.waiting.shift();
    this.idle.push(conn);
    next?.();
  }

  /** Close a connection; its request, if any, fails with `e` (or reports nothing when cancelled). */
  private drop(conn: Conn, e?: Error): void {
    const cb = conn.cb;
    conn.cb = null;
    conn.reader = null;
    this.forget(conn);
    conn.socket.destroy();
    if (cb && e) cb.fail(e);
  }

  /** The server's idle timeout is near: close the connection unless a request took it meanwhile. */
  closeIdle(conn: Conn): void {
    conn.idleTimer = null;
    if (!conn.cb) this.drop(conn);
  }

  private forget(conn: Conn): void {
    if (conn.idleTimer) clearTimeout(conn.idleTimer);
    conn.idleTimer = null;
    if (!this.all.delete(conn)) return;
    const at = this.idle.indexOf(conn);
    if (at !== -1) this.idle.splice(at, 1);
    // A slot is free: a waiting request gets a new connection.
    const next = this.waiting.shift();
    next?.();
  }
}

const closeIdle = (conn: Conn) => conn.pool.closeIdle(conn);
