/**
 * A small keep-alive load generator over raw sockets, as wrk behaves: each connection sends a GET,
 * reads the response (framed by `Content-Length`), and sends the next at once; it reconnects
 * after `Connection: close` or a failure. It counts what a client would see, including which
 * worker answered (the body's `pid`, as `whoami.ts` gives it), so a test can tell which requests
 * a worker's death cost.
 *
 * @module
 */

import { connect, type Socket } from "node:net";

/** What the load saw so far. */
export interface LoadStats {
  /** Responses with status 200. */
  ok: number;
  /** Requests sent that got no complete response (reset, closed, or another status). */
  failed: number;
  /**
   * Each failed request: the worker that had answered on its connection (0 for a connection that
   * never got an answer), and when that connection was opened (ms since the epoch).
   */
  failures: { pid: number; openedAt: number }[];
  /** Connections refused (nothing listening). */
  refused: number;
  /** Responses by the worker `pid` in their body. */
  byPid: Map<number, number>;
  /** When each worker answered first, in ms since the epoch. */
  firstSeen: Map<number, number>;
  /** When the last response with status 200 arrived. */
  lastOk: number;
}

/** A running load. */
export interface Load {
  stats: LoadStats;
  /** The worker each connection's last response came from. */
  connectionPids(): (number | undefined)[];
  /** Stops sending, and resolves once every connection is closed. */
  stop(): Promise<LoadStats>;
}

/**
 * Starts `connections` keep-alive connections to `127.0.0.1:port`, each sending `GET path`
 * again and again until {@linkcode Load.stop}, `pauseMs` after each response (default 0: at
 * once, as wrk; a pause leaves the machine's cores some room, for a test that needs a process to
 * start meanwhile).
 */
export function startLoad(
  port: number,
  path: string,
  connections: number,
  options: { pauseMs?: number } = {},
): Load {
  const stats: LoadStats = {
    ok: 0,
    failed: 0,
    failures: [],
    refused: 0,
    byPid: new Map(),
    firstSeen: new Map(),
    lastOk: 0,
  };
  let running = true;
  const lastPids: (number | undefined)[] = new Array(connections).fill(undefined);
  const done: Promise<void>[] = [];
  const request = `GET ${path} HTTP/1.1\r\nHost: localhost\r\n\r\n`;

  const runConnection = (index: number) =>
    new Promise<void>((finished) => {
      const open = () => {
        if (!running) return finished();
        const socket: Socket = connect(port, "127.0.0.1");
        let buffer = Buffer.alloc(0);
        let inFlight = false;
        let socketPid = 0;
        const openedAt = Date.now();
        let connected = false;
        let closing = false;
        const send = () => {
          if (!running) {
            socket.end();
            return;
          }
          inFlight = true;
          socket.write(request);
        };
        socket.on("connect", () => {
          connected = true;
          send();
        });
        socket.on("data", (data) => {
          buffer = Buffer.concat([buffer, data]);
          for (;;) {
            const end = buffer.indexOf("\r\n\r\n");
            if (end === -1) return;
            const head = buffer.subarray(0, end).toString("latin1");
            const length = Number(/\r\ncontent-length: *(\d+)/i.exec(head)?.[1] ?? 0);
            if (buffer.length < end + 4 + length) return;
            const body = buffer.subarray(end + 4, end + 4 + length).toString();
            buffer = buffer.subarray(end + 4 + length);
            inFlight = false;
            const status = Number(head.slice(9, 12));
            if (status === 200) {
              stats.ok++;
              stats.lastOk = Date.now();
              const pid = Number(/"pid":(\d+)/.exec(body)?.[1]);
              if (pid) {
                socketPid = pid;
                lastPids[index] = pid;
                stats.byPid.set(pid, (stats.byPid.get(pid) ?? 0) + 1);
                if (!stats.firstSeen.has(pid)) stats.firstSeen.set(pid, Date.now());
              }
            } else {
              stats.failed++;
              stats.failures.push({ pid: socketPid, openedAt });
            }
            if (/\r\nconnection: *close/i.test(head)) {
              closing = true;
              socket.end();
              return;
            }
            if (options.pauseMs) {
              setTimeout(send, options.pauseMs);
              return;
            }
            send();
          }
        });
        socket.on("error", () => {});
        socket.on("close", () => {
          if (!connected) stats.refused++;
          else if (inFlight && !closing) {
            stats.failed++;
            stats.failures.push({ pid: socketPid, openedAt });
          }
          if (!running) return finished();
          // wrk reconnects at once; a refused connect is retried a little later.
          setTimeout(open, connected ? 0 : 10);
        });
      };
      open();
    });

  for (let i = 0; i < connections; i++) done.push(runConnection(i));
  return {
    stats,
    connectionPids: () => [...lastPids],
    async stop() {
      running = false;
      await Promise.all(done);
      return stats;
    },
  };
}
