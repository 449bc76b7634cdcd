// Our port of gunicorn's valid request corpus (tests/requests/valid/, tests/test_valid_requests.py):
// each request goes over a raw socket to an app that reports its environ (tests/peers/apps/
// environ.ts and environ.py) on `deno run -A mod.ts` and `bun run mod.ts`, and what the app saw is
// compared with what gunicorn parses: method, path, query, headers and body. Where a runtime
// decides otherwise, the expectation comes from DIFFERENCES (listed in docs/WSGI.md).

import { describe, expect, test } from "bun:test";
import type { RawConnection, WireResponse } from "../support/connection.ts";
import {
  expectedEnviron,
  lacksHost,
  type ReportedEnviron,
  urlStandardQuery,
  withHost,
} from "../support/corpus.ts";
import { DIFFERENCES, on, type Outcome } from "../support/differences.ts";
import type { RuntimeName } from "../support/peer_server.ts";
import { CLOSE_WAIT, eachTarget, type Target } from "../support/waitress.ts";
import { type Parsed, VALID_CASES, type ValidCase } from "./valid_cases.ts";
import { VALID_FIELD_CASES } from "./valid_field_cases.ts";
import { VALID_FRAMING_CASES } from "./valid_framing_cases.ts";
import { VALID_MORE_CASES } from "./valid_more_cases.ts";
import { VALID_TARGET_CASES } from "./valid_target_cases.ts";

const CASES: ValidCase[] = [
  ...VALID_CASES,
  ...VALID_FRAMING_CASES,
  ...VALID_MORE_CASES,
  ...VALID_FIELD_CASES,
  ...VALID_TARGET_CASES,
];

describe("gunicorn's own settings", () => {
  for (const { upstream, about, policy } of CASES) {
    if (policy) test.skip(`${upstream}: ${about} (gunicorn's own setting: ${policy})`, () => {});
  }
});

// The environ each request gunicorn parsed gives the app on `runtime`, for as many requests as
// the runtime answers on one connection.
function wanted(parsed: Parsed[], scriptName: string, runtime: RuntimeName, host: boolean) {
  const environs: ReportedEnviron[] = [];
  for (const request of parsed) {
    const dropped = (request.method === "GET" || request.method === "HEAD") &&
      !on(DIFFERENCES.getBody, runtime);
    const environ = expectedEnviron(dropped ? { ...request, body: "" } : request, scriptName);
    // A body the runtime dropped is no body for the app: no CONTENT_LENGTH or CONTENT_TYPE
    // promising one (docs/WSGI.md); `Content-Length: 0` stays.
    const declared = request.headers.some(([name, value]) =>
      (name === "CONTENT-LENGTH" && value !== "0") || name === "TRANSFER-ENCODING"
    );
    if (dropped && declared) {
      delete environ.CONTENT_LENGTH;
      delete environ.CONTENT_TYPE;
    }
    if (host) environ.HTTP_HOST ??= "peers.example";
    if (!on(DIFFERENCES.rawQuery, runtime)) {
      environ.QUERY_STRING = urlStandardQuery(environ.QUERY_STRING);
    }
    environs.push(environ);
    const keepAlive = request.headers.some(([n, v]) => n === "CONNECTION" && /keep-alive/i.test(v));
    if (request.version === "1.0" && keepAlive && !on(DIFFERENCES.http10KeepAlive, runtime)) break;
  }
  return environs;
}

// Reads up to `count` answers, stopping early at a close.
async function answers(conn: RawConnection, count: number): Promise<WireResponse[]> {
  const got: WireResponse[] = [];
  while (got.length < count) {
    const response = await conn.read().catch(() => undefined);
    if (!response) break;
    got.push(response);
  }
  return got;
}

function environOf(response: WireResponse): ReportedEnviron | number {
  if (response.status !== 200) return response.status;
  // The TypeScript app sends UTF-8 JSON, the Python one ASCII with \u escapes.
  return JSON.parse(new TextDecoder().decode(response.body));
}

async function check(target: Target, testCase: ValidCase) {
  const { runtime } = target;
  const scriptName = target.app("environ");
  let raw = testCase.raw;
  const outcome: Outcome = testCase.on ? on(DIFFERENCES[testCase.on] as never, runtime) : "served";
  const host = lacksHost(raw) && on(DIFFERENCES.http11WithoutHost, runtime) !== "served";
  if (host) {
    // As upstream sends it, refused; then with a Host added, compared.
    const conn = await target.connect();
    conn.send(raw.replaceAll("{app}", scriptName));
    expect((await conn.read()).status).toBe(on(DIFFERENCES.http11WithoutHost, runtime) as number);
    conn.close();
    raw = withHost(raw);
  }
  const environs = wanted(testCase.expect, scriptName, runtime, host);
  const conn = await target.connect();
  conn.send(raw.replaceAll("{app}", scriptName));
  const got = await answers(conn, Math.max(environs.length, 1));
  if (testCase.answer !== undefined) {
    // No app can be mounted at this target: the server's own answer, or the runtime's.
    expect(got[0]?.status ?? "closed").toBe(outcome === "served" ? testCase.answer : outcome);
  } else if (outcome !== "served") {
    const allowed = (Array.isArray(outcome) ? outcome : [outcome]).map((one) =>
      one === "served" ? environs[0] : one
    );
    expect(allowed).toContainEqual(got.length ? environOf(got[0]) : "closed");
  } else if (environs.length > 1 && !on(DIFFERENCES.pipelinedBehindPending, runtime)) {
    // Bun closes a connection when a request arrives behind one it has not answered in time:
    // a Python app reading a chunked body, any app on a busy server. What did come is right.
    const seen = got.map(environOf);
    expect(seen).toEqual(environs.slice(0, seen.length));
    if (seen.length < environs.length) expect(await conn.closedWithin(CLOSE_WAIT)).toBe(true);
  } else {
    expect(got.map(environOf)).toEqual(environs);
  }
  conn.close();
}

eachTarget((target) => {
  for (const testCase of CASES) {
    if (testCase.policy) continue;
    test.concurrent(`${testCase.upstream}: ${testCase.about}`, () => check(target, testCase));
  }
});
