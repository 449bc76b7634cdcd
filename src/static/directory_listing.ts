/**
 * An HTML listing of a directory, for the optional `directoryListing` setting.
 *
 * @module
 */

import { escapeHtml } from "../base/escape_html.ts";
import { listDirectory } from "../runtime/file_system.ts";

/**
 * Lists a directory as HTML: folders first, then files, hidden names left out. Every name is
 * HTML-escaped and its link percent-encoded, so a file called `<script>.html` is only text.
 *
 * @param path The directory on disk
 * @param urlPath The directory's URL path, ending with `/`
 */
export async function directoryListing(path: string, urlPath: string): Promise<string> {
  const entries = (await listDirectory(path))
    .filter((entry) => !entry.name.startsWith("."))
    .sort((a, b) =>
      Number(b.isDirectory) - Number(a.isDirectory) ||
      (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)
    );
  const rows = entries.map((entry) => {
    const name = entry.isDirectory ? `${entry.name}/` : entry.name;
    const href = encodeURIComponent(entry.name) + (entry.isDirectory ? "/" : "");
    return `<li><a href="${escapeHtml(href)}">${escapeHtml(name)}</a></li>`;
  });
  const title = `Index of ${escapeHtml(urlPath)}`;
  const parent = urlPath === "/" ? "" : '<li><a href="../">../</a></li>\n';
  return `<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>${title}</title></head>
<body>
<h1>${title}</h1>
<ul>
${parent}${rows.join("\n")}
</ul>
</body>
</html>
`;
}
