/**
 * The types of the WSGI-style interface: what an app receives and what it returns.
 *
 * PEP 3333 adapted to JavaScript as the adapter's contract, `docs/WSGI.md`, decides: `environ` is
 * a plain object, `wsgi.input` is read with `await`, and a body may be a sync or async iterable.
 *
 * @module
 */

/** One piece of a response body: bytes, or a string sent as UTF-8. */
export type BodyChunk = Uint8Array | string;

/** What an app returns: an iterable or async iterable of chunks, optionally with `close()`. */
export type AppResult =
  & (Iterable<BodyChunk> | AsyncIterable<BodyChunk>)
  & { close?: () => void | Promise<void> };

/** The legacy imperative output returned by `start_response`. */
export type Write = (chunk: BodyChunk) => void;

/** A response header as WSGI gives it: `[name, value]`. */
export type HeaderPair = [name: string, value: string];

/**
 * `start_response(status, headers, excInfo?)`: sets the status and headers of the response.
 * `excInfo` is the caught error when an app replaces an earlier status after a failure.
 */
export type StartResponse = (
  status: string,
  headers: HeaderPair[],
  excInfo?: unknown,
) => Write;

/** A WSGI-style application: `app(environ, startResponse)`. */
export type WsgiApp = (
  environ: Environ,
  startResponse: StartResponse,
) => AppResult | Promise<AppResult>;

/** `wsgi.input`: the request body, streamed. Every method returns bytes. */
export interface WsgiInput extends AsyncIterable<Uint8Array> {
  /** Reads `size` bytes (fewer only at the end); all that is left when `size` is omitted or negative. */
  read(size?: number): Promise<Uint8Array>;
  /** Reads one line including its `\n`, at most `size` bytes. */
  readline(size?: number): Promise<Uint8Array>;
  /** Reads lines until their total length reaches `hint` (all lines when omitted). */
  readlines(hint?: number): Promise<Uint8Array[]>;
}

/** `wsgi.errors`: a text stream to the server's error log. */
export interface WsgiErrors {
  write(text: string): void;
  writelines(lines: Iterable<string>): void;
  flush(): void;
}

/** `wsgi.file_wrapper`: turns a file-like object, or a file path, into an efficient body. */
export type FileWrapper = (file: FileLike | string, blockSize?: number) => AppResult;

/** A file-like object as `wsgi.file_wrapper` accepts it: `read(size)`, optionally `close()`. */
export interface FileLike {
  read(size: number): BodyChunk | Promise<BodyChunk>;
  close?: () => void | Promise<void>;
}

/** The request environment, with the keys PEP 3333 and CGI define and our `edge_wsgi.*` extensions. */
export interface Environ {
  REQUEST_METHOD: string;
  SCRIPT_NAME: string;
  PATH_INFO: string;
  QUERY_STRING: string;
  CONTENT_TYPE?: string;
  CONTENT_LENGTH?: string;
  SERVER_NAME: string;
  SERVER_PORT: string;
  SERVER_PROTOCOL: string;
  REMOTE_ADDR?: string;
  REMOTE_PORT?: string;
  "wsgi.version": [1, 0];
  "wsgi.url_scheme": string;
  "wsgi.input": WsgiInput;
  "wsgi.errors": WsgiErrors;
  "wsgi.multithread": boolean;
  "wsgi.multiprocess": boolean;
  "wsgi.run_once": boolean;
  "wsgi.input_terminated": boolean;
  "wsgi.file_wrapper": FileWrapper;
  /** The original Fetch `Request`. */
  "edge_wsgi.request": Request;
  /** Fires when the client goes away before the response is complete. */
  "edge_wsgi.signal": AbortSignal;
  [key: string]: unknown;
}

/** An address as the runtime reports it. */
export interface NetAddr {
  hostname: string;
  port: number;
}

/**
 * A client's address, whose port may be unknown: Cloudflare Workers tell only the address
 * (`CF-Connecting-IP`). Then `REMOTE_PORT` is left out, as CGI allows.
 */
export interface PeerAddr {
  hostname: string;
  port?: number;
}

/** What the runtime knows of the connection a request arrived on. */
export interface ConnInfo {
  remoteAddr?: PeerAddr;
  /**
   * Looks the peer up on demand, for runtimes where that costs (Bun's `requestIP()`); used
   * when `remoteAddr` is absent.
   */
  peer?: () => PeerAddr | undefined;
  localAddr?: NetAddr;
  /** For example `"HTTP/1.1"`, where the runtime tells it. */
  protocol?: string;
  /**
   * The scheme the connection speaks, where the server knows it. It wins over the request URL's
   * scheme, which on Deno an absolute-form target (`GET https://host/ HTTP/1.1`) sets, whatever
   * the connection.
   */
  scheme?: "http" | "https";
  /**
   * Keeps the request's work alive after its response has gone out, where a runtime stops it
   * otherwise (Cloudflare Workers' `ctx.waitUntil`): the adapter hands it the body's `close()`.
   */
  waitUntil?: (work: Promise<unknown>) => void;
}

/** Receives one line for the error log. */
export type Logger = (line: string) => void;
