import { describe, expect, test } from "bun:test";
import { WsgiValidationError } from "../../src/wsgiref/wsgi_validation_error.ts";

describe("WsgiValidationError", () => {
  test("names the side, the rule and the detail in its message", () => {
    const error = new WsgiValidationError(
      "headers.status",
      "app",
      "A Status header is CGI, not WSGI",
    );
    expect(error.message).toBe(
      "The app broke WSGI rule headers.status: A Status header is CGI, not WSGI",
    );
    expect(error.rule).toBe("headers.status");
    expect(error.side).toBe("app");
  });

  test("is an Error named WsgiValidationError, with a stack", () => {
    const error = new WsgiValidationError(
      "environ.version",
      "server",
      "wsgi.version must be [1, 0]",
    );
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe("WsgiValidationError");
    expect(String(error.stack)).toStartWith("WsgiValidationError: The server broke WSGI rule");
  });
});
