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
const ATOM = /%\(([a-zA-Z]|\{[^}]+\}[ioe])\)s/g;

/**
 * Formats a log line with gunicorn's atoms: `h` remote address, `l` `-`, `u` user (from Basic
 * auth), `t` time, `r` request line, `m` method, `U` path, `q` query, `H` protocol, `s` status,
 * `B`/`b` bytes (`b` is `-` for none), `f` referer, `a` user agent, `T`/`M`/`D`/`L` duration in
 * s/ms/µs/decimal s, `p` process id, `{name}i` a request header, `{name}o` a response header.
 */
export function formatAccessLine(format: string, record: AccessRecord, pid: number): string {
  const { request, response } = record;
  const target = requestTarget(request.url);
  const queryAt = target.indexOf("?");
  return format.replace(ATOM, (_, atom: string) => {
    if (atom.startsWith("{")) {
      const name = atom.slice(1, atom.indexOf("}"));
      const headers = atom.endsWith("o") ? response.headers : request.headers;
      return headers.get(name) ?? "-";
    }
    switch (atom) {
      case "h":
        return record.remoteAddr;
      case "l":
        return "-";
      case "u":
        return basicAuthUser(request.headers.get("authorization")) ?? "-";
      case "t":
        return `[${logTime(new Date(record.start))}]`;
      case "r":
        return `${request.method} ${target} HTTP/1.1`;
      case "m":
        return request.method;
      case "U":
        return queryAt === -1 ? target : target.slice(0, queryAt);
      case "q":
        return queryAt === -1 ? "" : target.slice(queryAt + 1);
      case "H":
        return "HTTP/1.1";
      case "s":
        return String(response.status);
      case "B":
        return String(record.bytes);
      case "b":
        return record.bytes === 0 ? "-" : String(record.bytes);
      case "f":
        return request.headers.get("referer") ?? "-";
      case "a":
        return request.headers.get("user-agent") ?? "-";
      case "T":
        return String(Math.floor(record.durationMs / 1000));
      case "M":
        return String(Math.round(record.durationMs));
      case "D":
        return String(Math.round(record.durationMs * 1000));
      case "L":
        return (record.durationMs / 1000).toFixed(6);
      case "p":
        return `<${pid}>`;
      default:
        return "-";
    }
  });
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
 * keeping `sendfile`; only a streamed body is counted on its way out.
 */
export function withAccessLog(
  handler: (request: Request, info: ConnInfo) => Response | Promise<Response>,
  options: AccessLogOptions,
) {
  const pid = options.pid ?? 0;
  return async function accessLogged(request: Request, info: ConnInfo): Promise<Response> {
    const start = Date.now();
    const response = await handler(request, info);
    const remoteAddr = options.clientAddress?.(request, info) ??
      (info.remoteAddr ?? info.peer?.())?.hostname ?? "-";
    const log = (bytes: number) =>
      options.write(formatAccessLine(options.format, {
        request,
        response,
        remoteAddr: unmapIpv4(remoteAddr),
        bytes,
        start,
        durationMs: Date.now() - start,
      }, pid));
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
    let logged = false;
    const once = () => {
      if (!logged) log(bytes);
      logged = true;
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
  };
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
