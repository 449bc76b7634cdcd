/**
 * The framework tests' Django project (tests/fixtures/python/frameworks/mysite), ready to serve:
 * copied, migrated natively with Debian's Python (as a user runs `manage.py migrate`) and given
 * an admin user. Used by tests/python/frameworks_test.ts and bench/django_login.ts.
 *
 * @module
 */

import { execFileSync } from "node:child_process";
import { cpSync } from "node:fs";
import process from "node:process";
import { fromFileUrl } from "../../src/base/path.ts";
import { DEBIAN_PYTHON } from "./gunicorn_process.ts";

/** The project as `django-admin startproject` left it, with a shop app. */
export const MYSITE = fromFileUrl(
  new URL("../fixtures/python/frameworks/mysite", import.meta.url),
);

/** The admin user {@linkcode migratedMysite} creates. */
export const ADMIN = { username: "admin", password: "secret-pass" };

/**
 * Copies the project to `folder`, migrates its SQLite database and creates {@linkcode ADMIN}.
 *
 * @param folder Where the project goes (created)
 * @example
 * ```ts ignore
 * migratedMysite("/tmp/x/mysite"); // then gunicorn --chdir /tmp/x/mysite mysite.wsgi
 * ```
 */
export function migratedMysite(folder: string): void {
  cpSync(MYSITE, folder, { recursive: true });
  const manage = (...args: string[]) =>
    execFileSync(DEBIAN_PYTHON, ["manage.py", ...args], {
      cwd: folder,
      env: {
        ...process.env,
        DJANGO_SUPERUSER_PASSWORD: ADMIN.password,
        PYTHONDONTWRITEBYTECODE: "1",
      },
      stdio: "pipe",
    });
  manage("migrate", "-v", "0");
  manage("createsuperuser", "--noinput", "--username", ADMIN.username, "--email", "a@b.example");
}
