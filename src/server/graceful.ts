/**
 * Graceful shutdown on SIGINT (Ctrl-C) and SIGTERM, shared by `serve()` and the command line:
 * stop accepting connections, let the requests in flight finish (their `close()` runs as they
 * do) for at most a timeout, then exit with 0, as gunicorn's workers do.
 *
 * @module
 */

import process from "node:process";

/** Options for {@linkcode exitGracefullyOnSignal}. */
export interface GracefulOptions {
  /** How long requests in flight may take to finish, in seconds; defaults to 30. */
  timeoutSeconds?: number;
  /** Told which signal arrived, before the requests in flight are waited for. */
  onSignal?: (signal: string) => void;
  /** Told when requests were still in flight at the timeout and were cut short. */
  onTimeout?: (timeoutSeconds: number) => void;
}

const SIGNALS = ["SIGINT", "SIGTERM"] as const;

/**
 * Listens for SIGINT and SIGTERM; on the first, calls `shutdown` (stop accepting, finish what is
 * in flight), waits for it for at most the timeout, and exits the process with 0.
 *
 * @param shutdown Stops the server and resolves once its requests in flight are done
 * @param options The timeout and what to tell on the way
 * @returns A function that removes the listeners, for a server shut down some other way
 * @example
 * ```ts
 * import { exitGracefullyOnSignal } from "./graceful.ts";
 * import { serve } from "./serve.ts";
 * const server = serve((_environ, startResponse) => {
 *   startResponse("200 OK", []);
 *   return ["ok"];
 * }, { port: 0, handleSignals: false, onListen() {} });
 * const remove = exitGracefullyOnSignal(() => server.shutdown(), { timeoutSeconds: 10 });
 * remove();
 * await server.shutdown();
 * ```
 */
export function exitGracefullyOnSignal(
  shutdown: () => Promise<void>,
  options: GracefulOptions = {},
): () => void {
  const timeoutSeconds = options.timeoutSeconds ?? 30;
  const remove = () => {
    for (const signal of SIGNALS) process.off(signal, onSignal);
  };
  async function onSignal(signal: string) {
    remove();
    options.onSignal?.(signal);
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timedOut = new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(true), timeoutSeconds * 1000);
    });
    const late = await Promise.race([shutdown().then(() => false), timedOut]);
    clearTimeout(timer);
    if (late) options.onTimeout?.(timeoutSeconds);
    process.exit(0);
  }
  for (const signal of SIGNALS) process.on(signal, onSignal);
  return remove;
}
