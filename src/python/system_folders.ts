/**
 * The host's system folders that Python reads as CPython would on this machine.
 *
 * @module
 */

import { existsSync } from "node:fs";
import type { HostFolders } from "./host_folders.ts";

/**
 * The folders every interpreter sees, read-only, where the host has them: the time zone
 * database, which `zoneinfo` looks for first (its `TZPATH`) and Debian's pytz reads, so
 * `ZoneInfo("Europe/Paris")` and Django's time zones work as under gunicorn.
 */
export const SYSTEM_FOLDERS: readonly string[] = ["/usr/share/zoneinfo"];

/**
 * Mounts each of {@linkcode SYSTEM_FOLDERS} that exists, read-only whatever
 * `--python-writable` says.
 *
 * @param folders The interpreter's mounter
 * @example
 * ```ts ignore
 * mountSystemFolders(mountHostFolders(pyodide, true)); // /usr/share/zoneinfo, read-only
 * ```
 */
export function mountSystemFolders(folders: HostFolders): void {
  for (const folder of SYSTEM_FOLDERS) {
    if (existsSync(folder)) folders.mount(folder, true);
  }
}
