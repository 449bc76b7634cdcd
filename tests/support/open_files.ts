/**
 * Counting a server process's open file descriptors through Linux's `/proc`, for the tests
 * that check a server closes every file and socket it opens.
 *
 * @module
 */

import { readdir, readFile, readlink } from "node:fs/promises";

/**
 * Finds the process listening on a local TCP port: the listening socket's inode from
 * `/proc/net/tcp` (or `tcp6`), then the process holding a descriptor for that socket.
 *
 * @throws {Error} When no process in `/proc` listens on the port
 */
export async function listeningPid(port: number): Promise<number> {
  const inodes = new Set<string>();
  for (const table of ["/proc/net/tcp", "/proc/net/tcp6"]) {
    const lines = (await readFile(table, "utf8").catch(() => "")).split("\n").slice(1);
    for (const line of lines) {
      const fields = line.trim().split(/\s+/);
      // fields: sl local_address rem_address st … inode (the 10th)
      if (fields.length < 10 || fields[3] !== "0A") continue;
      if (parseInt(fields[1].split(":")[1], 16) === port) inodes.add(fields[9]);
    }
  }
  for (const entry of await readdir("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    const fds = await readdir(`/proc/${entry}/fd`).catch(() => [] as string[]);
    for (const fd of fds) {
      const target = await readlink(`/proc/${entry}/fd/${fd}`).catch(() => "");
      const inode = /^socket:\[(\d+)\]$/.exec(target)?.[1];
      if (inode && inodes.has(inode)) return Number(entry);
    }
  }
  throw new Error(`No process listens on port ${port}`);
}

/** How many file descriptors a process has open. */
export async function openFileCount(pid: number): Promise<number> {
  return (await readdir(`/proc/${pid}/fd`)).length;
}
