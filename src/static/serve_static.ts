/**
 * `serveStatic()`: the static half of edge-wsgi, as a Hono handler.
 *
 * @module
 */

import type { Context } from "hono";
import { resolve } from "../base/path.ts";
import { requestTarget, resolveDotSegments } from "../core/request_target.ts";
import type { Runtime } from "../runtime/types.ts";
import { IMMUTABLE, REVALIDATE } from "./cache_control.ts";
import { directoryListing } from "./directory_listing.ts";
import { createFileIndex, type FileEntry, indexKey } from "./file_index.ts";
import { checkPath } from "./safe_path.ts";
import { sendFile } from "./send_file.ts";
import { noteBodyLength } from "../core/body_length.ts";

/** Options for {@linkcode serveStatic}. */
export interface StaticOptions {
  /** The folder to serve. */
  root: string;
  /** The sub-path a proxy serves this under: taken off URL paths, put on redirects. */
  rootPath?: string;
  /** The file served for a directory; defaults to `"index.html"`. */
  index?: string;
  /** Serves `/about` from `about.html` when there is no `about`; defaults to `false`. */
  cleanUrls?: boolean;
  /** A file (such as `"index.html"`) served for any missing path, for single-page apps; defaults to `false`. */
  spaFallback?: string | false;
  /** Lists directories that have no index file; defaults to `false`. */
  directoryListing?: boolean;
  /** `Cache-Control` for most files; defaults to `"no-cache"` (store, but revalidate). */
  cacheControl?: string;
  /** `Cache-Control` for fingerprinted names (`app.3f9a2c1b.js`); defaults to a year, immutable. */
  immutableCacheControl?: string;
  /** The page served with a 404, when it exists; defaults to `"404.html"`. */
  notFoundPage?: string | false;
  /** How long file metadata (and small files) are trusted before a new look, in ms; defaults to 1000. */
  cacheTtlMs?: number;
}

const ALLOW = "GET, HEAD, OPTIONS";
const MAX_CHECKED_PATHS = 10_000;
const NOT_FOUND = "404 Not Found\n";

/** The static files of one root: a Hono handler, and its fast path for cached files. */
export interface StaticFiles {
  /** The Hono handler, for every request that reaches it. */
  handler: (c: Context) => Response | Promise<Response>;
  /**
   * Answers a GET or HEAD for a file whose lookup is cached and fresh, exactly as `handler`
   * would, without a router in between; `undefined` for anything else (the handler's job).
   */
  cached: (request: Request) => Response | Promise<Response> | undefined;
  /**
   * Answers a GET or HEAD whose path names a file of the root, exactly as `handler` would;
   * `undefined` for anything else (another method, a folder, a path naming no file), which an
   * app mounted at `/` then answers, as nginx's `try_files $uri @app` does.
   */
  file: (request: Request) => Promise<Response | undefined>;
}

/**
 * Creates the static file handler: conditional requests, ranges, precompressed siblings,
 * safe paths. Other methods get 405 (`OPTIONS` 204) with `Allow: GET, HEAD, OPTIONS`.
 *
 * @param options The root and how to serve it
 * @param runtime The runtime that reads the files
 * @returns A Hono handler
 * @example
 * ```ts
 * import { Hono } from "hono";
 * import { serveStatic } from "./serve_static.ts";
 * import { currentRuntime } from "../runtime/mod.ts";
 * const app = new Hono();
 * app.all("*", serveStatic({ root: "public" }, currentRuntime()));
 * ```
 */
export function serveStatic(
  options: StaticOptions,
  runtime: Runtime,
): (c: Context) => Response | Promise<Response> {
  return createStaticFiles(options, runtime).handler;
}

/**
 * Creates the static files of a root: the handler of {@linkcode serveStatic}, and the fast path
 * a server can try before its router (see {@linkcode StaticFiles}). Both share one file index,
 * so a change on disk shows on both within `cacheTtlMs`.
 *
 * @param options The root and how to serve it
 * @param runtime The runtime that reads the files
 * @example
 * ```ts
 * import { createStaticFiles } from "./serve_static.ts";
 * import { currentRuntime } from "../runtime/mod.ts";
 * const files = createStaticFiles({ root: "public" }, currentRuntime());
 * const request = new Request("http://localhost/index.html");
 * const response = files.cached(request); // undefined until a first lookup is cached
 * ```
 */
export function createStaticFiles(options: StaticOptions, runtime: Runtime): StaticFiles {
  const root = resolve(options.root);
  const index = createFileIndex(root, {
    ttlMs: options.cacheTtlMs ?? 1000,
    maxCachedFileBytes: 64 * 1024,
    maxCacheBytes: 64 * 1024 * 1024,
    maxEntries: 10_000,
  });
  const indexName = options.index ?? "index.html";
  const rootPath = options.rootPath ?? "";
  const checkedPaths = new Map<string, ReturnType<typeof checkPath>>();
  const notFoundPage = options.notFoundPage ?? "404.html";
  const send = {
    cacheControl: options.cacheControl ?? REVALIDATE,
    immutableCacheControl: options.immutableCacheControl ?? IMMUTABLE,
    runtime,
  };

  async function notFound(request: Request): Promise<Response> {
    const page = notFoundPage ? await index.lookup([notFoundPage]) : null;
    if (page?.kind === "file") {
      return sendFile(request, page, { ...send, cacheControl: "no-store" }, 404);
    }
    const response = new Response(NOT_FOUND, {
      status: 404,
      headers: { "Content-Type": "text/plain; charset=utf-8" },
    });
    return noteBodyLength(response, NOT_FOUND);
  }

  // The path relative to the root, its query, and what checkPath() says of it (memoised: a
  // pure function of the path, and a site asks for the same few paths again and again).
  function locate(url: string) {
    const target = requestTarget(resolveDotSegments(url));
    const queryAt = target.indexOf("?");
    const fullPath = queryAt === -1 ? target : target.slice(0, queryAt);
    const search = queryAt === -1 ? "" : target.slice(queryAt);
    const rawPath = rootPath && (fullPath === rootPath || fullPath.startsWith(rootPath + "/"))
      ? fullPath.slice(rootPath.length)
      : fullPath;
    let checked = checkedPaths.get(rawPath);
    if (!checked) {
      checked = checkPath(rawPath);
      if (checkedPaths.size >= MAX_CHECKED_PATHS) checkedPaths.clear();
      checkedPaths.set(rawPath, checked);
    }
    return { checked, search };
  }

  // The fast path's own memo: the raw path as the URL has it (before dot segments are resolved,
  // which is a pure function of it) to the index key of the file it names, or null for a path
  // the fast path leaves to the handler. One Map lookup instead of locate() on every request.
  const fastKeys = new Map<string, string | null>();

  function cached(request: Request): Response | Promise<Response> | undefined {
    const method = request.method;
    if (method !== "GET" && method !== "HEAD") return undefined;
    const url = request.url;
    const authorityEnd = url.indexOf("//") + 2;
    const pathStart = url.indexOf("/", authorityEnd);
    const queryAt = url.indexOf("?", authorityEnd);
    if (pathStart === -1 || (queryAt !== -1 && queryAt < pathStart)) return undefined;
    const rawPath = queryAt === -1 ? url.slice(pathStart) : url.slice(pathStart, queryAt);
    let key = fastKeys.get(rawPath);
    if (key === undefined) {
      if (rawPath.includes("#")) return undefined;
      const { checked } = locate(url);
      key = checked.ok && !checked.trailingSlash ? indexKey(checked.segments) : null;
      if (fastKeys.size >= MAX_CHECKED_PATHS) fastKeys.clear();
      fastKeys.set(rawPath, key);
    }
    if (key === null) return undefined;
    const known = index.peek(key);
    return known?.kind === "file" ? sendFile(request, known, send) : undefined;
  }

  const handler = function staticFiles(c: Context): Response | Promise<Response> {
    const request = c.req.raw;
    const method = request.method;
    if (method === "OPTIONS") return new Response(null, { status: 204, headers: { Allow: ALLOW } });
    if (method !== "GET" && method !== "HEAD") {
      const text = `${method} is not allowed here\n`;
      return noteBodyLength(
        new Response(text, {
          status: 405,
          headers: { Allow: ALLOW, "Content-Type": "text/plain; charset=utf-8" },
        }),
        text,
      );
    }
    const { checked, search } = locate(request.url);
    if (!checked.ok) {
      if (checked.status === 404) return notFound(request);
      const text = `400 Bad Request: ${checked.reason}\n`;
      return noteBodyLength(
        new Response(text, {
          status: 400,
          headers: { "Content-Type": "text/plain; charset=utf-8" },
        }),
        text,
      );
    }
    const { segments, trailingSlash } = checked;
    // The common case: a file already looked up, answered in this tick.
    const known = trailingSlash ? undefined : index.peek(segments);
    if (known?.kind === "file") return sendFile(request, known, send);
    return find(request, segments, trailingSlash, search);
  };

  async function find(
    request: Request,
    segments: string[],
    trailingSlash: boolean,
    search: string,
  ): Promise<Response> {
    const method = request.method;
    let found = await index.lookup(segments);
    // A file's URL has no trailing slash: `/a.txt/` names no file (as in nginx), and relative
    // links in such a page would resolve wrongly.
    if (found?.kind === "file" && trailingSlash) found = null;
    if (found?.kind === "directory") {
      if (!trailingSlash && segments.length > 0) {
        // Built from the checked segments, so it always starts with one "/", never "//".
        const location = rootPath + "/" + segments.map(encodeURIComponent).join("/") + "/" + search;
        return new Response(null, { status: 301, headers: { Location: location } });
      }
      const directory = found;
      found = await index.lookup([...segments, indexName]);
      if (found?.kind !== "file" && options.directoryListing) {
        const html = await directoryListing(
          directory.path,
          "/" + segments.map((s) => s + "/").join(""),
        );
        const listing = new Response(method === "HEAD" ? null : html, {
          headers: { "Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-cache" },
        });
        return noteBodyLength(listing, method === "HEAD" ? 0 : html);
      }
    }
    if (!found && options.cleanUrls && !trailingSlash && segments.length > 0) {
      found = await index.lookup([...segments.slice(0, -1), `${segments.at(-1)}.html`]);
    }
    if (!found && options.spaFallback) found = await index.lookup([options.spaFallback]);
    if (found?.kind !== "file") return notFound(request);
    return sendFile(request, found as FileEntry, send);
  }

  async function file(request: Request): Promise<Response | undefined> {
    const method = request.method;
    if (method !== "GET" && method !== "HEAD") return undefined;
    const { checked } = locate(request.url);
    if (!checked.ok || checked.trailingSlash) return undefined;
    const found = index.peek(checked.segments) ?? await index.lookup(checked.segments);
    return found?.kind === "file" ? sendFile(request, found, send) : undefined;
  }

  return { handler, cached, file };
}
