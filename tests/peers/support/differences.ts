/**
 * What Deno's and Bun's HTTP servers decide before (or after) edge-wsgi sees a request, where
 * the peers' suites expect otherwise. Each entry is asserted per runtime by the test that meets
 * it, so a runtime upgrade that changes one fails that test, and each is listed in docs/WSGI.md
 * ("Where Deno and Bun differ"), which tests/peers/differences_doc_test.ts checks.
 *
 * @module
 */

import type { RuntimeName } from "./peer_server.ts";

/**
 * What a runtime does with a request: lets the app answer it (`"served"`), answers it itself
 * with a status, or closes the connection without an answer (`"closed"`); a list when it
 * depends on timing.
 */
export type Outcome = "served" | "closed" | number | ("served" | "closed" | number)[];

/** One runtime behaviour: what each runtime does, and the upstream issue, if there is one. */
export interface Difference<T> {
  /** What docs/WSGI.md says about it, in a few words it must contain. */
  doc: string;
  /** The upstream issue or pull request, or the rule the behaviour follows. */
  reference: string;
  deno: T;
  bun: T;
}

/** Every runtime behaviour the peers' suites meet. */
export const DIFFERENCES = {
  /** The version in the status line of the answer to an HTTP/1.0 request. */
  statusLineToHttp10: {
    doc: "status line",
    // RFC 9110 §6.2: a server sends the highest minor version it supports (Bun's choice).
    reference: "https://www.rfc-editor.org/rfc/rfc9110#section-6.2",
    deno: "HTTP/1.0",
    bun: "HTTP/1.1",
  },
  /** Whether an HTTP/1.0 `Connection: keep-alive` request keeps its connection (whole body). */
  http10KeepAlive: {
    doc: "**HTTP/1.0 keep-alive:**",
    reference: "https://github.com/oven-sh/bun/pull/32945",
    deno: true,
    bun: false,
  },
  /**
   * The same for a streamed body with the app's `Content-Length`: Deno answers
   * `Connection: keep-alive` and then closes the connection anyway.
   */
  http10KeepAliveStreamed: {
    doc: "**HTTP/1.0 keep-alive:**",
    reference: "no upstream issue found",
    deno: false,
    bun: false,
  },
  /** Whether the app's `Content-Length` reaches the wire with a streamed body. */
  streamedContentLength: {
    doc: "**A streamed body with your `Content-Length`:**",
    reference: "https://github.com/oven-sh/bun/issues/10507",
    deno: true,
    bun: false,
  },
  /** What an HTTP/1.1 request without `Host` gets (RFC 9112 §3.2 says 400). */
  http11WithoutHost: {
    doc: "without a `Host`",
    reference: "https://www.rfc-editor.org/rfc/rfc9112#section-3.2",
    deno: "served",
    bun: 400,
  } as Difference<Outcome>,
  /** Whether a body sent with `GET` (or `HEAD`) reaches `wsgi.input`: a Fetch `Request` drops it. */
  getBody: {
    doc: "`GET` or `HEAD` with a body",
    reference: "https://github.com/whatwg/fetch/issues/551",
    deno: false,
    bun: false,
  },
  /**
   * What a malformed chunked request body gets: Bun's 400; on Deno a close with no answer, or,
   * when the app's read of the body failed first, edge-wsgi's 400 for an incomplete body.
   */
  malformedChunked: {
    doc: "malformed chunked body",
    reference: "no upstream issue found",
    deno: ["closed", 400],
    bun: 400,
  } as Difference<Outcome>,
  /** Whether a chunk extension with an empty value (`20;x=`) is accepted. */
  emptyChunkExtensionValue: {
    doc: "chunk extension",
    reference: "https://www.rfc-editor.org/rfc/rfc9112#section-7.1.1",
    deno: true,
    bun: true,
  },
  /** Whether the runtime's own 400 for a malformed request carries a `Date`. */
  dateOnParserErrors: {
    doc: "own 400",
    reference: "https://www.rfc-editor.org/rfc/rfc9110#section-6.6.1",
    deno: true,
    bun: false,
  },
  /** Whether a request's `Connection: close` is echoed in the response (both close after). */
  echoesConnectionClose: {
    doc: "`Connection: close`",
    reference: "https://github.com/oven-sh/bun/pull/35555",
    deno: true,
    bun: false,
  },
  /**
   * Whether every request pipelined in one write is answered. Bun closes the connection when a
   * request arrives behind an answer not ready in time (an app waiting for I/O, a Python app
   * reading a chunked body, any app on a busy server): what came before is right.
   */
  pipelinedBehindPending: {
    doc: "**Pipelining:**",
    reference: "https://github.com/oven-sh/bun/pull/38128",
    deno: true,
    bun: false,
  },
  /** Whether `OPTIONS * HTTP/1.1` reaches edge-wsgi (RFC 9112 §3.2.4 allows the asterisk form). */
  asteriskForm: {
    doc: "`OPTIONS *`",
    reference: "https://www.rfc-editor.org/rfc/rfc9112#section-3.2.4",
    deno: "served",
    bun: 400,
  } as Difference<Outcome>,
  /** `SERVER_PROTOCOL` of an HTTP/1.0 request: neither runtime tells a handler the version. */
  serverProtocol: {
    doc: "SERVER_PROTOCOL",
    reference: "https://github.com/denoland/deno/issues/29873",
    deno: "HTTP/1.1",
    bun: "HTTP/1.1",
  },
  /** Whether characters the URL standard escapes in a query (`"`, raw bytes) reach it raw. */
  rawQuery: {
    doc: "query",
    reference: "https://url.spec.whatwg.org/#query-percent-encode-set",
    deno: true,
    bun: false,
  },
  /** A request line Bun's parser cannot read (bad version, bytes in the method, bare LFs). */
  malformedRequestLine: {
    doc: "505",
    reference: "https://github.com/oven-sh/bun/issues/19326",
    deno: 400,
    bun: 505,
  } as Difference<Outcome>,
  /** `Transfer-Encoding: identity` (no longer a registered coding, RFC 9112 §7). */
  identityCoding: {
    doc: "Transfer-Encoding: identity",
    reference: "https://www.rfc-editor.org/rfc/rfc9112#section-6.1",
    deno: 400,
    bun: 400,
  } as Difference<Outcome>,
  /** An unknown coding before chunked (`gzip, chunked`): Deno passes the body on undecoded. */
  otherCodings: {
    doc: "`gzip, chunked`",
    reference: "https://www.rfc-editor.org/rfc/rfc9112#section-6.1",
    deno: "served",
    bun: 400,
  } as Difference<Outcome>,
  /** Chunk extensions with spaces before `;` or a quoted value (RFC 9112 §7.1.1 allows both). */
  chunkExtensions: {
    doc: "**Chunk extensions:**",
    reference: "no upstream issue found",
    deno: "served",
    bun: 400,
  } as Difference<Outcome>,
  /** Whitespace around a chunk size (`0 `, ` 0`), which RFC 9112 §7.1 does not allow. */
  chunkSizeWhitespace: {
    doc: "chunk size",
    reference: "https://www.rfc-editor.org/rfc/rfc9112#section-7.1",
    deno: "served",
    bun: 400,
  } as Difference<Outcome>,
  /**
   * Trailer fields: Deno reads and drops them; Bun reads them as the next request's head, so the
   * app's answer goes out only if it was ready first, then Bun's 400 and a close.
   */
  trailers: {
    doc: "**Trailer fields**",
    reference: "https://github.com/oven-sh/bun/pull/32887",
    deno: "served",
    bun: ["served", 400],
  } as Difference<Outcome>,
  /** A method that is a token but no known one (`-FROB`, RFC 9110 §9.1). */
  unknownMethod: {
    doc: "method",
    reference: "https://www.rfc-editor.org/rfc/rfc9110#section-9.1",
    deno: "served",
    bun: "closed",
  } as Difference<Outcome>,
  /** Userinfo in an absolute-form target: Deno keeps it, and edge-wsgi's host check says 400. */
  absoluteFormUserinfo: {
    doc: "userinfo",
    reference: "https://www.rfc-editor.org/rfc/rfc9110#section-4.2.4",
    deno: 400,
    bun: "served",
  } as Difference<Outcome>,
  /** DEL (or other controls but CR, LF, NUL) in a field value (RFC 9110 §5.5: MAY keep). */
  controlsInFieldValues: {
    doc: "DEL",
    reference: "https://www.rfc-editor.org/rfc/rfc9110#section-5.5",
    deno: 400,
    bun: "served",
  } as Difference<Outcome>,
  /**
   * A chunked body whose input ends right after the last chunk's size line: Bun takes the body
   * as whole, and answers if the app is quicker than Bun's close at the end of the input.
   */
  lastChunkCut: {
    doc: "last chunk",
    reference: "https://github.com/oven-sh/bun/pull/32887",
    deno: 400,
    bun: ["served", "closed"],
  } as Difference<Outcome>,
  /** `CONNECT [::1]:443`: an IPv6 literal in the authority form (RFC 9112 §3.2.3). */
  connectIpv6: {
    doc: "**`CONNECT`:**",
    reference: "https://www.rfc-editor.org/rfc/rfc9112#section-3.2.3",
    deno: "served",
    bun: 400,
  } as Difference<Outcome>,
  /** Whether a handler's `Connection: close` (edge-wsgi's 400s and 413s) closes the connection. */
  handlerConnectionClose: {
    doc: "handler's `Connection: close`",
    reference: "https://github.com/denoland/deno/issues/9411",
    deno: false,
    bun: true,
  },
} satisfies Record<string, Difference<unknown>>;

/** The name of a runtime behaviour in {@linkcode DIFFERENCES}. */
export type DifferenceName = keyof typeof DIFFERENCES;

/** The value of a difference for a runtime. */
export function on<T>(difference: Difference<T>, runtime: RuntimeName): T {
  return difference[runtime];
}
