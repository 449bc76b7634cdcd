/**
 * Reads a POST through `wsgi.input` and echoes it: a form is shown back field by field, any
 * other body is streamed back as it arrives, with its own content type. GET shows the form.
 *
 * @module
 */

import type { WsgiApp } from "../mod.ts";
import { latin1ToText } from "../src/core/latin1.ts";
import { escapeHtml } from "../src/base/escape_html.ts";

const FORM_TYPE = "application/x-www-form-urlencoded";
const BLOCK = 64 * 1024;

/** Echoes what was posted. */
export const application: WsgiApp = async function echo(environ, startResponse) {
  const method = environ.REQUEST_METHOD;
  if (method === "GET" || method === "HEAD") {
    startResponse("200 OK", [["Content-Type", "text/html; charset=utf-8"]]);
    return [page(environ.SCRIPT_NAME, "")];
  }
  if (method !== "POST" && method !== "PUT") {
    startResponse("405 Method Not Allowed", [
      ["Allow", "GET, HEAD, POST, PUT"],
      ["Content-Type", "text/plain; charset=utf-8"],
    ]);
    return [`${method} is not allowed here: POST a form or a body\n`];
  }

  const input = environ["wsgi.input"];
  const type = environ.CONTENT_TYPE ?? "";
  if (type.split(";")[0].trim().toLowerCase() === FORM_TYPE) {
    const fields = new URLSearchParams(new TextDecoder().decode(await input.read()));
    const rows = [...fields].map(([name, value]) =>
      `<tr><th>${escapeHtml(name)}</th><td>${escapeHtml(value)}</td></tr>`
    ).join("\n");
    startResponse("200 OK", [["Content-Type", "text/html; charset=utf-8"]]);
    return [page(environ.SCRIPT_NAME, `<table>\n${rows}\n</table>`)];
  }

  startResponse("200 OK", [["Content-Type", type || "application/octet-stream"]]);
  return (async function* echoBody() {
    for (;;) {
      const block = await input.read(BLOCK);
      if (block.length === 0) return;
      yield block;
    }
  })();
};

function page(scriptName: string, result: string): string {
  const action = escapeHtml(latin1ToText(scriptName) || "/");
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Echo</title>
<link rel="stylesheet" href="/style.css">
</head>
<body>
<main class="container">
<h1>Echo</h1>
<form method="post" action="${action}">
<label>Name <input name="name"></label>
<label>Message <textarea name="message"></textarea></label>
<button type="submit">Send</button>
</form>
${result}
</main>
</body>
</html>
`;
}
