/**
 * The "file app" of WSGI tutorials, done safely: it serves the page that `PATH_INFO` names
 * from one folder, and nothing outside it.
 *
 * @module
 */

import { realpath, stat } from "node:fs/promises";
import { getMimeType } from "hono/utils/mime";
import { latin1ToText, type WsgiApp } from "../mod.ts";
import { fromFileUrl, isInside, join, resolve } from "../src/base/path.ts";

const DEFAULT_PAGE = "simple_navbar.html";

/**
 * Creates a file app over `root`. `PATH_INFO` `/contact.html` serves `root/contact.html`; an
 * empty one redirects to the mount's `/`, which serves the navigation-bar page.
 */
export function createFileApp(root: string): WsgiApp {
  const folder = resolve(root);
  return async function files(environ, startResponse) {
    if (environ.PATH_INFO === "") {
      // Relative links in the pages resolve against the mount's folder, so it needs its slash.
      const query = environ.QUERY_STRING ? `?${environ.QUERY_STRING}` : "";
      startResponse("301 Moved Permanently", [["Location", `${environ.SCRIPT_NAME}/${query}`]]);
      return [];
    }
    const name = pageName(environ.PATH_INFO);
    const path = name === null ? null : await findFile(folder, name);
    if (path === null) {
      startResponse("404 Not Found", [["Content-Type", "text/plain; charset=utf-8"]]);
      return [`The page ${JSON.stringify(latin1ToText(environ.PATH_INFO))} is not found here\n`];
    }
    const type = getMimeType(path) ?? "application/octet-stream";
    startResponse("200 OK", [
      [
        "Content-Type",
        type.startsWith("text/") && !type.includes("charset") ? `${type}; charset=utf-8` : type,
      ],
      ["Content-Length", String((await stat(path)).size)],
    ]);
    return environ["wsgi.file_wrapper"](path);
  };
}

// The page's name as text, or null when it cannot name a page: hidden names, `..`,
// backslashes, NUL and undecodable bytes are refused before touching the file system.
function pageName(pathInfo: string): string | null {
  const text = latin1ToText(pathInfo.slice(1)) || DEFAULT_PAGE;
  if (text.includes("\uFFFD") || text.includes("\0") || text.includes("\\")) return null;
  const segments = text.split("/");
  if (segments.some((segment) => segment.startsWith(".") || segment === "")) return null;
  return text;
}

// The file's real path when it is a regular file inside the folder, following symlinks.
async function findFile(folder: string, name: string): Promise<string | null> {
  const candidate = join(folder, name);
  if (!isInside(folder, candidate)) return null;
  try {
    const [real, realFolder] = await Promise.all([realpath(candidate), realpath(folder)]);
    if (!isInside(realFolder, real) || !(await stat(real)).isFile()) return null;
    return real;
  } catch {
    return null;
  }
}

/** The file app over the demo site's `public/` folder. */
export const application: WsgiApp = createFileApp(
  fromFileUrl(new URL("../public", import.meta.url)),
);
