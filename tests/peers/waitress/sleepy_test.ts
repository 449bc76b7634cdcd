// Our port of waitress's SleepyThreadTests.test_it (tests/test_functional.py): a request that
// takes two seconds does not hold up another one sent after it.

import { expect, test } from "bun:test";
import { eachTarget, latin1, notPorted } from "../support/waitress.ts";

eachTarget((target) => {
  if (target.language === "py") {
    // Not waitress's policy nor the runtime's: ours. time.sleep() in a Python app blocks the
    // interpreter, which runs on the server's one event loop, so every request of that process
    // (Python, TypeScript, static files) waits for it; waitress runs apps in threads.
    notPorted("test_it", "edge-wsgi's own limit: a blocking Python call holds its whole process");
    return;
  }
  test.concurrent("test_it", async () => {
    const app = target.app("sleepy");
    const finished: string[] = [];
    const ask = async (path: string) => {
      const conn = await target.connect();
      conn.send(`GET ${app}${path} HTTP/1.1\r\nHost: peers\r\nConnection: close\r\n\r\n`);
      finished.push(latin1((await conn.read()).body));
    };
    await Promise.all([ask("/sleepy"), ask("/")]);
    expect(finished.join("")).toBe("quick answerslow answer");
  });
});
