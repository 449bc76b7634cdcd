/**
 * A file's `Content-Type`: from its extension, with a charset for text, and for HTML the
 * charset the page declares in a `<meta>` when that is not UTF-8 (the tutorial's GBK page).
 *
 * @module
 */

import { COMPRESSIBLE_CONTENT_TYPE_REGEX } from "hono/utils/compress";
import { getMimeType } from "hono/utils/mime";

const EXTRA_TYPES: Record<string, string> = {
  md: "text/markdown; charset=utf-8",
  map: "application/json",
  wasm: "application/wasm",
  webmanifest: "application/manifest+json",
};

/** How many bytes of an HTML file are searched for a `<meta>` charset (HTML's prescan reads 1024). */
export const SNIFF_BYTES = 1024;

/** The type of a file, by its name; `application/octet-stream` when unknown. */
export function typeByName(name: string): string {
  const extension = /\.([A-Za-z0-9]+)$/.exec(name)?.[1]?.toLowerCase() ?? "";
  return getMimeType(name) ?? EXTRA_TYPES[extension] ?? "application/octet-stream";
}

/**
 * The type of an HTML file whose first bytes are `head`: with the charset its `<meta>` declares,
 * when it declares one other than UTF-8; otherwise `type` unchanged.
 */
export function withDeclaredCharset(type: string, head: Uint8Array): string {
  if (!type.startsWith("text/html")) return type;
  const charset = declaredCharset(head);
  if (!charset || charset === "utf-8" || charset === "utf8") return type;
  return `text/html; charset=${charset}`;
}

/** Whether responses of this type are worth compressing, and so vary on `Accept-Encoding`. */
export function isCompressible(type: string): boolean {
  return COMPRESSIBLE_CONTENT_TYPE_REGEX.test(type) || type.startsWith("image/svg+xml");
}

// <meta charset="gbk"> or <meta http-equiv=Content-Type content="text/html;charset=gbk">
const META_CHARSET = /<meta\b[^>]*?\bcharset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)/i;

function declaredCharset(head: Uint8Array): string | undefined {
  // The prescan is ASCII-compatible, so the bytes can be read as latin-1 safely.
  const text = String.fromCharCode(...head.subarray(0, SNIFF_BYTES));
  const label = META_CHARSET.exec(text)?.[1]?.toLowerCase();
  if (!label) return undefined;
  try {
    // Only labels the Encoding Standard knows, so the browser will honour what we send.
    new TextDecoder(label);
    return label;
  } catch {
    return undefined;
  }
}
