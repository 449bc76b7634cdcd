/**
 * `hashlib.pbkdf2_hmac` and `hashlib.scrypt` inside Pyodide, from the runtime's `node:crypto`:
 * see native_hashlib.py for why.
 *
 * @module
 */

// A namespace, not named imports: a runtime whose node:crypto lacks one (a Worker) still loads.
import * as crypto from "node:crypto";
import { fromFileUrl } from "../base/path.ts";
import { isDeno } from "../runtime/deno.ts";
import type { Pyodide } from "./pyodide_loader.ts";
import { loadPythonModule } from "./python_module.ts";

// A function: import.meta.url is undefined where mod.ts is bundled for Workers.
const SOURCE = () => fromFileUrl(new URL("./native_hashlib.py", import.meta.url));

const NAME = "edge_wsgi_hashlib";

/**
 * Adds the names of {@linkcode installNativeHashlib} to `hashlib` before any app is imported,
 * in Python alone, which a start-up snapshot can hold: an app that imports them gets them. They
 * work once `installNativeHashlib()` gives them the runtime's functions.
 *
 * @param pyodide The interpreter, being prepared
 * @example
 * ```ts ignore
 * patchHashlib(pyodide);
 * ```
 */
export function patchHashlib(pyodide: Pyodide): void {
  const module = loadPythonModule(pyodide, SOURCE(), NAME, { reuse: true });
  module.patch();
  module.destroy();
}

// WebCrypto's names of the hashes PBKDF2 takes there, by node:crypto's names.
const WEB_CRYPTO_HASHES: Record<string, string> = {
  sha1: "SHA-1",
  sha256: "SHA-256",
  sha384: "SHA-384",
  sha512: "SHA-512",
};

/**
 * Gives the interpreter's `hashlib` the key derivations Pyodide lacks (it has no OpenSSL),
 * computed natively by `pbkdf2Sync` and `scryptSync`: a Django login costs what it costs
 * under CPython, not seconds of WebAssembly.
 *
 * On Deno, whose `pbkdf2Sync` takes twice OpenSSL's time (Django 3.2's 260 000 rounds of
 * SHA-256: 145 ms, against 77 for CPython's and 42 for Deno's WebCrypto), a call that can wait
 * (JSPI: a request whose body the app reads, as a login form's) derives through WebCrypto
 * instead, the call suspended meanwhile and other requests running; Bun's `pbkdf2Sync` (32 ms)
 * is as fast as its WebCrypto.
 *
 * @param pyodide The interpreter
 * @param suspending Wraps the promise a suspended call waits on (the watchdog's leave and enter)
 * @example
 * ```ts ignore
 * installNativeHashlib(pyodide);
 * pyodide.runPython("import hashlib; hashlib.pbkdf2_hmac('sha256', b'pw', b'salt', 260000)");
 * ```
 */
export function installNativeHashlib(
  pyodide: Pyodide,
  suspending: (derived: Promise<Uint8Array>) => Promise<Uint8Array> = (derived) => derived,
): void {
  const module = loadPythonModule(pyodide, SOURCE(), NAME, { reuse: true });
  const subtle = isDeno() ? globalThis.crypto?.subtle : undefined;
  // Only where WebCrypto is the faster (Deno); undefined for a hash it lacks, which pbkdf2 does.
  const pbkdf2Waiting = subtle &&
    function pbkdf2Waiting(
      digest: string,
      password: Uint8Array,
      salt: Uint8Array,
      iterations: number,
      length: number,
    ): Promise<Uint8Array> | undefined {
      const hash = WEB_CRYPTO_HASHES[digest];
      if (!hash) return undefined;
      return suspending(
        subtle.importKey("raw", password.slice(), "PBKDF2", false, ["deriveBits"])
          .then((key) =>
            subtle.deriveBits(
              { name: "PBKDF2", hash, salt: salt.slice(), iterations },
              key,
              length * 8,
            )
          )
          .then((derived) => new Uint8Array(derived)),
      );
    };
  module.install(
    function pbkdf2(
      digest: string,
      password: Uint8Array,
      salt: Uint8Array,
      iterations: number,
      length: number,
    ): Uint8Array {
      return bytes(crypto.pbkdf2Sync(password, salt, iterations, length, digest));
    },
    function scrypt(
      password: Uint8Array,
      salt: Uint8Array,
      n: number,
      r: number,
      p: number,
      maxmem: number,
      length: number,
    ): Uint8Array {
      // 0 is OpenSSL's "the default" (32 MiB), which is node:crypto's default too.
      return bytes(
        crypto.scryptSync(password, salt, length, { N: n, r, p, ...(maxmem ? { maxmem } : {}) }),
      );
    },
    pbkdf2Waiting,
  );
  module.destroy();
}

// A Buffer as the plain Uint8Array over the same memory, which is what Pyodide converts.
function bytes(buffer: Uint8Array): Uint8Array {
  return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
}
