// Our port of gunicorn's invalid request corpus (tests/requests/invalid/,
// tests/test_invalid_requests.py): each request goes over a raw socket to `deno run -A mod.ts`
// and `bun run mod.ts` and must be refused (a 4xx, or a close) within a bounded wait, never
// served and never a 5xx. Where a runtime does otherwise, the expectation comes from DIFFERENCES
// (listed in docs/WSGI.md). Where the refusal is gunicorn's own policy, only our own rule is
// checked: no 5xx, no hang.

import { describe, expect, test } from "bun:test";
import { DIFFERENCES, on, type Outcome } from "../support/differences.ts";
import { expectOutcome, outcomeOf } from "../support/outcome.ts";
import { eachTarget } from "../support/waitress.ts";
import { INVALID_CASES, type InvalidCase } from "./invalid_cases.ts";
import { INVALID_CHUNKED_CASES } from "./invalid_chunked_cases.ts";
import { INVALID_FIELD_CASES } from "./invalid_field_cases.ts";

const CASES: InvalidCase[] = [...INVALID_CASES, ...INVALID_CHUNKED_CASES, ...INVALID_FIELD_CASES];

describe("gunicorn's own policy", () => {
  for (const { upstream, about, policy } of CASES) {
    if (policy) test.skip(`${upstream}: ${about} (gunicorn's own policy: ${policy})`, () => {});
  }
});

eachTarget((target) => {
  const { runtime } = target;
  const app = target.app("environ");
  for (const testCase of CASES) {
    const { upstream, about, raw, policy } = testCase;
    if (!raw) continue;
    const send = async () => {
      const conn = await target.connect();
      conn.send(raw.replaceAll("{app}", app));
      if (testCase.end) conn.end();
      return conn;
    };
    if (policy) {
      // gunicorn refuses it by its own rule; ours is only: no 5xx, no hang.
      test.concurrent(`${upstream}: ${about}: no 5xx, no hang`, async () => {
        const conn = await send();
        const outcome = await outcomeOf(conn, "application/json");
        if (typeof outcome === "number") expect(outcome).toBeLessThan(500);
        conn.close();
      });
      continue;
    }
    test.concurrent(`${upstream}: ${about}`, async () => {
      const expected: Outcome = testCase.on
        ? on(DIFFERENCES[testCase.on] as never, runtime)
        : testCase.outcome ?? 400;
      const conn = await send();
      expectOutcome(await outcomeOf(conn, "application/json"), expected);
      conn.close();
    });
  }
});
