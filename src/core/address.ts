/**
 * Small facts about addresses that several parts of the server need alike.
 *
 * @module
 */

/** The port a URL scheme implies when none is given. */
export const DEFAULT_PORTS: Readonly<Record<string, string>> = Object.freeze({
  http: "80",
  https: "443",
});

/** An IPv4 peer reported as IPv4-mapped IPv6 (`::ffff:1.2.3.4`), as plain IPv4 (`1.2.3.4`). */
export function unmapIpv4(address: string): string {
  return address.startsWith("::ffff:") ? address.slice(7) : address;
}
