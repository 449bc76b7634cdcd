"""The benchmark's Python hello: the same bytes as bench/hello_wsgi.ts, as a plain WSGI app.

Served by edge-wsgi (through Pyodide), gunicorn and uWSGI in the same run.
"""

BODY = b"<h1>Hello, web!</h1>\n"
HEADERS = [("Content-Type", "text/html; charset=utf-8"), ("Content-Length", str(len(BODY)))]


def application(environ, start_response):
    start_response("200 OK", HEADERS)
    return [BODY]
