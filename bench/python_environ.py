"""Keeps the environ of the last request (bench/python_breakdown.ts calls an app with it in a
loop), without its streams, and answers as the hello does."""

import io

LAST = {}


def application(environ, start_response):
    LAST.clear()
    LAST.update(environ)
    LAST["wsgi.errors"] = io.StringIO()
    start_response("200 OK", [("Content-Type", "text/html; charset=utf-8")])
    return [b"<h1>Hello, web!</h1>\n"]
