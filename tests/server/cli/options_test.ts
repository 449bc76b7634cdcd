import { describe, expect, test } from "bun:test";
import {
  type Config,
  defaultConfig,
  GUNICORN_FORMAT,
  OPTIONS,
  parseSize,
  UsageError,
} from "../../../src/server/cli/options.ts";
import { helpText, parseConfig, sourceOf } from "../../../src/server/cli/parse_config.ts";

/** Parses, or returns the UsageError's message. */
function usageError(args: string[], env: Record<string, string> = {}): string {
  try {
    parseConfig(args, env);
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    return (error as Error).message;
  }
  throw new Error(`parseConfig(${JSON.stringify(args)}, ${JSON.stringify(env)}) did not throw`);
}

// option, a value as typed, what it sets
const VALUES: [string, string, Partial<Config>][] = [
  ["port", "8123", { port: 8123 }],
  ["port", "0", { port: 0 }],
  ["hostname", "0.0.0.0", { hostname: "0.0.0.0" }],
  ["hostname", "::1", { hostname: "::1" }],
  ["root", "site/public", { root: "site/public" }],
  ["apps", "./apps", { apps: "./apps" }],
  ["mount", "/api=./api.ts", { mounts: [["/api", "./api.ts"]] }],
  ["mount", "/a/b=mods/b.js", { mounts: [["/a/b", "mods/b.js"]] }],
  ["mount", "/=mysite.wsgi:application", { mounts: [["/", "mysite.wsgi:application"]] }],
  ["workers", "4", { workers: 4 }],
  ["max-requests", "1000", { maxRequests: 1000 }],
  ["max-requests", "0", { maxRequests: 0 }],
  ["max-requests-jitter", "50", { maxRequestsJitter: 50 }],
  ["max-worker-memory", "512M", { maxWorkerMemory: 512 * 1024 ** 2 }],
  ["max-worker-memory", "1G", { maxWorkerMemory: 1024 ** 3 }],
  ["max-worker-memory", "off", { maxWorkerMemory: 0 }],
  ["access-log", "%(h)s %(s)s", { accessLog: "%(h)s %(s)s" }],
  ["access-log", "off", { accessLog: null }],
  ["access-log", "OFF", { accessLog: null }],
  ["access-log", "gunicorn", { accessLog: GUNICORN_FORMAT }],
  ["forwarded-allow-ips", "10.0.0.1, 10.1.0.0/16", {
    forwardedAllowIps: ["10.0.0.1", "10.1.0.0/16"],
  }],
  ["forwarded-allow-ips", "*", { forwardedAllowIps: ["*"] }],
  ["max-body-size", "10M", { maxBodySize: 10 * 1024 ** 2 }],
  ["root-path", "/prefix", { rootPath: "/prefix" }],
  ["root-path", "/a/b", { rootPath: "/a/b" }],
  ["graceful-timeout", "5", { gracefulTimeout: 5 }],
  ["timeout", "0", { timeout: 0 }],
  ["timeout", "120", { timeout: 120 }],
  ["debug", "true", { debug: true }],
  ["reload", "1", { reload: true }],
  ["python-compat", "1", { pythonCompat: true }],
  ["low-memory", "1", { lowMemory: true }],
  ["chdir", "mysite", { chdir: "mysite" }],
  ["python-snapshot", "/var/cache/snapshots", { pythonSnapshot: "/var/cache/snapshots" }],
  ["python-snapshot", "off", { pythonSnapshot: "off" }],
  ["python-snapshot", "OFF", { pythonSnapshot: "off" }],
];

const ENV_OF = Object.fromEntries(OPTIONS.map((option) => [option.name, option.env]));
const HAS_VALUE = new Set(OPTIONS.filter((option) => option.value).map((option) => option.name));

describe("parseConfig() values", () => {
  test("parseConfig() gives the defaults with no arguments and no environment", () => {
    expect(parseConfig([], {})).toEqual(defaultConfig());
    expect(defaultConfig()).toMatchObject({
      port: 8000,
      hostname: "127.0.0.1",
      root: null,
      apps: null,
      mounts: [],
      workers: 1,
      maxRequests: 0,
      maxRequestsJitter: 0,
      maxWorkerMemory: 0,
      accessLog: GUNICORN_FORMAT,
      forwardedAllowIps: ["127.0.0.1", "::1"],
      maxBodySize: 1024 ** 3,
      rootPath: "",
      debug: false,
      reload: false,
      gracefulTimeout: 30,
      timeout: 30,
      help: false,
      pythonCompat: true,
      chdir: null,
    });
  });

  test("parseConfig() reads every option as `--name value` (a flag as `--name`)", () => {
    for (const [name, value, expected] of VALUES) {
      const args = HAS_VALUE.has(name) ? [`--${name}`, value] : [`--${name}`];
      expect({ name, value, config: parseConfig(args, {}) }).toMatchObject({
        name,
        value,
        config: expected,
      });
    }
  });

  test("parseConfig() reads every option as `--name=value`", () => {
    for (const [name, value, expected] of VALUES) {
      expect({ name, value, config: parseConfig([`--${name}=${value}`], {}) }).toMatchObject({
        name,
        value,
        config: expected,
      });
    }
  });

  test("parseConfig() reads every option from its environment variable", () => {
    for (const [name, value, expected] of VALUES) {
      const env = { [ENV_OF[name]]: value };
      expect({ env, config: parseConfig([], env) }).toMatchObject({ env, config: expected });
    }
  });

  test("parseConfig() lets the command line win over the environment", () => {
    const env = {
      PORT: "1111",
      HOSTNAME: "0.0.0.0",
      ROOT: "env-root",
      APPS: "env-apps",
      MOUNTS: "/env=./env.ts",
      WORKERS: "3",
      MAX_REQUESTS: "100",
      MAX_REQUESTS_JITTER: "10",
      MAX_WORKER_MEMORY: "1G",
      ACCESS_LOG: "off",
      FORWARDED_ALLOW_IPS: "10.0.0.1",
      MAX_BODY_SIZE: "1K",
      ROOT_PATH: "/env",
      GRACEFUL_TIMEOUT: "9",
      TIMEOUT: "8",
      DEBUG: "1",
      PYTHONPATH: "env-a:env-b",
      PYTHON_WRITABLE: "1",
      PRELOAD: "1",
      LOW_MEMORY: "1",
      PYTHON_COMPAT: "1",
      PYTHON_SNAPSHOT: "/env-snapshots",
      CHDIR: "env-dir",
    };
    const config = parseConfig([
      "--port",
      "2222",
      "--hostname=::1",
      "--root",
      "arg-root",
      "--apps",
      "arg-apps",
      "--mount",
      "/arg=./arg.ts",
      "--workers",
      "2",
      "--max-requests",
      "200",
      "--max-requests-jitter=20",
      "--max-worker-memory",
      "off",
      "--access-log",
      "%(s)s",
      "--forwarded-allow-ips",
      "10.0.0.2",
      "--max-body-size",
      "2K",
      "--root-path",
      "/arg",
      "--graceful-timeout",
      "1",
      "--timeout",
      "7",
      "--no-debug",
      "--python-path",
      "arg-py",
      "--no-python-writable",
      "--no-low-memory",
      "--no-python-compat",
      "--python-snapshot",
      "off",
      "--chdir",
      "arg-dir",
    ], env);
    expect(config).toEqual({
      port: 2222,
      hostname: "::1",
      root: "arg-root",
      apps: "arg-apps",
      mounts: [["/arg", "./arg.ts"]],
      workers: 2,
      maxRequests: 200,
      maxRequestsJitter: 20,
      maxWorkerMemory: 0,
      accessLog: "%(s)s",
      forwardedAllowIps: ["10.0.0.2"],
      maxBodySize: 2048,
      rootPath: "/arg",
      debug: false,
      reload: false,
      gracefulTimeout: 1,
      timeout: 7,
      help: false,
      pythonPath: ["arg-py"],
      pythonWritable: false,
      preload: true,
      lowMemory: false,
      pythonCompat: false,
      pythonSnapshot: "off",
      chdir: "arg-dir",
    });
  });

  test("parseConfig() turns the Python compatibility layer off only when asked", () => {
    expect(parseConfig([], {}).pythonCompat).toBe(true);
    expect(parseConfig(["--no-python-compat"], {}).pythonCompat).toBe(false);
    expect(parseConfig(["--python-compat=0"], {}).pythonCompat).toBe(false);
    expect(parseConfig([], { PYTHON_COMPAT: "0" }).pythonCompat).toBe(false);
    expect(parseConfig(["--python-compat"], { PYTHON_COMPAT: "0" }).pythonCompat).toBe(true);
  });

  test("parseConfig() reads --python-path repeated, and PYTHONPATH split on ':'", () => {
    expect(parseConfig([], { PYTHONPATH: "a:b" }).pythonPath).toEqual(["a", "b"]);
    const config = parseConfig(["--python-path", "x", "--python-path=y"], { PYTHONPATH: "a" });
    expect(config.pythonPath).toEqual(["x", "y"]);
  });

  test("parseConfig() ignores an empty environment variable", () => {
    expect(parseConfig([], { PORT: "", WORKERS: "", ACCESS_LOG: "" })).toEqual(defaultConfig());
  });

  test("parseConfig() reads --help", () => {
    expect(parseConfig(["--help"], {}).help).toBe(true);
    expect(parseConfig(["--port", "1", "--help"], {}).help).toBe(true);
  });

  test("parseConfig() reads -h as --help", () => {
    expect(parseConfig(["-h"], {}).help).toBe(true);
    expect(parseConfig(["--port", "1", "-h"], {}).help).toBe(true);
    expect(() => parseConfig(["-x"], {})).toThrow('Unexpected argument "-x"');
  });
});

describe("parseConfig() flags", () => {
  test("parseConfig() reads a flag, --no-flag and --flag=value", () => {
    // args, env, debug
    const cases: [string[], Record<string, string>, boolean][] = [
      [["--debug"], {}, true],
      [["--no-debug"], {}, false],
      [["--no-debug"], { DEBUG: "1" }, false],
      [["--debug"], { DEBUG: "0" }, true],
      [["--debug=false"], {}, false],
      [["--debug=yes"], {}, true],
      [["--debug", "--no-debug"], {}, false],
      [[], { DEBUG: "1" }, true],
      [[], { DEBUG: "true" }, true],
      [[], { DEBUG: "YES" }, true],
      [[], { DEBUG: "on" }, true],
      [[], { DEBUG: "0" }, false],
      [[], { DEBUG: "false" }, false],
      [[], { DEBUG: "no" }, false],
      [[], { DEBUG: "Off" }, false],
    ];
    for (const [args, env, debug] of cases) {
      expect({ args, env, debug: parseConfig(args, env).debug }).toEqual({ args, env, debug });
    }
  });

  test("parseConfig() reads --reload and --no-reload over RELOAD", () => {
    expect(parseConfig(["--reload"], {}).reload).toBe(true);
    expect(parseConfig([], { RELOAD: "1" }).reload).toBe(true);
    expect(parseConfig(["--no-reload"], { RELOAD: "1" }).reload).toBe(false);
  });

  test("parseConfig() takes the argument after a flag as a stray argument, not its value", () => {
    expect(usageError(["--debug", "true"])).toContain('"true"');
  });
});

describe("parseConfig() mounts", () => {
  test("parseConfig() reads MOUNTS as a comma-separated list", () => {
    expect(parseConfig([], { MOUNTS: "/a=./a.ts, /b/c=./c.js,," }).mounts).toEqual([
      ["/a", "./a.ts"],
      ["/b/c", "./c.js"],
    ]);
  });

  test("parseConfig() takes --mount more than once", () => {
    expect(parseConfig(["--mount", "/a=./a.ts", "--mount=/b=./b.ts"], {}).mounts).toEqual([
      ["/a", "./a.ts"],
      ["/b", "./b.ts"],
    ]);
  });

  test("parseConfig() lets --mount replace MOUNTS rather than add to it", () => {
    const env = { MOUNTS: "/env=./env.ts,/other=./other.ts" };
    expect(parseConfig(["--mount", "/arg=./arg.ts"], env).mounts).toEqual([["/arg", "./arg.ts"]]);
    expect(parseConfig([], env).mounts).toEqual([["/env", "./env.ts"], ["/other", "./other.ts"]]);
  });

  test("parseConfig() keeps an = inside the module path", () => {
    expect(parseConfig(["--mount", "/a=./x=y.ts"], {}).mounts).toEqual([["/a", "./x=y.ts"]]);
  });
});

describe("parseSize()", () => {
  test("parseSize() reads bytes and binary units", () => {
    const cases: [string, number][] = [
      ["1048576", 1048576],
      ["0", 0],
      ["512K", 512 * 1024],
      ["512k", 512 * 1024],
      ["512KB", 512 * 1024],
      ["10M", 10 * 1024 ** 2],
      ["10MiB", 10 * 1024 ** 2],
      ["1G", 1024 ** 3],
      ["1GiB", 1024 ** 3],
      ["1gib", 1024 ** 3],
      ["2 G", 2 * 1024 ** 3],
      [" 7 ", 7],
      ["100B", 100],
    ];
    for (const [text, bytes] of cases) {
      expect({ text, bytes: parseSize(text) }).toEqual({ text, bytes });
    }
  });

  test("parseSize() refuses what is not a size", () => {
    for (
      const text of ["", "lots", "-1", "1.5G", "1T", "G", "1 G B", "0x10", "1e3", "10 MB extra"]
    ) {
      expect(() => parseSize(text, "--max-body-size")).toThrow(UsageError);
      expect(() => parseSize(text, "--max-body-size")).toThrow("--max-body-size");
    }
  });

  test("parseConfig() reads --max-body-size and MAX_BODY_SIZE as sizes", () => {
    expect(parseConfig(["--max-body-size", "512K"], {}).maxBodySize).toBe(524288);
    expect(parseConfig([], { MAX_BODY_SIZE: "1GiB" }).maxBodySize).toBe(1024 ** 3);
    expect(parseConfig([], { MAX_BODY_SIZE: "1048576" }).maxBodySize).toBe(1048576);
  });
});

describe("parseConfig() errors", () => {
  // option, a bad value
  const BAD: [string, string][] = [
    ["port", "abc"],
    ["port", "-1"],
    ["port", "65536"],
    ["port", "80.5"],
    ["port", "1e3"],
    ["hostname", "a b"],
    ["hostname", "host/name"],
    ["mount", "api=./api.ts"],
    ["mount", "/api="],
    ["mount", "=./api.ts"],
    ["mount", "/api/=./api.ts"],
    ["mount", "/api"],
    ["workers", "x"],
    ["workers", "0"],
    ["workers", "257"],
    ["workers", "2.5"],
    ["max-requests", "-1"],
    ["max-requests", "many"],
    ["max-requests-jitter", "1.5"],
    ["max-worker-memory", "lots"],
    ["max-worker-memory", "-1G"],
    ["max-body-size", "lots"],
    ["max-body-size", "-5"],
    ["root-path", "nope"],
    ["root-path", "/prefix/"],
    ["root-path", "//"],
    ["root-path", "/"],
    ["graceful-timeout", "soon"],
    ["graceful-timeout", "-1"],
    ["timeout", "1.5"],
    ["debug", "maybe"],
    ["reload", "2"],
  ];

  test("parseConfig() names the option of a bad value on the command line", () => {
    for (const [name, value] of BAD) {
      const args = HAS_VALUE.has(name) ? [`--${name}`, value] : [`--${name}=${value}`];
      const message = usageError(args);
      expect({ args, named: message.includes(`--${name}`) }).toEqual({ args, named: true });
      expect(message).not.toContain("\n");
    }
  });

  test("parseConfig() names the environment variable of a bad value from the environment", () => {
    for (const [name, value] of BAD.filter(([name]) => name !== "mount")) {
      const env = { [ENV_OF[name]]: value };
      const message = usageError([], env);
      expect({ env, message, named: message.includes(ENV_OF[name]) }).toMatchObject({
        env,
        named: true,
      });
      expect(message).not.toContain("\n");
    }
  });

  test("parseConfig() names MOUNTS, not --mount, for a bad entry in MOUNTS", () => {
    for (const [, value] of BAD.filter(([name]) => name === "mount")) {
      const message = usageError([], { MOUNTS: `/ok=./ok.ts,${value}` });
      expect({ value, message }).toEqual({ value, message: expect.stringContaining("MOUNTS") });
      expect(message).not.toContain("--mount");
    }
  });

  test("parseConfig() quotes the bad value", () => {
    expect(usageError(["--port", "abc"])).toContain('"abc"');
    expect(usageError([], { WORKERS: "x" })).toContain('"x"');
    expect(usageError([], { MAX_BODY_SIZE: "lots" })).toContain('"lots"');
  });

  test("parseConfig() refuses a --forwarded-allow-ips entry that is not an address or network", () => {
    // Found only later, when the first handler is built, it would not be a UsageError.
    expect(usageError(["--forwarded-allow-ips", "nope"])).toContain("--forwarded-allow-ips");
    expect(usageError([], { FORWARDED_ALLOW_IPS: "10.0.0.0/99" })).toContain(
      "FORWARDED_ALLOW_IPS",
    );
  });

  test("parseConfig() refuses an unknown option", () => {
    for (const arg of ["--bogus", "--bogus=1", "--no-port", "--no-bogus", "--Port", "---port"]) {
      const message = usageError([arg]);
      expect(message).toStartWith("Unknown option");
      expect(message).toContain("--help");
    }
    expect(usageError(["--bogus"])).toContain("--bogus");
  });

  test("parseConfig() refuses a stray argument", () => {
    for (const args of [["serve"], ["-p", "80"], ["--port", "80", "extra"], ["./apps"]]) {
      expect(usageError(args)).toStartWith("Unexpected argument");
    }
  });

  test("parseConfig() refuses an option whose value is missing", () => {
    for (const option of OPTIONS.filter((o) => o.value)) {
      const message = usageError([`--${option.name}`]);
      expect(message).toBe(`--${option.name} needs a value (${option.value})`);
    }
  });

  test("parseConfig() refuses --reload with more than one worker", () => {
    expect(usageError(["--reload", "--workers", "2"])).toContain("--reload");
    expect(usageError(["--workers=2", "--reload"])).toContain("--workers");
    expect(usageError([], { RELOAD: "1", WORKERS: "2" })).toContain("--reload");
    expect(parseConfig(["--reload", "--workers", "1"], {}).reload).toBe(true);
    expect(parseConfig(["--no-reload"], { RELOAD: "1", WORKERS: "2" }).workers).toBe(2);
  });
});

describe("sourceOf()", () => {
  const cases: [args: string[], env: Record<string, string>, source: string][] = [
    [["--hostname", "h"], { HOSTNAME: "box" }, "--hostname"],
    [["--hostname=h"], { HOSTNAME: "box" }, "--hostname"],
    [[], { HOSTNAME: "box" }, "HOSTNAME"],
    [[], { HOSTNAME: "" }, "--hostname"],
    [[], {}, "--hostname"],
  ];
  for (const [args, env, source] of cases) {
    test(`sourceOf() names ${source} for ${JSON.stringify(args)} and ${JSON.stringify(env)}`, () => {
      expect(sourceOf("hostname", args, env)).toBe(source);
    });
  }
});

describe("helpText()", () => {
  const help = helpText();

  test("helpText() lists every option with its value, environment variable and default", () => {
    for (const option of OPTIONS) {
      const usage = `  --${option.name}${option.value ? ` ${option.value}` : ""}\n`;
      expect({ option: option.name, listed: help.includes(usage) }).toEqual({
        option: option.name,
        listed: true,
      });
      if (option.env) expect(help).toContain(`env ${option.env};`);
      if (option.defaultText) expect(help).toContain(`default: ${option.defaultText})`);
    }
  });

  test("helpText() covers the options the server documents", () => {
    const names = [
      "port",
      "hostname",
      "root",
      "apps",
      "mount",
      "workers",
      "max-requests",
      "max-requests-jitter",
      "max-worker-memory",
      "access-log",
      "forwarded-allow-ips",
      "max-body-size",
      "root-path",
      "debug",
      "reload",
      "graceful-timeout",
      "timeout",
      "python-path",
      "python-writable",
      "preload",
      "low-memory",
      "python-compat",
      "python-snapshot",
      "chdir",
      "help",
    ];
    expect(OPTIONS.map((o) => o.name).sort()).toEqual(names.sort());
    const envs = [
      "PORT",
      "HOSTNAME",
      "ROOT",
      "APPS",
      "MOUNTS",
      "WORKERS",
      "MAX_REQUESTS",
      "MAX_REQUESTS_JITTER",
      "MAX_WORKER_MEMORY",
      "ACCESS_LOG",
      "FORWARDED_ALLOW_IPS",
      "MAX_BODY_SIZE",
      "ROOT_PATH",
      "DEBUG",
      "RELOAD",
      "GRACEFUL_TIMEOUT",
      "TIMEOUT",
      "PYTHONPATH",
      "PYTHON_WRITABLE",
      "PRELOAD",
      "LOW_MEMORY",
      "PYTHON_COMPAT",
      "PYTHON_SNAPSHOT",
      "CHDIR",
    ];
    for (const env of envs) expect(help).toContain(`env ${env};`);
  });

  test("helpText() shows the real defaults", () => {
    const config = defaultConfig();
    expect(help).toContain(`(env PORT; default: ${config.port})`);
    expect(help).toContain(`(env HOSTNAME; default: ${config.hostname})`);
    expect(help).toContain(`(env WORKERS; default: ${config.workers})`);
    expect(help).toContain(
      `(env FORWARDED_ALLOW_IPS; default: ${config.forwardedAllowIps.join(",")})`,
    );
    expect(help).toContain(`(env GRACEFUL_TIMEOUT; default: ${config.gracefulTimeout})`);
    expect(parseSize("1G")).toBe(config.maxBodySize);
    expect(help).toContain("(env MAX_BODY_SIZE; default: 1G)");
    expect(help).toContain(GUNICORN_FORMAT);
  });

  test("helpText() has one usage line per option", () => {
    expect(help.endsWith("\n")).toBe(true);
    expect(help.split("\n").filter((line) => line.startsWith("  --"))).toHaveLength(
      OPTIONS.length,
    );
  });
});
