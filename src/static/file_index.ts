/**
 * Finding files under the static root, with their metadata (and the bytes of small files)
 * cached for a short while, as nginx's `open_file_cache` does.
 *
 * @module
 */

import { isInside, join } from "../base/path.ts";
import { type FileStat, readHead, realPath, statPath } from "../runtime/file_system.ts";
import { type Coding, CODINGS } from "./encoding.ts";
import { isCompressible, SNIFF_BYTES, typeByName, withDeclaredCharset } from "./content_type.ts";

/** One stored form of a file: the file itself or a precompressed sibling. */
export interface Representation {
  path: string;
  size: number;
  /** Whole seconds since the epoch. */
  modifiedSeconds: number;
  etag: string;
  /** The bytes, for files small enough to keep in memory. */
  bytes?: Uint8Array;
  /**
   * The same bytes as text, when they are UTF-8: both runtimes build a Response from a string
   * faster than from bytes (Deno copies bytes), and the string encodes back to the same bytes.
   */
  text?: string;
  /** Response headers worked out once per `Cache-Control` setting and then reused. */
  sendHeaders?: { cacheControl: string; ok: Headers; base: Headers; notModified: Headers };
}

/** A regular file under the root. */
export interface FileEntry extends Representation {
  kind: "file";
  contentType: string;
  compressible: boolean;
  /** Precompressed siblings (`x.js.br`…) by coding. */
  variants: Partial<Record<Coding, Representation>>;
  /** The codings of `variants`, in our order of preference. */
  codings: Coding[];
}

/** A directory under the root. */
export interface DirectoryEntry {
  kind: "directory";
  path: string;
}

/** Options for {@linkcode createFileIndex}. */
export interface FileIndexOptions {
  /** How long a lookup is trusted before the file is checked again, in ms. `0` checks every time. */
  ttlMs: number;
  /** Files up to this size are kept in memory. */
  maxCachedFileBytes: number;
  /** The most bytes kept in memory in all. */
  maxCacheBytes: number;
  /** The most lookups kept. */
  maxEntries: number;
}

const strictUtf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

function utf8Text(bytes: Uint8Array): string | undefined {
  try {
    return strictUtf8.decode(bytes);
  } catch {
    return undefined;
  }
}

interface CacheRecord {
  at: number;
  found: Promise<FileEntry | DirectoryEntry | null>;
  /** The result, once `found` has settled: lets a hit be answered without waiting a tick. */
  settled?: FileEntry | DirectoryEntry | null;
}

/** Looks up files under one root. Its cache lives in this closure, one per static server. */
export interface FileIndex {
  lookup(segments: string[]): Promise<FileEntry | DirectoryEntry | null>;
  /**
   * The lookup's result when it is cached, fresh and already known; `undefined` otherwise.
   * Takes the segments, or their {@linkcode indexKey} when the caller has it at hand.
   */
  peek(segments: string[] | string): FileEntry | DirectoryEntry | null | undefined;
}

/**
 * The key a lookup of `segments` is cached under: checkPath() lets only plain names through, so
 * the names joined by "/" identify the file.
 *
 * @example
 * ```ts
 * import { indexKey } from "./file_index.ts";
 * indexKey(["css", "site.css"]); // "css/site.css"
 * ```
 */
export function indexKey(segments: string[]): string {
  return segments.join("/");
}

/**
 * Creates the index of a root folder. A lookup resolves symlinks and refuses anything whose
 * real path is outside the root's real path, so a link inside `public/` cannot expose a file
 * elsewhere, and `public-secret/` is never taken for part of `public/`.
 */
export function createFileIndex(root: string, options: FileIndexOptions): FileIndex {
  const cache = new Map<string, CacheRecord>();
  let cachedBytes = 0;
  let realRoot: Promise<string | null> | undefined;

  async function load(path: string): Promise<FileEntry | DirectoryEntry | null> {
    realRoot ??= realPath(root);
    const [rootReal, real] = await Promise.all([realRoot, realPath(path)]);
    if (rootReal === null || real === null || !isInside(rootReal, real)) return null;
    const info = await statPath(real);
    if (info?.isDirectory) return { kind: "directory", path: real };
    if (!info?.isFile) return null;
    const file = await representation(real, info);
    let contentType = typeByName(path);
    if (contentType.startsWith("text/html")) {
      contentType = withDeclaredCharset(
        contentType,
        file.bytes ?? await readHead(real, SNIFF_BYTES),
      );
    }
    const compressible = isCompressible(contentType);
    const variants: FileEntry["variants"] = {};
    if (compressible) {
      await Promise.all(CODINGS.map(async ({ coding, suffix }) => {
        const sibling = await realPath(path + suffix);
        if (sibling === null || !isInside(rootReal, sibling)) return;
        const siblingInfo = await statPath(sibling);
        if (siblingInfo?.isFile) {
          variants[coding] = await representation(sibling, siblingInfo, coding);
        }
      }));
    }
    const codings = CODINGS.map(({ coding }) => coding).filter((coding) => variants[coding]);
    return { kind: "file", ...file, contentType, compressible, variants, codings };
  }

  async function representation(
    path: string,
    info: FileStat,
    coding?: Coding,
  ): Promise<Representation> {
    const modifiedSeconds = Math.floor(info.mtimeMs / 1000);
    // Weak: size and time say the file is "the same", not byte-for-byte (RFC 9110 §8.8.1).
    const tag = `${info.size.toString(16)}-${Math.floor(info.mtimeMs).toString(16)}`;
    const etag = `W/"${coding ? `${tag}-${coding}` : tag}"`;
    let bytes: Uint8Array | undefined;
    const keep = options.ttlMs > 0 && info.size <= options.maxCachedFileBytes &&
      cachedBytes + info.size <= options.maxCacheBytes;
    if (keep) {
      bytes = await readHead(path, info.size);
      // A file that changed while we read it is not kept: serve it from disk instead.
      if (bytes.length === info.size) cachedBytes += info.size;
      else bytes = undefined;
    }
    return { path, size: info.size, modifiedSeconds, etag, bytes, text: bytes && utf8Text(bytes) };
  }

  function forget(key: string): void {
    const old = cache.get(key);
    if (!old) return;
    cache.delete(key);
    old.found.then((entry) => {
      if (entry?.kind !== "file") return;
      for (const rep of [entry, ...Object.values(entry.variants)]) {
        if (rep?.bytes) cachedBytes -= rep.bytes.length;
      }
    });
  }

  return {
    peek(segments) {
      const hit = cache.get(typeof segments === "string" ? segments : indexKey(segments));
      return hit && Date.now() - hit.at < options.ttlMs ? hit.settled : undefined;
    },
    lookup(segments) {
      // checkPath() let only plain names through, so the key alone identifies the file; the
      // path is joined, and checked once more against the root, only when it is loaded.
      const key = indexKey(segments);
      const now = Date.now();
      const hit = cache.get(key);
      if (hit && now - hit.at < options.ttlMs) return hit.found;
      forget(key);
      const path = join(root, ...segments);
      if (!isInside(root, path)) return Promise.resolve(null);
      const found = load(path).catch(() => null);
      if (options.ttlMs > 0) {
        if (cache.size >= options.maxEntries) forget(cache.keys().next().value!);
        const record: CacheRecord = { at: now, found };
        found.then((entry) => record.settled = entry);
        cache.set(key, record);
      }
      return found;
    },
  };
}
