import { describe, expect, test } from "bun:test";
import { type PlannedWorker, planWorkers } from "../../../src/server/cli/worker_plan.ts";

type W = PlannedWorker & { name: string };

let clock = 0;
function worker(name: string, state: Partial<PlannedWorker> = {}): W {
  clock += 10;
  return { name, startedAt: clock, readyAt: clock + 1, stopping: false, closed: false, ...state };
}
const booting = (name: string, state: Partial<PlannedWorker> = {}) =>
  worker(name, { readyAt: undefined, ...state });
const names = (workers: W[]) => workers.map((w) => w.name);

describe("planWorkers()", () => {
  test("planWorkers() starts every missing worker at once", () => {
    expect(planWorkers([], 3)).toEqual({ start: 3, retire: [] });
    expect(planWorkers([worker("a")], 3)).toEqual({ start: 2, retire: [] });
    expect(planWorkers([worker("a"), booting("b")], 2)).toEqual({ start: 0, retire: [] });
  });

  test("planWorkers() does not count a stopping worker", () => {
    const plan = planWorkers([worker("a"), worker("b", { stopping: true })], 2);
    expect(plan).toEqual({ start: 1, retire: [] });
  });

  test("planWorkers() starts one replacement for a due worker, and retires it once that listens", () => {
    const old = worker("old", { due: "SIGHUP" });
    expect(planWorkers([old], 1)).toEqual({ start: 1, retire: [] });
    expect(planWorkers([old, booting("new")], 1)).toEqual({ start: 0, retire: [] });
    const plan = planWorkers([old, worker("new")], 1);
    expect(plan.start).toBe(0);
    expect(names(plan.retire)).toEqual(["old"]);
  });

  test("planWorkers() replaces due workers one at a time, each once no retiring worker listens", () => {
    const a = worker("a", { due: "SIGHUP" });
    const b = worker("b", { due: "SIGHUP" });
    expect(planWorkers([a, b], 2).start).toBe(1);
    const n1 = worker("n1");
    const step = planWorkers([a, b, n1], 2);
    expect(step).toEqual({ start: 0, retire: [a] });
    a.stopping = true;
    // a drains: still listening, so b's replacement waits.
    expect(planWorkers([a, b, n1], 2)).toEqual({ start: 0, retire: [] });
    a.closed = true;
    expect(planWorkers([a, b, n1], 2)).toEqual({ start: 1, retire: [] });
  });

  test("planWorkers() fills a shortfall at once even while replacing", () => {
    const due = worker("due", { due: "--max-requests" });
    const draining = worker("draining", { stopping: true });
    // Two of three serve, one of them due, one other worker gone: start the missing one now.
    expect(planWorkers([due, worker("ok"), draining], 3).start).toBe(1);
  });

  test("planWorkers() retires the oldest worker when more listen than wanted (SIGTTOU)", () => {
    const a = worker("a");
    const b = worker("b");
    expect(names(planWorkers([b, a], 1).retire)).toEqual(["a"]);
    expect(planWorkers([a, b], 1).start).toBe(0);
  });

  test("planWorkers() retires a due worker before an older one", () => {
    const old = worker("old");
    const due = worker("due", { due: "memory" });
    expect(names(planWorkers([old, due, worker("new")], 2).retire)).toEqual(["due"]);
  });
});
