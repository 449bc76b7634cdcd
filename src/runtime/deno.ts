/**
 * The Deno runtime: `Deno.serve` and `Deno.open`.
 *
 * @module
 */

import { describe } from "../core/describe_error.ts";
import { stderrLogger } from "../core/errors_stream.ts";
import type { Runtime } from "./types.ts";

/** Tells whether this is Deno. */
export function isDeno(): boolean {
  return typeof (globalThis as { Deno?: unknown }).Deno !== "undefined";
}

/** Deno's I/O for edge-wsgi. */
export const denoRuntime: Runtime = {
  name: "deno",
  textBodies: true,
  dropsPipelinedBehindPending: false,

  serve(handler, { port, hostname, reusePort, logger = stderrLogger }) {
    const server = Deno.serve({
      port,
      hostname,
      reusePort,
      onListen: () => {},
      onError: (error) => {
        // A response body edge-wsgi aborted after logging why carries no reason (respond.ts).
        if (error !== undefined) logger(`Error in a request: ${describe(error)}`);
        return new Response("Internal Server Error\n", { status: 500 });
      },
    }, (request, info) =>
      // remoteAddr is a getter that costs an op: looked up only when something asks. This
      // listener speaks plain HTTP, whatever scheme an absolute-form target puts in the URL.
      handler(request, { peer: () => info.remoteAddr, localAddr: local, scheme: "http" }));
    const addr = server.addr as Deno.NetAddr;
    const local = { hostname: addr.hostname, port: addr.port };
    return {
      ...local,
      async shutdown() {
        await server.shutdown();
      },
    };
  },

  fileBody(path, start, end, whole) {
    // A whole file goes out as the file's own stream, which Deno pipes to the socket from its
    // resource without passing the bytes through JavaScript (or leaving garbage for its GC).
    // Opened now, but only for a body that will be read: HEAD never asks for one.
    if (whole) return Deno.openSync(path).readable;
    return lazyFileStream(path, start, end);
  },

  processCommand(entry, options = {}) {
    // `import` is left out: it only widens which hosts code may be imported from.
    const all = PERMISSIONS.every((name) =>
      Deno.permissions.querySync({ name }).state === "granted"
    );
    // reusePort, which every worker listens with, is still behind --unstable-net in Deno 2.
    // --low-memory: V8's optimised WebAssembly code (TurboFan) for Python's interpreter is some
    // 50 MiB per worker; its baseline code (Liftoff) is enough to run it, more slowly.
    const v8 = options.lowMemory ? ["--v8-flags=--liftoff-only"] : [];
    return all ? [Deno.execPath(), "run", "-A", "--unstable-net", ...v8, entry] : undefined;
  },
};

const PERMISSIONS = ["read", "write", "net", "env", "sys", "run", "ffi"] as const;

// Opened at the first read, closed at the end, on an error or on cancel: a HEAD response, whose
// body is never read, opens no file, and an aborted download leaves no descriptor open.
function lazyFileStream(path: string, start: number, end: number): ReadableStream<Uint8Array> {
  let file: Deno.FsFile | undefined;
  let position = start;
  const close = () => {
    try {
      file?.close();
    } catch {
      // Already closed.
    }
    file = undefined;
  };
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        if (!file) {
          file = await Deno.open(path);
          await file.seek(start, Deno.SeekMode.Start);
        }
        const buffer = new Uint8Array(Math.min(CHUNK_SIZE, end + 1 - position));
        const read = buffer.length === 0 ? null : await file.read(buffer);
        if (read === null) {
          close();
          controller.close();
          return;
        }
        position += read;
        controller.enqueue(buffer.subarray(0, read));
      } catch (error) {
        close();
        controller.error(error);
      }
    },
    cancel: close,
  }, { highWaterMark: 0 });
}

const CHUNK_SIZE = 64 * 1024;
