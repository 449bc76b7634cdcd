/**
 * The Deno runtime: `Deno.serve` and `Deno.open`.
 *
 * @module
 */

import type { Runtime } from "./types.ts";

/** Tells whether this is Deno. */
export function isDeno(): boolean {
  return typeof (globalThis as { Deno?: unknown }).Deno !== "undefined";
}

/** Deno's I/O for edge-wsgi. */
export const denoRuntime: Runtime = {
  name: "deno",

  serve(handler, { port, hostname }) {
    const server = Deno.serve({
      port,
      hostname,
      onListen: () => {},
      onError: () => new Response("Internal Server Error\n", { status: 500 }),
    }, (request, info) => handler(request, { remoteAddr: info.remoteAddr, localAddr: local }));
    const addr = server.addr as Deno.NetAddr;
    const local = { hostname: addr.hostname, port: addr.port };
    return {
      ...local,
      async shutdown() {
        await server.shutdown();
      },
    };
  },

  async openFile(path) {
    let info: Deno.FileInfo;
    try {
      info = await Deno.stat(path);
    } catch {
      return null;
    }
    if (!info.isFile) return null;
    return { body: lazyFileStream(path), size: info.size };
  },

  async isDirectory(path) {
    try {
      return (await Deno.stat(path)).isDirectory;
    } catch {
      return false;
    }
  },
};

// Opened at the first read, closed at the end or on cancel: a HEAD response, whose body is
// never read, opens no file and so cannot leak a descriptor.
function lazyFileStream(path: string): ReadableStream<Uint8Array> {
  let file: Deno.FsFile | undefined;
  const buffer = new Uint8Array(64 * 1024);
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        file ??= await Deno.open(path);
        const read = await file.read(buffer);
        if (read === null) {
          file.close();
          controller.close();
          return;
        }
        controller.enqueue(buffer.slice(0, read));
      } catch (error) {
        file?.close();
        controller.error(error);
      }
    },
    cancel() {
      file?.close();
    },
  });
}
