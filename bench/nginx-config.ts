/** What the nginx mirror configuration needs. */
export interface NginxMirrorOptions {
  /** A private folder for the pid file, logs and temp files. */
  dir: string;
  port: number;
  legacy: string;
  candidate: string;
  /** Run the worker as root (only meaningful when started as root). */
  asRoot: boolean;
}

/**
 * nginx.conf for "nginx with its mirror module": one worker process (one core, like
 * the Node proxies), keep-alive upstream pools to legacy and candidate, every
 * request mirrored to the candidate (`mirror` + `mirror_request_body`), access log off.
 *
 * @example
 * writeFileSync(`${dir}/nginx.conf`, nginxMirrorConfig({ dir, port: 8081, legacy: 'http://127.0.0.1:3001', candidate: 'http://127.0.0.1:3002', asRoot: false }));
 */
export function nginxMirrorConfig(o: NginxMirrorOptions): string {
  const hostPort = (url: string) => new URL(url).host;
  return `${o.asRoot ? 'user root;\n' : ''}worker_processes 1;
daemon off;
pid ${o.dir}/nginx.pid;
error_log ${o.dir}/error.log crit;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path ${o.dir}/client_body;
  proxy_temp_path ${o.dir}/proxy;
  fastcgi_temp_path ${o.dir}/fastcgi;
  uwsgi_temp_path ${o.dir}/uwsgi;
  scgi_temp_path ${o.dir}/scgi;
  keepalive_timeout 65s;
  keepalive_requests 1000000;
  upstream legacy { server ${hostPort(o.legacy)}; keepalive 256; keepalive_requests 1000000; }
  upstream candidate { server ${hostPort(o.candidate)}; keepalive 256; keepalive_requests 1000000; }
  server {
    listen 127.0.0.1:${o.port};
    proxy_http_version 1.1;
    proxy_set_header Connection "";
    proxy_buffers 16 16k;
    location / {
      mirror /_mirror;
      mirror_request_body on;
      proxy_pass http://legacy;
    }
    location = /_mirror {
      internal;
      proxy_set_header Connection "";
      proxy_set_header X-Tandem-Shadow 1;
      proxy_connect_timeout 2s;
      proxy_read_timeout 2s;
      proxy_pass http://candidate$request_uri;
    }
  }
}
`;
}
