/**
 * An access-log line per request, in gunicorn's format language.
 *
 * @module
 */

import type { ConnInfo } from "../core/types.ts";
import { unmapIpv4 } from "../core/address.ts";
import { requestTarget } from "../core/request_target.ts";
import { bodyLength } from "../core/body_length.ts";
import { NO_BODY_STATUSES } from "../core/respond.ts";

/** What one request leaves for its log line. */
export interface AccessRecord {
  request: Request;
  response: Response;
  /** The client's address (after trusted proxies), or `-`. */
  remoteAddr: string;
  /** The body's bytes as sent. */
  bytes: number;
  /** When the request arrived, in ms since the epoch. */
  start: number;
  /** How long it took until the body was sent, in ms. */
  durationMs: number;
}

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
// An atom: %(x)s, or %({name}i)s for a header. One group, so that split() keeps the names.
const ATOM = /%\(([a-zA-Z]|\{[^}]+\}[ioe])\)s/;

/**
 * Formats a log line with gunicorn's atoms: `h` remote address, `l` `-`, `u` user (from Basic
 * auth), `t` time, `r` request line, `m` method, `U` path, `q` query, `H` protocol, `s` status,
 * `B`/`b` bytes (`b` is `-` for none), `f` referer, `a` user agent, `T`/`M`/`D`/`L` duration in
 * s/ms/µs/decimal s, `p` process id, `{name}i` a request header, `{name}o` a response header.
 *
 * @example
 * ```ts
 * import { formatAccessLine } from "./access_log.ts";
 * const line = formatAccessLine("%(m)s %(s)s", {
 *   request: new Request("http://x/"),
 *   response: new Response("hi"),
 *   remoteAddr: "192.0.2.7",
 *   bytes: 2,
 *   start: Date.now(),
 *   durationMs: 1,
 * }, 42);
 * line; // "GET 200"
 * ```
 */
export function formatAccessLine(format: string, record: AccessRecord, pid: number): string {
  return compileAccessFormat(format, pid)(record);
}

/**
 * A format read once into the function that writes its lines, for a server that writes one a
 * request: the text between the atoms is split out once, each atom becomes the function that
 * fills it, the request target is looked at only when an atom needs it, and the time is
 * formatted once a second.
 *
 * @param format The format, in gunicorn's atoms (see {@linkcode formatAccessLine})
 * @param pid The process id `%(p)s` writes
 * @returns A function writing the line of one request, as {@linkcode formatAccessLine} would
 * @example
 * ```ts
 * import { compileAccessFormat } from "./access_log.ts";
 * const line = compileAccessFormat("%(m)s %(U)s", 1);
 * line({
 *   request: new Request("http://x/a?b"),
 *   response: new Response(null),
 *   remoteAddr: "-",
 *   bytes: 0,
 *   start: 0,
 *   durationMs: 0,
 * }); // "GET /a"
 * ```
 */
export function compileAccessFormat(
  format: string,
  pid: number,
): (record: AccessRecord) => string {
  // The time of the last line, which every line written in the same second repeats.
  let second = NaN;
  let time = "";
  const timeOf = (start: number) => {
    const now = Math.floor(start / 1000);
    if (now !== second) {
      second = now;
      time = `[${logTime(new Date(start))}]`;
    }
    return time;
  };
  // Split on the atoms, whose names are kept: text, atom, text, atom, …, text.
  const parts = format.split(ATOM);
  const texts: string[] = [];
  const atoms: Atom[] = [];
  let needsTarget = false;
  for (let i = 0; i < parts.length; i += 2) {
    texts.push(parts[i]);
    if (i + 1 < parts.length) {
      const name = parts[i + 1];
      atoms.push(name === "t" ? (record) => timeOf(record.start) : atomOf(name, pid));
      if (name === "r" || name === "U" || name === "q") needsTarget = true;
    }
  }
  return function accessLine(record) {
    const target = needsTarget ? requestTarget(record.request.url) : "";
    const queryAt = needsTarget ? target.indexOf("?") : -1;
    let text = texts[0];
    for (let i = 0; i < atoms.length; i++) text += atoms[i](record, target, queryAt) + texts[i + 1];
    return text;
  };
}

// Fills one atom from a request's record, its request target and where the target's query starts.
type Atom = (record: AccessRecord, target: string, queryAt: number) => string;

function atomOf(atom: string, pid: number): Atom {
  if (atom.startsWith("{")) {
    const name = atom.slice(1, atom.indexOf("}"));
    if (atom.endsWith("o")) return (record) => record.response.headers.get(name) ?? "-";
    return (record) => record.request.headers.get(name) ?? "-";
  }
  switch (atom) {
    case "h":
      return (record) => record.remoteAddr;
    case "u":
      return (record) => basicAuthUser(record.request.headers.get("authorization")) ?? "-";
    case "r":
      return (record, target) => `${record.request.method} ${target} HTTP/1.1`;
    case "m":
      return (record) => record.request.method;
    case "U":
      return (_, target, queryAt) => queryAt === -1 ? target : target.slice(0, queryAt);
    case "q":
      return (_, target, queryAt) => queryAt === -1 ? "" : target.slice(queryAt + 1);
    case "H":
      return () => "HTTP/1.1";
    case "s":
      return (record) => String(record.response.status);
    case "B":
      return (record) => String(record.bytes);
    case "b":
      return (record) => record.bytes === 0 ? "-" : String(record.bytes);
    case "f":
      return (record) => record.request.headers.get("referer") ?? "-";
    case "a":
      return (record) => record.request.headers.get("user-agent") ?? "-";
    case "T":
      return (record) => String(Math.floor(record.durationMs / 1000));
    case "M":
      return (record) => String(Math.round(record.durationMs));
    case "D":
      return (record) => String(Math.round(record.durationMs * 1000));
    case "L":
      return (record) => (record.durationMs / 1000).toFixed(6);
    case "p":
      return () => `<${pid}>`;
    default:
      // "l", and any letter gunicorn has no atom for.
      return () => "-";
  }
}

/** Options for {@linkcode withAccessLog}. */
export interface AccessLogOptions {
  /** The format, in gunicorn's atoms. */
  format: string;
  /** Receives each line. */
  write: (line: string) => void;
  /** The client's address for a request (after trusted proxies); defaults to the peer. */
  clientAddress?: (request: Request, info: ConnInfo) => string | undefined;
  pid?: number;
}

/**
 * Wraps a Fetch handler so that each response is logged once its body has been sent (or the
 * client went away). A body of known length is logged at once and passed through untouched,
 * keeping `sendfile`; only a streamed body is counted on its way out. A response the handler
 * gives back at once goes back at once (the runtimes answer it faster than a promise of it);
 * an error, thrown or in a promise, comes back as a rejected promise.
 *
 * @example
 * ```ts
 * import { withAccessLog } from "./access_log.ts";
 * const handler = withAccessLog(() => new Response("hi"), {
 *   format: "%(h)s %(r)s %(s)s",
 *   write: console.log,
 * });
 * await handler(new Request("http://x/"), { remoteAddr: { hostname: "192.0.2.7" } });
 * // logs "192.0.2.7 GET / HTTP/1.1 200"
 * ```
 */
export function withAccessLog(
  handler: (request: Request, info: ConnInfo) => Response | Promise<Response>,
  options: AccessLogOptions,
): (request: Request, info: ConnInfo) => Response | Promise<Response> {
  const line = compileAccessFormat(options.format, options.pid ?? 0);
  const write = options.write;
  const clientAddress = options.clientAddress;
  return function accessLogged(request, info) {
    const start = Date.now();
    try {
      const response = handler(request, info);
      if (response instanceof Response) return logged(response, request, info, start);
      return Promise.resolve(response).then((sent) => logged(sent, request, info, start));
    } catch (error) {
      return Promise.reject(error);
    }
  };

  // Logs `response` now, or once its streamed body has ended; returns what is to be sent.
  function logged(response: Response, request: Request, info: ConnInfo, start: number): Response {
    const remoteAddr = clientAddress?.(request, info) ??
      (info.remoteAddr ?? info.peer?.())?.hostname ?? "-";
    const log = (bytes: number) =>
      write(line({
        request,
        response,
        remoteAddr: unmapIpv4(remoteAddr),
        bytes,
        start,
        durationMs: Date.now() - start,
      }));
    if (request.method === "HEAD" || NO_BODY_STATUSES.has(response.status)) {
      log(0);
      return response;
    }
    // A body of known length (noted by the adapter, or declared) goes out as it is: wrapping
    // it would make the runtime send it chunked, without its Content-Length. Known before
    // `response.body` is touched, which on Deno turns a string or bytes body into a stream.
    const length = bodyLength(response);
    if (length !== undefined || response.body === null) {
      log(length ?? 0);
      return response;
    }
    let bytes = 0;
    let done = false;
    const once = () => {
      if (!done) log(bytes);
      done = true;
    };
    const counted = response.body.pipeThrough(
      new TransformStream<Uint8Array, Uint8Array>({
        transform(chunk, controller) {
          bytes += chunk.length;
          controller.enqueue(chunk);
        },
        flush: once,
        cancel: once,
      }),
    );
    return new Response(counted, response);
  }
}

function logTime(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${pad(date.getUTCDate())}/${MONTHS[date.getUTCMonth()]}/${date.getUTCFullYear()}:` +
    `${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())} +0000`;
}

function basicAuthUser(header: string | null): string | undefined {
  if (!header?.toLowerCase().startsWith("basic ")) return undefined;
  try {
    const decoded = atob(header.slice(6).trim());
    return decoded.slice(0, decoded.indexOf(":") === -1 ? undefined : decoded.indexOf(":"));
  } catch {
    return undefined;
  }
}
