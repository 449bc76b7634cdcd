"""Reports the request as the app saw it, as JSON: the CGI keys, every HTTP_* key, and the body it
read from wsgi.input (as latin-1 text, one char per byte). The Python half of the app the
gunicorn request corpus is compared against (tests/peers/gunicorn_valid_test.ts)."""

import json

KEYS = (
    "REQUEST_METHOD",
    "SCRIPT_NAME",
    "PATH_INFO",
    "QUERY_STRING",
    "SERVER_PROTOCOL",
    "CONTENT_TYPE",
    "CONTENT_LENGTH",
    "wsgi.url_scheme",
)


def app(environ, start_response):
    seen = {key: environ[key] for key in KEYS if key in environ}
    seen.update((key, value) for key, value in environ.items() if key.startswith("HTTP_"))
    seen["wsgi.input"] = environ["wsgi.input"].read().decode("latin-1")
    answer = json.dumps(seen, sort_keys=True).encode("utf-8")
    start_response("200 OK", [("Content-Type", "application/json")])
    return [answer]
