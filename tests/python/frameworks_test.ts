/**
 * Seven real frameworks, unchanged and with no compatibility flag, over real HTTP on Deno and on
 * Bun, each answering as it does under gunicorn on Debian's native CPython: Debian bookworm's
 * Flask 2.2, Bottle 0.12, Django 3.2, Pyramid 2.0, Falcon 3.1, WebOb 1.8 and CherryPy 18.8,
 * vendored from their `python3-*` packages as a user vendors with pip
 * (tests/support/python_vendor.ts). Each serves a tutorial-sized app
 * (tests/fixtures/python/frameworks/): a page with a cookie, a form POST, JSON, a redirect, a
 * 5 MiB multipart upload, a 404 and a raised error; Django also a ModelForm saving to SQLite,
 * the admin's login and its pages after it. One server per runtime mounts all seven (Django as
 * `gunicorn mysite.wsgi` names it, from `--chdir`), and one gunicorn mounts the same files
 * (gunicorn_mounts.py); every response is compared on status, Content-Type, Location, the
 * names of the cookies set, and body. Without Debian's packages or gunicorn the tests skip,
 * except in CI.
 */

import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { createHash } from "node:crypto";
import { cpSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import process from "node:process";
import { type CliProcess, runCli } from "../support/cli_process.ts";
import {
  gunicornMissing,
  type GunicornProcess,
  startGunicorn,
} from "../support/gunicorn_process.ts";
import { vendorDebianPackages } from "../support/python_vendor.ts";
import { ADMIN, migratedMysite } from "../support/django_site.ts";
import { type RuntimeName, RUNTIMES } from "../support/server_process.ts";
import { fromFileUrl, join } from "../../src/base/path.ts";

const FIXTURES = fromFileUrl(new URL("../fixtures/python/frameworks", import.meta.url));
// Pyodide and seven frameworks to import, on a machine that may be busy.
const START_TIMEOUT = 240_000;
const TEST_TIMEOUT = 120_000;
const FILES: Record<string, string> = {
  flask: "flask_app/app.py",
  bottle: "bottle_app.py",
  pyramid: "pyramid_app.py",
  falcon: "falcon_app.py",
  webob: "webob_app.py",
  cherrypy: "cherrypy_app.py",
  hashes: "hashes_app.py",
};
const FRAMEWORKS = ["flask", "bottle", "django", "pyramid", "falcon", "webob", "cherrypy"];
// These two let an app's exception out to the server, whose own 500 page gunicorn's is not.
const SERVER_ERRORS = new Set(["pyramid", "webob"]);

const vendor = vendorDebianPackages();
const missing = "missing" in vendor ? vendor.missing : gunicornMissing();
if (missing && process.env.CI) throw new Error(`CI must run the framework tests: ${missing}`);
if (missing) console.warn(`tests/python/frameworks_test.ts skipped: ${missing}`);

type Server = "gunicorn" | RuntimeName;
const SERVERS: Server[] = ["gunicorn", ...RUNTIMES];
const urls = {} as Record<Server, string>;
const work = mkdtempSync(join(tmpdir(), "edge-wsgi-frameworks-"));
let gunicorn: GunicornProcess | undefined;
const edges = {} as Record<RuntimeName, CliProcess>;

// Django's project as `django-admin startproject` left it, migrated natively (as a user would
// with `manage.py migrate`) and with an admin user, one copy per server, so each writes its own
// database.
function djangoCopies(): void {
  const base = join(work, "base", "mysite");
  migratedMysite(base);
  for (const server of SERVERS) cpSync(base, join(work, server, "mysite"), { recursive: true });
}

beforeAll(async () => {
  if (missing) return;
  djangoCopies();
  const starting = RUNTIMES.map(async (runtime) => {
    const server = edges[runtime] = runCli(runtime, {
      args: [
        "--chdir",
        join(work, runtime, "mysite"),
        "--mount",
        "/django=mysite.wsgi:application",
        ...Object.entries(FILES).flatMap(([name, file]) => [
          "--mount",
          `/${name}=${join(FIXTURES, file)}`,
        ]),
        "--python-path",
        "dir" in vendor ? vendor.dir : "",
        "--python-writable",
        "--access-log",
        "off",
      ],
    });
    urls[runtime] = (await server.listening()).url.replace(/\/$/, "");
  });
  const native = startGunicorn([
    "--chdir",
    join(work, "gunicorn", "mysite"),
    "--pythonpath",
    FIXTURES,
    "-w",
    "2",
    "gunicorn_mounts:application",
  ]).then((started) => {
    gunicorn = started;
    urls.gunicorn = started.url;
  });
  await Promise.all([...starting, native]);
  // Each server imports every framework on its first request to it: outside the tests' clock.
  for (const framework of [...FRAMEWORKS, "hashes"]) {
    await Promise.all(SERVERS.map((server) => fetch(`${urls[server]}/${framework}/json`)));
  }
}, START_TIMEOUT);

afterAll(() => {
  gunicorn?.stop();
  for (const server of Object.values(edges)) server.child.kill("SIGKILL");
  rmSync(work, { recursive: true, force: true });
  if ("dir" in vendor) vendor.remove();
}, 60_000);

/** What the test compares of a response. */
interface Seen {
  status: number;
  type: string | null;
  location: string | null;
  cookies: string[];
  body: string;
}

// A response, with the server's own origin (which Bottle, Pyramid, WebOb and CherryPy put in
// absolute URLs) and Django's per-request CSRF tokens put to the same words on every server.
async function seen(server: Server, response: Response): Promise<Seen> {
  const origin = urls[server];
  const body = (await response.text()).replaceAll(origin, "ORIGIN")
    .replace(/name="csrfmiddlewaretoken" value="\w+"/g, 'name="csrfmiddlewaretoken" value="…"');
  return {
    status: response.status,
    type: response.headers.get("content-type"),
    location: response.headers.get("location")?.replace(origin, "ORIGIN") ?? null,
    cookies: response.headers.getSetCookie().map((cookie) => cookie.split("=")[0]).sort(),
    body,
  };
}

// 5 MiB of every byte value, so a parser that stops at a NUL, a CR or a "--" is caught.
const UPLOAD = new Uint8Array(5 * 1024 * 1024).map((_, i) => (i * 7919 + (i >> 13)) & 255);

interface Case {
  name: string;
  path: string;
  init?: () => RequestInit;
}

const CASES: Case[] = [
  { name: "a page, escaped, with a cookie", path: "/?name=%3Cb%3E%C3%A9" },
  {
    name: "a form POST",
    path: "/form",
    init: () => ({
      method: "POST",
      body: new URLSearchParams([["a", "é"], ["b", "2"], ["b", "3"]]),
    }),
  },
  { name: "JSON", path: "/json?x=1&y=%C3%A9" },
  { name: "a redirect", path: "/redirect" },
  {
    name: "a 5 MiB multipart upload",
    path: "/upload",
    init() {
      const form = new FormData();
      form.append("note", "hi");
      form.append("upload", new Blob([UPLOAD]), "data.bin");
      return { method: "POST", body: form };
    },
  },
  { name: "a 404", path: "/missing" },
  { name: "a raised error", path: "/boom" },
];

async function everywhere(path: string, init?: () => RequestInit): Promise<Record<Server, Seen>> {
  const results = await Promise.all(SERVERS.map(async (server) => {
    const response = await fetch(`${urls[server]}${path}`, { redirect: "manual", ...init?.() });
    return [server, await seen(server, response)] as const;
  }));
  return Object.fromEntries(results) as Record<Server, Seen>;
}

function expectSame(label: string, results: Record<Server, Seen>): void {
  for (const runtime of RUNTIMES) {
    expect({ [label]: runtime, ...results[runtime] }).toEqual({
      [label]: runtime,
      ...results.gunicorn,
    });
  }
}

describe.skipIf(Boolean(missing))("frameworks answer as under gunicorn", () => {
  for (const framework of FRAMEWORKS) {
    test(`${framework}: ${CASES.map((c) => c.name).join(", ")}`, async () => {
      const all = await Promise.all(
        CASES.map((c) => everywhere(`/${framework}${c.path}`, c.init)),
      );
      all.forEach((results, i) => {
        const label = `${framework}: ${CASES[i].name}`;
        if (CASES[i].path === "/boom" && SERVER_ERRORS.has(framework)) {
          // The server's 500, not the app's: the same status, and no detail on either.
          for (const server of SERVERS) {
            expect({ [label]: server, status: results[server].status }).toEqual({
              [label]: server,
              status: 500,
            });
            expect(results[server].body).not.toContain("secret detail");
          }
        } else {
          expectSame(label, results);
        }
      });
      const upload = all[CASES.findIndex((c) => c.path === "/upload")];
      expect(upload.gunicorn.body).toContain(
        `size=${UPLOAD.length} sha256=${createHash("sha256").update(UPLOAD).digest("hex")}`,
      );
      // The raised error is in each edge-wsgi server's log, with the app's frame.
      for (const runtime of RUNTIMES) {
        await edges[runtime].waitFor(new RegExp(`RuntimeError: ${framework} boom: secret detail`), {
          stream: "stderr",
          ms: 10_000,
        });
      }
    }, TEST_TIMEOUT);
  }

  test(
    "hashlib.pbkdf2_hmac and scrypt: CPython's results and errors, Werkzeug's hashes",
    async () => {
      const results = await everywhere("/hashes/");
      expect(results.gunicorn.status).toBe(200);
      expectSame("hashes", results);
    },
    TEST_TIMEOUT,
  );

  test(
    "the same from a request with a body, where a derivation may wait (Deno: WebCrypto's PBKDF2)",
    async () => {
      // A body makes the call one that can suspend (JSPI), as a login form's POST does.
      const results = await everywhere("/hashes/", () => ({ method: "POST", body: "x=1" }));
      expect(results.gunicorn.status).toBe(200);
      expect(results.gunicorn.body).toContain("pbkdf2_hmac('sha256', b'secret-pass'");
      expectSame("hashes, with a body", results);
    },
    TEST_TIMEOUT,
  );

  // One browser's visit: the cookies it was given go back with each request.
  interface Visit {
    step(path: string, init?: RequestInit): Promise<Seen>;
    /** A cookie it holds: Django's CSRF check takes the csrftoken cookie's value as the form's. */
    cookie(name: string): string;
  }

  function visit(server: Server): Visit {
    const jar = new Map<string, string>();
    return {
      async step(path, init = {}) {
        const headers = new Headers(init.headers);
        headers.set("cookie", [...jar].map(([name, value]) => `${name}=${value}`).join("; "));
        const response = await fetch(`${urls[server]}${path}`, {
          ...init,
          headers,
          redirect: "manual",
        });
        for (const cookie of response.headers.getSetCookie()) {
          const [pair] = cookie.split(";");
          const at = pair.indexOf("=");
          jar.set(pair.slice(0, at), pair.slice(at + 1));
        }
        return seen(server, response);
      },
      cookie: (name) => jar.get(name) ?? "",
    };
  }

  // The same visit on every server at once; then each step's response compared.
  async function visitEverywhere(
    steps: (visit: Visit) => Promise<Record<string, Seen>>,
  ): Promise<Record<Server, Record<string, Seen>>> {
    const results = await Promise.all(SERVERS.map((server) => steps(visit(server))));
    return Object.fromEntries(SERVERS.map((server, i) => [server, results[i]])) as Record<
      Server,
      Record<string, Seen>
    >;
  }

  function expectSameVisits(results: Record<Server, Record<string, Seen>>): void {
    for (const name of Object.keys(results.gunicorn)) {
      const step = Object.fromEntries(SERVERS.map((server) => [server, results[server][name]]));
      expectSame(name, step as Record<Server, Seen>);
    }
  }

  test("django: a ModelForm saves to SQLite, its row is read back, listed", async () => {
    const results = await visitEverywhere(async ({ step, cookie }) => {
      const form = await step("/django/products/new");
      const post = (fields: Record<string, string>) =>
        step("/django/products/new", { method: "POST", body: new URLSearchParams(fields) });
      const csrfmiddlewaretoken = cookie("csrftoken");
      const saved = await post({ csrfmiddlewaretoken, name: "Té <vert>", price: "3.50" });
      const invalid = await post({ csrfmiddlewaretoken, name: "", price: "x" });
      const forged = await post({ name: "no token", price: "1" });
      return {
        "the empty form": form,
        "the saved form's redirect": saved,
        "an invalid form": invalid,
        "a POST without its CSRF token": forged,
        "the product's page": await step(saved.location?.replace("ORIGIN", "") ?? "/none"),
        "the list": await step("/django/"),
      };
    });
    expect(results.gunicorn["the saved form's redirect"].status).toBe(302);
    expect(results.gunicorn["a POST without its CSRF token"].status).toBe(403);
    expect(results.gunicorn["the list"].body).toContain("Té &lt;vert&gt;</a> 3.50");
    expectSameVisits(results);
  }, TEST_TIMEOUT);

  test("django: the admin's login (PBKDF2), then its index and a model's list", async () => {
    const results = await visitEverywhere(async ({ step, cookie }) => {
      const login = await step("/django/admin/login/?next=/django/admin/");
      const post = (fields: Record<string, string>) =>
        step("/django/admin/login/?next=/django/admin/", {
          method: "POST",
          body: new URLSearchParams({ csrfmiddlewaretoken: cookie("csrftoken"), ...fields }),
        });
      const wrong = await post({ ...ADMIN, password: "wrong" });
      const right = await post({ ...ADMIN, next: "/django/admin/" });
      return {
        "the login page": login,
        "a wrong password": wrong,
        "the right password": right,
        "the admin's index": await step("/django/admin/"),
        "the products' list": await step("/django/admin/shop/product/"),
        "the users' list": await step("/django/admin/auth/user/"),
      };
    });
    expect(results.gunicorn["the right password"]).toMatchObject({
      status: 302,
      location: "/django/admin/",
      cookies: ["csrftoken", "sessionid"],
    });
    expect(results.gunicorn["the admin's index"].body).toContain("Site administration");
    expect(results.gunicorn["the products' list"].body).toContain("Select product to change");
    expectSameVisits(results);
  }, TEST_TIMEOUT);
});
