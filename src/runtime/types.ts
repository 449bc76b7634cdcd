/**
 * The I/O a runtime supplies: serving HTTP and reading static files. Everything else in
 * edge-wsgi is runtime-neutral.
 *
 * @module
 */

import type { ConnInfo, Logger } from "../core/types.ts";

/** A request handler as a runtime module calls it. */
export type RuntimeHandler = (request: Request, info: ConnInfo) => Response | Promise<Response>;

/** Where and how to listen. */
export interface ListenOptions {
  port: number;
  hostname: string;
  /** Lets several processes listen on the same port (Linux `SO_REUSEPORT`). */
  reusePort?: boolean;
  /**
   * Receives a line for an error that escaped the handler, which the runtime answers with a
   * 500: no request may end in an unlogged 500. Defaults to standard error.
   */
  logger?: Logger;
}

/** A server a runtime started. */
export interface RuntimeServer {
  hostname: string;
  port: number;
  /** Stops accepting connections, lets requests in flight finish, then resolves. */
  shutdown(): Promise<void>;
}

/** A file's bytes as a `Response` body: a lazily read stream or a file-backed `Blob`. */
export type FileBody = ReadableStream<Uint8Array> | Blob;

/** The runtime's side of edge-wsgi. */
export interface Runtime {
  name: "deno" | "bun";
  /**
   * Whether a small body is sent faster as a string than as the same bytes. Deno has a
   * fast path for string bodies (a 1 KB file: about 31 µs of CPU per request as text, 35 µs as
   * bytes); Bun sends bytes as they are and encodes a string first.
   */
  textBodies: boolean;
  /**
   * Whether the runtime closes a connection on which a pipelined request arrives while the
   * response ahead of it is still pending past the microtasks that follow its request (Bun,
   * after uWebSockets: oven-sh/bun#38128). Python apps then read a small body before they run,
   * rather than through a JSPI suspension, which takes longer.
   */
  dropsPipelinedBehindPending: boolean;
  serve(handler: RuntimeHandler, options: ListenOptions): RuntimeServer;
  /**
   * Bytes `start` to `end` (inclusive) of a file, read only when the body is read, so a body
   * never read (HEAD) never opens the file, and one cancelled (an aborted download) closes it.
   * `whole` says the range is the whole file, which some runtimes can send faster.
   */
  fileBody(path: string, start: number, end: number, whole?: boolean): FileBody;
  /**
   * The command that runs `entry` in another process of this runtime with the rights this one
   * has (a worker of the command line), or `undefined` when it cannot: Deno without every
   * permission, since a child given `-A` would have more than its parent.
   */
  processCommand(entry: string, options?: { lowMemory?: boolean }): string[] | undefined;
}
