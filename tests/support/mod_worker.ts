/**
 * `mod.ts`, the Deno and Bun entry, in a Worker with `nodejs_compat`, for tests/workerd_test.ts:
 * its `createApp()` with a static root answers from the `ASSETS` binding, as the Workers one
 * does, instead of failing for want of a file system.
 *
 * @module
 */

import { createApp } from "../../mod.ts";
import { application as environ } from "../../examples/environ.ts";

export default createApp({ root: "public", mounts: { "/apps/environ": environ } });
