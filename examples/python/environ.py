"""The environ app of examples/environ.ts, in Python: what a Python app receives, as JSON.

Every environ entry whose value is a str, int, bool, list or tuple, plus "wsgi.input": the
request body it read, as latin-1 text. Formatted as JSON.stringify(shown, sortedKeys, 2) is,
so the two apps answer the same request with the same bytes.
"""

import json


def application(environ, start_response):
    shown = {}
    for key, value in environ.items():
        if isinstance(value, (str, int, bool, list, tuple)):
            shown[key] = value
    shown["wsgi.input"] = environ["wsgi.input"].read().decode("latin-1")
    start_response("200 OK", [
        ("Content-Type", "application/json"),
        ("Cache-Control", "no-store"),
    ])
    text = json.dumps(shown, sort_keys=True, indent=2, ensure_ascii=False)
    return [(text + "\n").encode("utf-8")]
