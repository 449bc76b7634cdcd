/**
 * The demo site as a Cloudflare Worker (`npx wrangler dev`, `npx wrangler deploy`, configured by
 * `wrangler.toml`): the TypeScript demo apps under `/apps/`, and `public/` as the Worker's
 * static assets.
 *
 * Not here: `/apps/files/` reads `public/` from the disk, which a Worker has not (the same pages
 * are its static assets), and the Python apps, which need Cloudflare's own Python Workers (see
 * the README, "Python on Workers").
 *
 * @module
 */

import { createApp } from "../workers.ts";
import { application as echo } from "./echo.ts";
import { application as environ } from "./environ.ts";
import { application as hello } from "./hello.ts";
import { application as stream } from "./stream.ts";

export default createApp({
  mounts: {
    "/apps/hello": hello,
    "/apps/environ": environ,
    "/apps/echo": echo,
    "/apps/stream": stream,
  },
});
