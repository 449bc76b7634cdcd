"""Our port of waitress's `echo.app_body_only`: the request body back, with its length."""


def app(environ, start_response):
    length = environ.get("CONTENT_LENGTH")
    body = environ["wsgi.input"].read(int(length) if length is not None else None)
    start_response(
        "200 OK",
        [("Content-Length", str(len(body))), ("Content-Type", "text/plain")],
    )
    return [body]
