/**
 * The address to listen on, checked before the server starts: a name that does not resolve is a
 * bad value (one line, exit code 2), and the line says when it came from `HOSTNAME`, which some
 * shells and container runtimes set to the machine's own name.
 *
 * @module
 */

import { lookup } from "node:dns/promises";
import { isIP } from "node:net";
import { UsageError } from "./options.ts";

/**
 * Resolves `hostname` unless it is an IP address.
 *
 * @param hostname The address to listen on
 * @param label Where it came from: `--hostname`, `HOSTNAME`, or the default's `--hostname`
 * @throws {UsageError} Naming the label and the host, when the name does not resolve
 * @example
 * ```ts
 * import { checkHostname } from "./check_hostname.ts";
 * await checkHostname("127.0.0.1", "--hostname"); // resolves: nothing to look up
 * ```
 */
export async function checkHostname(hostname: string, label: string): Promise<void> {
  if (isIP(hostname)) return;
  try {
    await lookup(hostname);
  } catch (error) {
    const why = (error as { code?: string }).code ?? (error as Error).message;
    const hint = label === "HOSTNAME"
      ? "; the name came from the HOSTNAME variable, which shells and containers set: pass --hostname"
      : "";
    throw new UsageError(
      `${label} ${JSON.stringify(hostname)} is not an address to listen on (${why})${hint}`,
    );
  }
}
