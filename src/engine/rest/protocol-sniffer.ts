/**
 * HTTP/1.1 and cleartext HTTP/2 with prior knowledge on one port (REST-API.md §1.1): a raw TCP
 * server reads the first bytes of each connection and hands the socket to the HTTP/2 server
 * when they are the HTTP/2 connection preface, to the HTTP/1.1 server otherwise. Node's own
 * `allowHTTP1` only works behind TLS with ALPN, hence the sniffing.
 */
import type { Server as HttpServer } from 'node:http';
import type { Http2Server } from 'node:http2';
import { createServer, type Server, type Socket } from 'node:net';

const HTTP2_PREFACE = Buffer.from('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n', 'latin1');

type Verdict = 'http1' | 'http2' | 'undecided';

function classify(head: Buffer): Verdict {
  const n = Math.min(head.length, HTTP2_PREFACE.length);
  if (!head.subarray(0, n).equals(HTTP2_PREFACE.subarray(0, n))) return 'http1';
  return head.length >= HTTP2_PREFACE.length ? 'http2' : 'undecided';
}

export interface DualProtocolListener {
  readonly server: Server;
  /** Every open client socket, so shutdown can end them. */
  readonly sockets: ReadonlySet<Socket>;
}

export function createDualProtocolListener(http1: HttpServer, http2: Http2Server): DualProtocolListener {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    const chunks: Buffer[] = [];
    const onData = (chunk: Buffer): void => {
      chunks.push(chunk);
      const head = Buffer.concat(chunks);
      const verdict = classify(head);
      if (verdict === 'undecided') return;
      socket.removeListener('data', onData);
      socket.removeListener('error', onEarlyError);
      // The sniffed bytes must reach the chosen server's parser first. Both servers read
      // straight from the socket handle; the HTTP/2 session then drains whatever sits in the
      // stream's buffer, while the HTTP/1.1 server only sees bytes through 'data' events.
      if (verdict === 'http2') {
        socket.pause();
        socket.unshift(head);
        http2.emit('connection', socket);
      } else {
        http1.emit('connection', socket);
        socket.emit('data', head);
      }
    };
    const onEarlyError = (): void => {
      socket.destroy();
    };
    socket.on('data', onData);
    socket.on('error', onEarlyError);
  });
  return { server, sockets };
}
