import { describe, expect, test } from "bun:test";
import { toEnviron } from "../../src/core/environ.ts";
import { fileWrapper } from "../../src/core/file_wrapper.ts";

const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

describe("toEnviron() headers", () => {
  const mapping: [header: string, key: string][] = [
    ["Accept", "HTTP_ACCEPT"],
    ["accept-language", "HTTP_ACCEPT_LANGUAGE"],
    ["X-Requested-With", "HTTP_X_REQUESTED_WITH"],
    ["If-None-Match", "HTTP_IF_NONE_MATCH"],
    ["Authorization", "HTTP_AUTHORIZATION"],
    ["Host", "HTTP_HOST"],
    ["X-Forwarded-For", "HTTP_X_FORWARDED_FOR"],
    ["x-a-b-c", "HTTP_X_A_B_C"],
    ["DNT", "HTTP_DNT"],
  ];
  for (const [header, key] of mapping) {
    test(`maps the ${header} header to ${key}`, () => {
      const environ = toEnviron(
        new Request("http://example.com/", { headers: { [header]: "v1" } }),
      );
      expect(environ[key]).toBe("v1");
    });
  }

  test("maps Content-Type and Content-Length without the HTTP_ prefix", () => {
    const environ = toEnviron(
      new Request("http://example.com/", {
        method: "POST",
        body: "hello",
        headers: { "Content-Type": "text/plain", "Content-Length": "5" },
      }),
    );
    expect(environ.CONTENT_TYPE).toBe("text/plain");
    expect(environ.CONTENT_LENGTH).toBe("5");
    expect("HTTP_CONTENT_TYPE" in environ).toBe(false);
    expect("HTTP_CONTENT_LENGTH" in environ).toBe(false);
  });

  test("leaves CONTENT_TYPE and CONTENT_LENGTH out when the request has none", () => {
    const environ = toEnviron(new Request("http://example.com/"));
    expect("CONTENT_TYPE" in environ).toBe(false);
    expect("CONTENT_LENGTH" in environ).toBe(false);
    expect("HTTP_CONTENT_TYPE" in environ).toBe(false);
    expect("HTTP_CONTENT_LENGTH" in environ).toBe(false);
  });

  test("leaves out the CONTENT_LENGTH and CONTENT_TYPE of a body the runtime dropped", async () => {
    // A GET declaring a body, as both runtimes hand it over: the headers, and no body.
    for (const headers of [{ "Content-Length": "5" }, { "Transfer-Encoding": "chunked" }]) {
      const environ = toEnviron(
        new Request("http://example.com/", {
          headers: { ...headers, "Content-Type": "text/plain" },
        }),
      );
      expect("CONTENT_LENGTH" in environ).toBe(false);
      expect("CONTENT_TYPE" in environ).toBe(false);
      expect(await environ["wsgi.input"].read()).toHaveLength(0);
    }
  });

  test("keeps a Content-Length of 0 and the Content-Type of a request without a body", () => {
    const environ = toEnviron(
      new Request("http://example.com/", {
        method: "POST",
        headers: { "Content-Length": "0", "Content-Type": "text/plain" },
      }),
    );
    expect(environ.CONTENT_LENGTH).toBe("0");
    expect(environ.CONTENT_TYPE).toBe("text/plain");
  });

  test('joins repeated fields with ", "', () => {
    const headers = new Headers();
    headers.append("Accept", "text/html");
    headers.append("Accept", "application/json");
    const environ = toEnviron(new Request("http://example.com/", { headers }));
    expect(environ.HTTP_ACCEPT).toBe("text/html, application/json");
  });

  test('joins repeated Cookie fields with "; "', () => {
    const headers = new Headers();
    headers.append("Cookie", "a=1");
    headers.append("Cookie", "b=2");
    const environ = toEnviron(new Request("http://example.com/", { headers }));
    expect(environ.HTTP_COOKIE).toBe("a=1; b=2");
  });

  test("drops X_Forwarded_For so it cannot impersonate X-Forwarded-For", () => {
    const environ = toEnviron(
      new Request("http://example.com/", { headers: { "X_Forwarded_For": "6.6.6.6" } }),
    );
    expect("HTTP_X_FORWARDED_FOR" in environ).toBe(false);
    expect(Object.values(environ)).not.toContain("6.6.6.6");
  });

  test("keeps the dashed X-Forwarded-For when an underscored one is also sent", () => {
    const environ = toEnviron(
      new Request("http://example.com/", {
        headers: { "X-Forwarded-For": "10.0.0.1", "X_Forwarded_For": "6.6.6.6" },
      }),
    );
    expect(environ.HTTP_X_FORWARDED_FOR).toBe("10.0.0.1");
  });

  test("drops Content_Type and Content_Length so they cannot set CONTENT_*", () => {
    const environ = toEnviron(
      new Request("http://example.com/", {
        headers: { "Content_Type": "text/evil", "Content_Length": "999" },
      }),
    );
    expect("CONTENT_TYPE" in environ).toBe(false);
    expect("CONTENT_LENGTH" in environ).toBe(false);
    expect("HTTP_CONTENT_TYPE" in environ).toBe(false);
    expect("HTTP_CONTENT_LENGTH" in environ).toBe(false);
  });

  test("does not let a Path-Info header overwrite PATH_INFO", () => {
    const environ = toEnviron(
      new Request("http://example.com/real", {
        headers: { "Path-Info": "/evil", "Script-Name": "/evil", "Remote-Addr": "6.6.6.6" },
      }),
    );
    expect(environ.PATH_INFO).toBe("/real");
    expect(environ.SCRIPT_NAME).toBe("");
    expect("REMOTE_ADDR" in environ).toBe(false);
    expect(environ.HTTP_PATH_INFO).toBe("/evil");
  });

  test("does not let X-Forwarded-For change REMOTE_ADDR", () => {
    const environ = toEnviron(
      new Request("http://example.com/", { headers: { "X-Forwarded-For": "6.6.6.6" } }),
      { info: { remoteAddr: { hostname: "10.0.0.1", port: 5000 } } },
    );
    expect(environ.REMOTE_ADDR).toBe("10.0.0.1");
  });

  test("does not let X-Forwarded-Proto change wsgi.url_scheme", () => {
    const environ = toEnviron(
      new Request("http://example.com/", { headers: { "X-Forwarded-Proto": "https" } }),
    );
    expect(environ["wsgi.url_scheme"]).toBe("http");
  });

  test("does not let X-Forwarded-Host change SERVER_NAME", () => {
    const environ = toEnviron(
      new Request("http://example.com/", { headers: { "X-Forwarded-Host": "evil.test" } }),
    );
    expect(environ.SERVER_NAME).toBe("example.com");
  });
});

describe("toEnviron() path and query", () => {
  test("sets REQUEST_METHOD from the request", () => {
    const environ = toEnviron(new Request("http://example.com/", { method: "DELETE" }));
    expect(environ.REQUEST_METHOD).toBe("DELETE");
  });

  test('gives SCRIPT_NAME "" and the whole path as PATH_INFO without a scriptName', () => {
    const environ = toEnviron(new Request("http://example.com/apps/x/y"));
    expect(environ.SCRIPT_NAME).toBe("");
    expect(environ.PATH_INFO).toBe("/apps/x/y");
  });

  test('gives SCRIPT_NAME "", never "/", at the root', () => {
    const environ = toEnviron(new Request("http://example.com/"));
    expect(environ.SCRIPT_NAME).toBe("");
    expect(environ.PATH_INFO).toBe("/");
  });

  const mounts: [path: string, pathInfo: string][] = [
    ["/apps/x", ""],
    ["/apps/x/", "/"],
    ["/apps/x/y", "/y"],
    ["/apps/x/y/z", "/y/z"],
  ];
  for (const [path, pathInfo] of mounts) {
    test(`moves the prefix /apps/x of ${path} to SCRIPT_NAME, leaving ${JSON.stringify(pathInfo)}`, () => {
      const environ = toEnviron(new Request(`http://example.com${path}`), {
        scriptName: "/apps/x",
      });
      expect(environ.SCRIPT_NAME).toBe("/apps/x");
      expect(environ.PATH_INFO).toBe(pathInfo);
    });
  }

  test('gives SCRIPT_NAME "", never "/", for a scriptName of "/"', () => {
    const environ = toEnviron(new Request("http://example.com/y"), { scriptName: "/" });
    expect(environ.SCRIPT_NAME).toBe("");
    expect(environ.PATH_INFO).toBe("/y");
  });

  test("decodes PATH_INFO once at the byte level into latin-1 characters", () => {
    const environ = toEnviron(new Request("http://example.com/caf%C3%A9/%FF/a%2Fb/100%25"));
    expect(environ.PATH_INFO).toBe("/caf\u00c3\u00a9/\u00ff/a/b/100%");
  });

  test("does not split the query again at a decoded %3F", () => {
    const environ = toEnviron(new Request("http://example.com/a%3Fb?c=d"));
    expect(environ.PATH_INFO).toBe("/a?b");
    expect(environ.QUERY_STRING).toBe("c=d");
  });

  test("keeps QUERY_STRING raw: + kept, %20 not decoded", () => {
    const environ = toEnviron(new Request("http://example.com/s?q=a+b&r=%20c%FF"));
    expect(environ.QUERY_STRING).toBe("q=a+b&r=%20c%FF");
  });

  test('gives QUERY_STRING "" when there is no query', () => {
    const environ = toEnviron(new Request("http://example.com/s"));
    expect(environ.QUERY_STRING).toBe("");
  });
});

describe("toEnviron() server and remote address", () => {
  const hosts: [url: string, name: string, port: string][] = [
    ["http://example.com/", "example.com", "80"],
    ["https://example.com/", "example.com", "443"],
    ["http://example.com:8080/", "example.com", "8080"],
    ["https://example.com:8443/", "example.com", "8443"],
    ["http://[::1]:8080/", "[::1]", "8080"],
    ["http://[::1]/", "[::1]", "80"],
    ["http://127.0.0.1:9000/x?y", "127.0.0.1", "9000"],
  ];
  for (const [url, name, port] of hosts) {
    test(`takes SERVER_NAME ${name} and SERVER_PORT ${port} from ${url}`, () => {
      const environ = toEnviron(new Request(url));
      expect(environ.SERVER_NAME).toBe(name);
      expect(environ.SERVER_PORT).toBe(port);
    });
  }

  test("takes SERVER_NAME and SERVER_PORT from the local address when it is not a wildcard", () => {
    const environ = toEnviron(new Request("http://example.com:8080/"), {
      info: { localAddr: { hostname: "192.168.1.5", port: 8000 } },
    });
    expect(environ.SERVER_NAME).toBe("192.168.1.5");
    expect(environ.SERVER_PORT).toBe("8000");
  });

  for (const wildcard of ["0.0.0.0", "::"]) {
    test(`falls back to the URL's host when the local address is the wildcard ${wildcard}`, () => {
      const environ = toEnviron(new Request("http://example.com:8080/"), {
        info: { localAddr: { hostname: wildcard, port: 8000 } },
      });
      expect(environ.SERVER_NAME).toBe("example.com");
      expect(environ.SERVER_PORT).toBe("8080");
    });
  }

  test("gives SERVER_PORT as a string", () => {
    const environ = toEnviron(new Request("http://example.com/"), {
      info: { localAddr: { hostname: "10.0.0.2", port: 8000 } },
    });
    expect(typeof environ.SERVER_PORT).toBe("string");
  });

  test("sets REMOTE_ADDR and REMOTE_PORT (a string) from the peer", () => {
    const environ = toEnviron(new Request("http://example.com/"), {
      info: { remoteAddr: { hostname: "203.0.113.7", port: 51234 } },
    });
    expect(environ.REMOTE_ADDR).toBe("203.0.113.7");
    expect(environ.REMOTE_PORT).toBe("51234");
  });

  test("strips the IPv4-mapped ::ffff: prefix from REMOTE_ADDR", () => {
    const environ = toEnviron(new Request("http://example.com/"), {
      info: { remoteAddr: { hostname: "::ffff:127.0.0.1", port: 1 } },
    });
    expect(environ.REMOTE_ADDR).toBe("127.0.0.1");
  });

  test("keeps a plain IPv6 REMOTE_ADDR", () => {
    const environ = toEnviron(new Request("http://example.com/"), {
      info: { remoteAddr: { hostname: "::1", port: 1 } },
    });
    expect(environ.REMOTE_ADDR).toBe("::1");
  });

  test("leaves REMOTE_ADDR and REMOTE_PORT out when the peer is unknown", () => {
    const environ = toEnviron(new Request("http://example.com/"), { info: {} });
    expect("REMOTE_ADDR" in environ).toBe(false);
    expect("REMOTE_PORT" in environ).toBe(false);
  });

  test('defaults SERVER_PROTOCOL to "HTTP/1.1"', () => {
    expect(toEnviron(new Request("http://example.com/")).SERVER_PROTOCOL).toBe("HTTP/1.1");
  });

  test("takes SERVER_PROTOCOL from info.protocol", () => {
    const environ = toEnviron(new Request("http://example.com/"), {
      info: { protocol: "HTTP/2" },
    });
    expect(environ.SERVER_PROTOCOL).toBe("HTTP/2");
  });
});

describe("toEnviron() wsgi keys", () => {
  test("sets the wsgi.* keys with their exact values and types", () => {
    const environ = toEnviron(new Request("http://example.com/"));
    expect(environ["wsgi.version"]).toEqual([1, 0]);
    expect(environ["wsgi.url_scheme"]).toBe("http");
    expect(environ["wsgi.multithread"]).toBe(false);
    expect(environ["wsgi.multiprocess"]).toBe(false);
    expect(environ["wsgi.run_once"]).toBe(false);
    expect(environ["wsgi.input_terminated"]).toBe(true);
    expect(environ["wsgi.file_wrapper"]).toBe(fileWrapper);
    expect(typeof environ["wsgi.input"].read).toBe("function");
    expect(typeof environ["wsgi.errors"].write).toBe("function");
  });

  test('sets wsgi.url_scheme "https" for an https request', () => {
    const environ = toEnviron(new Request("https://example.com/"));
    expect(environ["wsgi.url_scheme"]).toBe("https");
  });

  test("takes wsgi.url_scheme from the connection, not from an absolute-form target", () => {
    // Deno builds the URL from `GET https://example.com/ HTTP/1.1` on a plain connection.
    const request = new Request("https://example.com/");
    const plain = toEnviron(request, { info: { scheme: "http" } });
    expect([plain["wsgi.url_scheme"], plain.SERVER_PORT]).toEqual(["http", "80"]);
    expect(toEnviron(request, { info: { scheme: "https" } })["wsgi.url_scheme"]).toBe("https");
  });

  test("sets wsgi.multiprocess from the multiprocess option", () => {
    const environ = toEnviron(new Request("http://example.com/"), { multiprocess: true });
    expect(environ["wsgi.multiprocess"]).toBe(true);
  });

  test("sets edge_wsgi.request to the request", () => {
    const request = new Request("http://example.com/");
    expect(toEnviron(request)["edge_wsgi.request"]).toBe(request);
  });

  test("sets edge_wsgi.signal to an AbortSignal that has not fired", () => {
    const signal = toEnviron(new Request("http://example.com/"))["edge_wsgi.signal"];
    expect(signal).toBeInstanceOf(AbortSignal);
    expect(signal.aborted).toBe(false);
  });

  test("sets edge_wsgi.signal to the signal option", () => {
    const controller = new AbortController();
    const environ = toEnviron(new Request("http://example.com/"), { signal: controller.signal });
    controller.abort();
    expect(environ["edge_wsgi.signal"].aborted).toBe(true);
  });

  test("sends wsgi.errors lines to the logger option", () => {
    const lines: string[] = [];
    const environ = toEnviron(new Request("http://example.com/"), {
      logger: (line) => lines.push(line),
    });
    environ["wsgi.errors"].write("oops\n");
    expect(lines).toEqual(["oops"]);
  });

  test("reads the request body through wsgi.input, up to CONTENT_LENGTH", async () => {
    const environ = toEnviron(
      new Request("http://example.com/", {
        method: "POST",
        body: "hello world",
        headers: { "Content-Length": "5" },
      }),
    );
    expect(text(await environ["wsgi.input"].read())).toBe("hello");
  });

  test("reads a body without Content-Length to its end", async () => {
    const environ = toEnviron(
      new Request("http://example.com/", { method: "POST", body: "hello world" }),
    );
    expect(text(await environ["wsgi.input"].read())).toBe("hello world");
  });

  test("two environs from two requests share nothing", async () => {
    const lines: string[] = [];
    const logger = (line: string) => lines.push(line);
    const a = toEnviron(
      new Request("http://example.com/a", { method: "POST", body: "AAA" }),
      { logger },
    );
    const b = toEnviron(
      new Request("http://example.com/b", { method: "POST", body: "BBB" }),
      { logger },
    );
    a.PATH_INFO = "/changed";
    a["custom.key"] = 1;
    // Like Python's tuple, wsgi.version cannot be changed, so one [1, 0] can serve every request.
    expect(() => a["wsgi.version"].push(9 as never)).toThrow(TypeError);
    a["wsgi.errors"].write("from a");
    b["wsgi.errors"].flush();
    expect(b.PATH_INFO).toBe("/b");
    expect("custom.key" in b).toBe(false);
    expect(b["wsgi.version"]).toEqual([1, 0]);
    expect(lines).toEqual([]);
    expect(b["wsgi.input"]).not.toBe(a["wsgi.input"]);
    expect(text(await a["wsgi.input"].read())).toBe("AAA");
    expect(text(await b["wsgi.input"].read())).toBe("BBB");
  });
});
