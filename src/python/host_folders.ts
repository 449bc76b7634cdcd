/**
 * Host folders inside the interpreter: each mounted (NODEFS) at its own absolute path, so paths,
 * `__file__` and tracebacks read the same inside Python as outside. Read-only unless asked.
 *
 * @module
 */

import { isInside, resolve } from "../base/path.ts";
import type { Pyodide } from "./pyodide_loader.ts";

/** Mounts host folders into one interpreter, each once. */
export interface HostFolders {
  /**
   * Makes `folder` (and everything under it) visible to Python at the same path: writable if
   * the mounter is, unless `readOnly`.
   */
  mount(folder: string, readOnly?: boolean): void;
  /**
   * Notes every host file Python opens and every host folder it lists from now on; the
   * returned function stops and gives their paths (what a start-up snapshot depends on).
   */
  record(): () => string[];
}

// deno-lint-ignore no-explicit-any
type Node = any;
// deno-lint-ignore no-explicit-any
type Ops = Record<string, (...args: any[]) => any>;

// The node operations that change a folder or a file's metadata (Emscripten's NODEFS names).
const CHANGING_OPS = ["mknod", "rename", "unlink", "rmdir", "symlink", "setattr"];
const O_ACCMODE = 3;

/**
 * Creates the mounter of one interpreter. Unless `writable`, every mount is read-only at the
 * file-system level: an attempt to create, change or delete anything there is `EROFS`, which
 * Python raises as `OSError` (`PermissionError`'s sibling), and the interpreter goes on.
 *
 * @param pyodide The interpreter
 * @param writable Whether Python may write to the mounted folders; defaults to `false`
 * @returns The mounter
 * @example
 * ```ts ignore
 * const folders = mountHostFolders(pyodide, false);
 * folders.mount("/srv/app"); // open("/srv/app/x", "w") → OSError: [Errno 69] Read-only file system
 * ```
 */
export function mountHostFolders(pyodide: Pyodide, writable = false): HostFolders {
  const FS = pyodide.FS as Node;
  const NODEFS = FS.filesystems.NODEFS;
  // Also when writable: a system folder (the time zones) is mounted read-only all the same.
  guardReadOnly(FS, NODEFS, pyodide.ERRNO_CODES.EROFS);
  const mounted: string[] = [];
  let seen: Set<string> | undefined;
  watchReads(NODEFS, (node) => seen?.add(FS.getPath(node)));
  return {
    mount(folder, readOnly = !writable) {
      const path = resolve(folder);
      if (mounted.some((root) => isInside(root, path))) return;
      if (path === "/" || isInside("/lib", path) || isInside("/dev", path)) {
        throw new RangeError(`Cannot mount ${JSON.stringify(path)} into the interpreter`);
      }
      FS.mkdirTree(path);
      FS.mount(NODEFS, { root: path, readOnly }, path);
      mounted.push(path);
    },
    record() {
      const paths = seen = new Set();
      return () => {
        seen = undefined;
        return [...paths];
      };
    },
  };
}

// Tells `seen` of each NODEFS file opened to be read and folder listed (the operations are
// NODEFS's own, shared by its mounts: host paths only). A file opened to be written (a log) is
// what the app makes, not what it is made of.
function watchReads(NODEFS: Node, seen: (node: Node) => void): void {
  const streamOps = NODEFS.stream_ops as Ops;
  const open = streamOps.open;
  streamOps.open = function watchedOpen(stream: Node) {
    if ((stream.flags & O_ACCMODE) === 0) seen(stream.node);
    return open.call(this, stream);
  };
  const nodeOps = NODEFS.node_ops as Ops;
  const readdir = nodeOps.readdir;
  nodeOps.readdir = function watchedReaddir(node: Node) {
    seen(node);
    return readdir.call(this, node);
  };
}

// NODEFS shares one table of operations between its mounts: each wrapped operation asks the
// node's own mount whether it is read-only.
function guardReadOnly(FS: Node, NODEFS: Node, erofs: number): void {
  const readOnly = (node: Node) => node?.mount?.opts?.readOnly === true;
  const refuse = () => {
    throw new FS.ErrnoError(erofs);
  };
  const nodeOps = NODEFS.node_ops as Ops;
  for (const name of CHANGING_OPS) {
    const original = nodeOps[name];
    if (!original) continue;
    nodeOps[name] = function guarded(node: Node, ...rest: unknown[]) {
      if (readOnly(node)) refuse();
      return original.call(this, node, ...rest);
    };
  }
  const streamOps = NODEFS.stream_ops as Ops;
  const open = streamOps.open;
  // FS.open() takes the stream's descriptor before the file system opens the file, and keeps it
  // when that open fails: every refused or failed open would leak one of the 4096 (SQLite tries
  // a read-only database for writing first, once per connection, so Django opening one a request
  // ran out after some 4000 requests). The descriptor goes back here.
  streamOps.open = function guardedOpen(stream: Node) {
    try {
      if ((stream.flags & O_ACCMODE) !== 0 && readOnly(stream.node)) refuse();
      return open.call(this, stream);
    } catch (error) {
      FS.closeStream(stream.fd);
      throw error;
    }
  };
  const write = streamOps.write;
  streamOps.write = function guardedWrite(stream: Node, ...rest: unknown[]) {
    if (readOnly(stream.node)) refuse();
    return write.call(this, stream, ...rest);
  };
}
