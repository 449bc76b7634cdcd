/**
 * Django's admin login under edge-wsgi against gunicorn: issue 17's goal is a login within 1.5×
 * of gunicorn's time. A login is one PBKDF2 of Django's default hasher (260 000 iterations of
 * SHA-256 in Django 3.2), a session saved to SQLite and a redirect; under Pyodide the PBKDF2 is
 * `node:crypto`'s (src/python/native_hashlib.ts), so most of the rest is Django in WebAssembly.
 *
 *   bun run bench/django_login.ts              # LOGINS=15 per server, RUNTIMES="deno bun"
 *   LOGINS=31 RUNTIMES=deno bun run bench/django_login.ts
 *
 * The project is tests/fixtures/python/frameworks/mysite (`django-admin startproject` and a shop
 * app), migrated natively with an admin user, one copy per server; Django and its dependencies
 * are vendored from Debian's `python3-django` as the tests vendor them. Each server runs one
 * worker as its command line starts it by default (gunicorn `-w 1 mysite.wsgi:application`;
 * `mod.ts --chdir … --mount /=mysite.wsgi:application --python-writable`, access log on). Each
 * login: GET the login page for its CSRF cookie (not timed), then the POST of the right password,
 * timed from the request to the end of the 302's body. Servers take turns, login after login, so
 * a change in the machine's load touches all of them alike; the first two logins of each are
 * not counted. Prints the median, the range and the ratio to gunicorn's median.
 *
 * @module
 */

import { cpSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import process from "node:process";
import { join } from "../src/base/path.ts";
import { killAll, runCli } from "../tests/support/cli_process.ts";
import { gunicornMissing, startGunicorn } from "../tests/support/gunicorn_process.ts";
import { vendorDebianPackages } from "../tests/support/python_vendor.ts";
import { ADMIN, migratedMysite } from "../tests/support/django_site.ts";
import type { RuntimeName } from "../tests/support/server_process.ts";

const LOGINS = Number(process.env.LOGINS ?? 15);
const WARM_UP = 2;
const RUNTIMES = (process.env.RUNTIMES ?? "deno bun").split(/\s+/).filter(Boolean) as RuntimeName[];

const vendor = vendorDebianPackages();
const missing = "missing" in vendor ? vendor.missing : gunicornMissing();
if (missing) {
  console.error(`bench/django_login.ts needs Debian's Django and gunicorn: ${missing}`);
  process.exit(1);
}
const work = mkdtempSync(join(tmpdir(), "edge-wsgi-login-"));
const servers = ["gunicorn", ...RUNTIMES];
const stops: (() => void)[] = [];

try {
  const base = join(work, "base", "mysite");
  migratedMysite(base);
  const urls: Record<string, string> = {};
  for (const server of servers) {
    const folder = join(work, server, "mysite");
    cpSync(base, folder, { recursive: true });
    if (server === "gunicorn") {
      const gunicorn = await startGunicorn([
        "--chdir",
        folder,
        "-w",
        "1",
        "mysite.wsgi:application",
      ]);
      stops.push(() => gunicorn.stop());
      urls[server] = gunicorn.url;
    } else {
      const edge = runCli(server as RuntimeName, {
        args: [
          "--chdir",
          folder,
          "--mount",
          "/=mysite.wsgi:application",
          "--python-path",
          "dir" in vendor ? vendor.dir : "",
          "--python-writable",
        ],
      });
      urls[server] = (await edge.listening()).url.replace(/\/$/, "");
    }
  }
  const times: Record<string, number[]> = Object.fromEntries(servers.map((s) => [s, []]));
  for (let round = 0; round < LOGINS + WARM_UP; round++) {
    // Every other round in the other order.
    const order = round % 2 ? [...servers].reverse() : servers;
    for (const server of order) {
      const ms = await login(urls[server]);
      if (round >= WARM_UP) times[server].push(ms);
    }
  }
  const median = (values: number[]) => {
    const sorted = [...values].sort((a, b) => a - b);
    return sorted[Math.floor(sorted.length / 2)];
  };
  const gunicornMedian = median(times.gunicorn);
  console.log(`\nDjango admin login, ${LOGINS} logins per server, interleaved (ms):\n`);
  console.log("| server | median | range | ÷ gunicorn's median (goal ≤ 1.5) |");
  console.log("| --- | ---: | ---: | ---: |");
  for (const server of servers) {
    const values = times[server];
    const m = median(values);
    const range = `${Math.min(...values).toFixed(0)}–${Math.max(...values).toFixed(0)}`;
    const ratio = (m / gunicornMedian).toFixed(2);
    console.log(`| ${server} | ${m.toFixed(0)} | ${range} | ${ratio} |`);
  }
} finally {
  for (const stop of stops) stop();
  killAll();
  rmSync(work, { recursive: true, force: true });
  if ("dir" in vendor) vendor.remove();
}

// One login: the page (for its CSRF cookie), then the timed POST of the right password.
async function login(url: string): Promise<number> {
  const page = await fetch(`${url}/admin/login/?next=/admin/`);
  await page.arrayBuffer();
  const csrf = page.headers.getSetCookie().map((c) => c.split(";")[0])
    .find((c) => c.startsWith("csrftoken="))?.slice("csrftoken=".length);
  if (!csrf) throw new Error(`${url}: no csrftoken cookie on the login page (${page.status})`);
  const body = new URLSearchParams({ csrfmiddlewaretoken: csrf, ...ADMIN, next: "/admin/" });
  const started = performance.now();
  const response = await fetch(`${url}/admin/login/?next=/admin/`, {
    method: "POST",
    body,
    headers: { cookie: `csrftoken=${csrf}` },
    redirect: "manual",
  });
  await response.arrayBuffer();
  const ms = performance.now() - started;
  if (response.status !== 302 || response.headers.get("location") !== "/admin/") {
    throw new Error(`${url}: the login answered ${response.status}, not a 302 to /admin/`);
  }
  return ms;
}
