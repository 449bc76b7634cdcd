/**
 * Matching peer addresses against a list of trusted proxies: addresses and networks
 * (`10.0.0.0/8`, `fd00::/8`), IPv4 and IPv6, or `*` for any.
 *
 * @module
 */

import { unmapIpv4 } from "./address.ts";

/** Tells whether an address is in the list the matcher was made from. */
export type IpMatcher = (address: string) => boolean;

/**
 * Creates a matcher for a list like gunicorn's `forwarded_allow_ips`.
 *
 * @param list Addresses, CIDR networks, or `"*"`
 * @throws {TypeError} When an entry is not an address or a network
 * @example
 * ```ts
 * import { createIpMatcher } from "./ip_matcher.ts";
 * const trusted = createIpMatcher(["127.0.0.1", "10.0.0.0/8", "::1"]);
 * trusted("10.2.3.4"); // true
 * ```
 */
export function createIpMatcher(list: string[]): IpMatcher {
  if (list.includes("*")) return () => true;
  const networks = list.map(parseNetwork);
  if (networks.length === 0) return () => false;
  return function isTrusted(address) {
    const bits = parseAddress(unmapIpv4(address));
    if (!bits) return false;
    return networks.some((net) =>
      net.bits.length === bits.length && samePrefix(net.bits, bits, net.prefix)
    );
  };
}

interface Network {
  bits: number[];
  prefix: number;
}

function parseNetwork(entry: string): Network {
  const match = /^([^/]+)(?:\/(\d{1,3}))?$/.exec(entry.trim());
  const address = match?.[1] ?? "";
  // An IPv4-mapped entry (::ffff:10.0.0.1) means the IPv4 address, as peers are compared; its
  // prefix length counts the 96 bits of ::ffff: in front.
  const mapped = address.toLowerCase().startsWith("::ffff:") && address.includes(".");
  const bits = parseAddress(mapped ? address.slice(7) : address);
  const max = bits ? bits.length * 8 : 0;
  const prefix = match?.[2] === undefined ? max : Number(match[2]) - (mapped ? 96 : 0);
  if (!match || !bits || prefix < 0 || prefix > max) {
    throw new TypeError(`Trusted proxy ${JSON.stringify(entry)} is not an IP address or network`);
  }
  return { bits, prefix };
}

function samePrefix(a: number[], b: number[], prefix: number): boolean {
  for (let i = 0; i < prefix; i++) {
    const byte = i >> 3;
    const mask = 0x80 >> (i & 7);
    if ((a[byte] & mask) !== (b[byte] & mask)) return false;
  }
  return true;
}

/** An address as bytes (4 for IPv4, 16 for IPv6), or `undefined` when it is not one. */
export function parseAddress(text: string): number[] | undefined {
  if (text.includes(":")) return parseIpv6(text.replace(/^\[|\]$/g, ""));
  return parseIpv4(text);
}

function parseIpv4(text: string): number[] | undefined {
  const parts = text.split(".");
  if (parts.length !== 4 || !parts.every((part) => /^\d{1,3}$/.test(part) && Number(part) <= 255)) {
    return undefined;
  }
  return parts.map(Number);
}

function parseIpv6(text: string): number[] | undefined {
  const zone = text.indexOf("%");
  if (zone !== -1) text = text.slice(0, zone);
  const halves = text.split("::");
  if (halves.length > 2) return undefined;
  const groups = (half: string) => (half === "" ? [] : half.split(":"));
  const head = groups(halves[0]);
  const tail = halves.length === 2 ? groups(halves[1]) : [];
  // An embedded IPv4 tail (::ffff:1.2.3.4) is two groups.
  const last = (tail.length ? tail : head).at(-1);
  const v4 = last?.includes(".") ? parseIpv4(last) : undefined;
  if (last?.includes(".")) {
    if (!v4) return undefined;
    (tail.length ? tail : head).splice(
      -1,
      1,
      ((v4[0] << 8) | v4[1]).toString(16),
      ((v4[2] << 8) | v4[3]).toString(16),
    );
  }
  const missing = 8 - head.length - tail.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return undefined;
  const all = [...head, ...Array(halves.length === 2 ? missing : 0).fill("0"), ...tail];
  if (!all.every((group) => /^[0-9a-f]{1,4}$/i.test(group))) return undefined;
  return all.flatMap((group) => {
    const value = parseInt(group, 16);
    return [value >> 8, value & 0xff];
  });
}
