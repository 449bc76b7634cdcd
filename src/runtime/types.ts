/**
 * The I/O a runtime supplies: serving HTTP and reading static files. Everything else in
 * edge-wsgi is runtime-neutral.
 *
 * @module
 */

import type { ConnInfo } from "../types.ts";

/** A request handler as a runtime module calls it. */
export type RuntimeHandler = (request: Request, info: ConnInfo) => Response | Promise<Response>;

/** Where and how to listen. */
export interface ListenOptions {
  port: number;
  hostname: string;
}

/** A server a runtime started. */
export interface RuntimeServer {
  hostname: string;
  port: number;
  /** Stops accepting connections, lets requests in flight finish, then resolves. */
  shutdown(): Promise<void>;
}

/** A file for Hono's serve-static: something a `Response` can take as its body. */
export type StaticContent = ReadableStream<Uint8Array> | Blob;

/** The runtime's side of edge-wsgi. */
export interface Runtime {
  name: "deno" | "bun";
  serve(handler: RuntimeHandler, options: ListenOptions): RuntimeServer;
  /** A regular file's content and size, or `null` when there is no such file. */
  openFile(path: string): Promise<{ body: StaticContent; size: number } | null>;
  /** Whether the path is a directory. */
  isDirectory(path: string): Promise<boolean>;
}
