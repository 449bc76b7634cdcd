// Our port of waitress's InternalServerErrorTests and InternalServerErrorTestsWithTraceback
// (tests/test_functional.py): an app that fails gets a 500 whose body starts with "Internal
// Server Error" and has its length, and one line in the error log; the server goes on.

import { expect, test } from "bun:test";
import { DIFFERENCES, on } from "../support/differences.ts";
import { CLOSE_WAIT, eachTarget, expectKept, latin1, waitressPolicy } from "../support/waitress.ts";

for (const name of ["before_start_response", "after_start_response"]) {
  waitressPolicy(
    `test_${name}_http_11`,
    "headers exactly Connection, Content-Length, Content-Type, Date, Server, and a close",
    "its error page, and it closes after one; ours keeps an HTTP/1.1 connection usable",
  );
}
waitressPolicy(
  "test_after_write_cb",
  "200 with an empty body, then a close",
  "it sends the headers when write() is called; we send them once the app has returned or " +
    "yielded, so an app that fails right after write() gets a clean 500",
);
waitressPolicy(
  "test_in_generator",
  "200 with an empty body, then a close (Python)",
  "it sends the headers before checking the first chunk; ours refuses the str chunk first: 500",
);
waitressPolicy(
  "test_expose_tracebacks_http_11",
  "headers exactly Connection, Content-Length, Content-Type, Date, Server, and a close",
  "its error page; expose_tracebacks is its setting (ours is --debug, off by default)",
);

const ERROR_LINE = /Error in app for GET \/error(_traceback)?(\.py)?\//;

eachTarget((target) => {
  const { runtime, language } = target;
  const http10 = on(DIFFERENCES.statusLineToHttp10, runtime);

  // waitress InternalServerErrorTests.test_before_start_response_* and test_after_start_response_*,
  // and InternalServerErrorTestsWithTraceback.test_expose_tracebacks_*.
  const cases: [name: string, path: string, version: string, close: boolean][] = [];
  for (const name of ["before_start_response", "after_start_response"]) {
    const path = `${target.app("error")}/${name}`;
    cases.push(
      [`test_${name}_http_10`, path, "1.0", true],
      [`test_${name}_http_11`, path, "1.1", false],
      [`test_${name}_http_11_close`, path, "1.1", true],
    );
  }
  cases.push(
    ["test_expose_tracebacks_http_10", `${target.app("error_traceback")}/`, "1.0", true],
    ["test_expose_tracebacks_http_11", `${target.app("error_traceback")}/`, "1.1", false],
  );
  for (const [name, path, version, close] of cases) {
    test.concurrent(name, async () => {
      const head = version === "1.0" ? "HTTP/1.0" : "HTTP/1.1\r\nHost: peers";
      const request = `GET ${path} ${head}${
        close && version === "1.1" ? "\r\nConnection: close" : ""
      }\r\n\r\n`;
      const conn = await target.connect();
      conn.send(request);
      const response = await conn.read();
      expect(response.version).toBe(version === "1.0" ? http10 : "HTTP/1.1");
      expect([response.status, response.reason]).toEqual([500, "Internal Server Error"]);
      expect(Number(response.header("content-length"))).toBe(response.body.length);
      const body = latin1(response.body);
      expect(body.startsWith("Internal Server Error")).toBe(true);
      expect(body).not.toContain("failing on purpose");
      expect(body).not.toContain("broken on purpose");
      if (close && version === "1.1") {
        const echoed = on(DIFFERENCES.echoesConnectionClose, runtime);
        expect(response.header("connection")).toBe(echoed ? "close" : undefined);
      }
      await expectKept(conn, request, !close, 500);
      await (await target.server()).process.waitFor(ERROR_LINE, { stream: "stderr" });
    });
  }

  // waitress InternalServerErrorTests.test_after_write_cb: write("abc"), then an exception.
  test.concurrent("test_after_write_cb", async () => {
    const conn = await target.connect();
    conn.send(`GET ${target.app("error")}/after_write_cb HTTP/1.1\r\nHost: peers\r\n\r\n`);
    const response = await conn.read();
    expect(response.status).toBe(500);
    expect(latin1(response.body)).toBe("Internal Server Error\n");
  });

  // waitress InternalServerErrorTests.test_in_generator: the body generator yields "abc", then
  // raises. The app declared Content-Length 0, so TypeScript's generator is ended at its first
  // chunk, before the error; Python's str chunk is itself the error.
  test.concurrent("test_in_generator", async () => {
    const conn = await target.connect();
    conn.send(`GET ${target.app("error")}/in_generator HTTP/1.1\r\nHost: peers\r\n\r\n`);
    const response = await conn.read();
    if (language === "ts") {
      expect([response.status, response.header("content-length")]).toEqual([200, "0"]);
      expect(response.body.length).toBe(0);
    } else {
      expect(response.status).toBe(500);
    }
    conn.close();
  });

  // The server goes on: one more request on a fresh connection after all of the above.
  test("the server still answers", async () => {
    const conn = await target.connect();
    conn.send(`GET ${target.app("toolarge")}/ HTTP/1.0\r\n\r\n`);
    expect((await conn.read()).status).toBe(200);
    expect(await conn.closedWithin(CLOSE_WAIT)).toBe(true);
  });
});
