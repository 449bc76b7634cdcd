import { afterEach, describe, expect, test } from "bun:test";
import { createWatchdog, type Watchdog } from "../../src/python/watchdog.ts";

const made: Watchdog[] = [];
afterEach(() => {
  for (const watchdog of made.splice(0)) watchdog.close();
});

function watchdog(timeoutSeconds: number): Watchdog {
  const created = createWatchdog({ timeoutSeconds });
  made.push(created);
  return created;
}

describe("createWatchdog()", () => {
  test("sleep() waits its time and reports no interrupt while nothing holds the thread", () => {
    const dog = watchdog(0.05);
    const started = performance.now();
    expect(dog.sleep(0.2)).toBe(false);
    expect(performance.now() - started).toBeGreaterThanOrEqual(195);
    expect(dog.interrupt[0]).toBe(0);
  });

  test("interrupts a call holding the thread past the timeout: SIGINT in the buffer, sleep woken", () => {
    const dog = watchdog(0.2);
    dog.enter();
    const started = performance.now();
    expect(dog.sleep(10)).toBe(true);
    const waited = performance.now() - started;
    dog.leave();
    expect(dog.interrupt[0]).toBe(2);
    expect(waited).toBeGreaterThanOrEqual(190);
    expect(waited).toBeLessThan(5000);
  });

  test("counts only the outermost call: a nested enter/leave does not end the hold", () => {
    const dog = watchdog(0.2);
    dog.enter();
    dog.enter();
    dog.leave();
    expect(dog.sleep(10)).toBe(true);
    dog.leave();
  });

  test("never interrupts calls that overlap, each short, however long Python stays busy in all", () => {
    const dog = watchdog(0.2);
    // One call resumed (its read arrived) before it runs again, while others come and go: the
    // thread is never free, but no call holds it for long.
    dog.enter();
    const until = Date.now() + 800;
    while (Date.now() < until) {
      dog.enter();
      const done = Date.now() + 20;
      while (Date.now() < done) {
        // A short call's work.
      }
      dog.leave();
    }
    expect(dog.interrupt[0]).toBe(0);
    dog.leave();
  });

  test("clears an interrupt meant for a call that has ended, when the next call starts", () => {
    const dog = watchdog(0.1);
    dog.enter();
    expect(dog.sleep(10)).toBe(true);
    dog.leave();
    dog.enter();
    expect(dog.interrupt[0]).toBe(0);
    dog.leave();
  });

  test("with timeout 0 starts no thread: a held thread is never interrupted", () => {
    const dog = watchdog(0);
    dog.enter();
    expect(dog.sleep(0.3)).toBe(false);
    dog.leave();
  });

  test("reset() forgets calls that will never leave: the next hold is timed afresh", () => {
    const dog = watchdog(0.3);
    dog.enter();
    dog.reset();
    // Not held any more: a sleep outside any call is never interrupted.
    expect(dog.sleep(0.6)).toBe(false);
    dog.enter();
    expect(dog.sleep(10)).toBe(true);
    dog.leave();
  });
});
