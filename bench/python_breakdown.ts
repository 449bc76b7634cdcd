/**
 * Where a Python request's time goes, in process (no sockets), CPU time per request after a
 * warm-up, on the runtime that runs it:
 *
 * - `app alone`: the app called in a loop inside the interpreter with the environ the same
 *   request gets (bench/python_environ.py keeps one), its body consumed: Python's own work in
 *   WebAssembly, which no server can take away;
 * - `request`: a `Request` through `createApp().fetch`, as the runtime's server hands it over:
 *   the app plus all that is ours (the environ, the crossing into Python and back through
 *   bridge.py, the rules of start_response, the `Response`). The runtime's HTTP server (the
 *   parsing, the socket) is not in it: `npm run bench:python` has the whole.
 *
 *   deno run -A bench/python_breakdown.ts [APP] [REQUESTS]
 *   bun run bench/python_breakdown.ts [APP] [REQUESTS]
 *
 * APP is hello, bottle, flask, django or django_db (default flask); REQUESTS per measurement
 * (default 5000), after a warm-up of WARMUP requests (default 30000: the engines compile
 * WebAssembly again, optimised, after a while). The vendor folder and the Django project are
 * made as bench/python.sh makes them (Debian's packages; `python3 manage.py migrate`).
 *
 * @module
 */

import { cpSync, existsSync, mkdtempSync, rmSync } from "node:fs";
import { execFileSync } from "node:child_process";
import { tmpdir } from "node:os";
import process from "node:process";
import { createApp, createPythonHost, pythonApp } from "../mod.ts";
import { fromFileUrl, join } from "../src/base/path.ts";

const APP = process.argv[2] ?? "flask";
const REQUESTS = Number(process.argv[3] ?? 5000);
const WARMUP = Number(process.env.WARMUP ?? 30000);
const ROOT = fromFileUrl(new URL("../", import.meta.url));
const DIST = "/usr/lib/python3/dist-packages";
const PACKAGES = [
  "flask",
  "werkzeug",
  "jinja2",
  "markupsafe",
  "itsdangerous",
  "click",
  "blinker",
  "bottle.py",
  "django",
  "asgiref",
  "sqlparse",
  "pytz",
];

const work = mkdtempSync(join(tmpdir(), "edge-wsgi-breakdown-"));
const vendor = join(work, "vendor");
for (const name of PACKAGES) {
  if (!existsSync(join(DIST, name))) throw new Error(`${DIST}/${name} missing`);
  cpSync(join(DIST, name), join(vendor, name), {
    recursive: true,
    dereference: true,
    filter: (path) => !path.endsWith(".so") && !path.includes("__pycache__"),
  });
}
const targets: Record<string, [string, string]> = {
  hello: [join(ROOT, "bench/python/hello.py"), "/"],
  bottle: [join(ROOT, "bench/python/bottle_hello.py"), "/"],
  flask: [join(ROOT, "bench/python/flask_hello.py"), "/"],
  django: ["benchsite.wsgi:application", "/"],
  django_db: ["benchsite.wsgi:application", "/db"],
};
const [target, path] = targets[APP] ?? [];
if (!target) throw new Error(`Unknown app ${JSON.stringify(APP)}`);
if (APP.startsWith("django")) {
  const site = join(work, "benchsite");
  cpSync(join(ROOT, "bench/python/benchsite"), site, { recursive: true });
  execFileSync("/usr/bin/python3", ["manage.py", "migrate", "-v", "0"], {
    cwd: site,
    env: { ...process.env, PYTHONDONTWRITEBYTECODE: "1" },
  });
  process.chdir(site);
}

const host = createPythonHost({ pythonPath: [vendor], logger: () => {} });
const site = createApp({
  root: false,
  mounts: { "/app": pythonApp(target, host) },
  logger: () => {},
});
const url = `http://127.0.0.1:8000/app${path}`;
const request = async () => {
  const response = await site.fetch(new Request(url));
  await response.arrayBuffer();
  if (response.status !== 200) throw new Error(`${url} answered ${response.status}`);
};
await request();
const runtime = await host.ready();

// The same request's environ, as Python sees it, kept in the interpreter for the loops below.
const captured = pythonApp(join(ROOT, "bench/python_environ.py"), host);
const captureSite = createApp({ root: false, mounts: { "/app": captured }, logger: () => {} });
await (await captureSite.fetch(new Request(url))).arrayBuffer();
runtime.pyodide.runPython(`
import sys
_environ = dict(sys.modules["python_environ"].LAST)
`);

/** CPU µs per call of `run` (`count` calls), best of three. */
async function cpu(count: number, run: () => unknown | Promise<unknown>): Promise<number> {
  let best = Infinity;
  for (let round = 0; round < 3; round++) {
    const start = process.cpuUsage();
    for (let i = 0; i < count; i++) await run();
    const used = process.cpuUsage(start);
    best = Math.min(best, (used.user + used.system) / count);
  }
  return best;
}

for (let i = 0; i < WARMUP; i++) await request();

// The app alone: the WSGI callable as bridge.py keeps it, called by Python in a loop.
runtime.pyodide.runPython(`
import sys, io
_bridge = sys.modules["edge_wsgi_bridge"]
_app = next(
    app for app, folder in _bridge._apps.values()
    if getattr(app, "__module__", None) != "python_environ"
)
def _alone(count):
    def start_response(status, headers, exc_info=None):
        return None
    for _ in range(count):
        environ = dict(_environ)
        environ["wsgi.input"] = io.BytesIO(b"")
        result = _app(environ, start_response)
        for chunk in result:
            pass
        close = getattr(result, "close", None)
        if close is not None:
            close()
`);
const alone = runtime.pyodide.globals.get("_alone");
const appAlone = await cpu(1, () => alone(REQUESTS)) / REQUESTS;
alone.destroy();
const requestCost = await cpu(REQUESTS, request);

console.log(
  `${APP} on ${
    process.versions.bun ? `bun ${process.versions.bun}` : `deno ${process.versions.deno}`
  }` +
    `, CPU µs per request (best of 3 × ${REQUESTS}, after ${WARMUP} requests):`,
);
console.log(`  app alone (Python in WebAssembly):   ${appAlone.toFixed(1)}`);
console.log(`  request through createApp().fetch:  ${requestCost.toFixed(1)}`);
console.log(
  `  ours (bridge + TypeScript pipeline): ${(requestCost - appAlone).toFixed(1)} ` +
    `(${((requestCost - appAlone) / requestCost * 100).toFixed(0)}%)`,
);
rmSync(work, { recursive: true, force: true });
process.exit(0);
