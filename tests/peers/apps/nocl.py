"""Our port of waitress's nocl fixture: the request body back without a Content-Length, as a
generator of 10-byte pieces (/), a one-item list (/list) or a two-item list (/list_lentwo)."""


def pieces(body):
    for start in range(0, len(body), 10):
        yield body[start : start + 10]


def app(environ, start_response):
    length = environ.get("CONTENT_LENGTH")
    body = environ["wsgi.input"].read(int(length) if length is not None else None)
    start_response("200 OK", [("Content-Type", "text/plain")])
    if environ["PATH_INFO"] == "/list":
        return [body]
    if environ["PATH_INFO"] == "/list_lentwo":
        return [body[:1], body[1:]]
    return pieces(body)
