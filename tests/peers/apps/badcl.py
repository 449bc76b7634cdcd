"""Our port of waitress's badcl fixture: nine bytes, with a Content-Length one too many
(/short_body), one too few (/long_body), or right."""

BODY = b"123456789"


def app(environ, start_response):
    length = len(BODY)
    if environ["PATH_INFO"] == "/short_body":
        length += 1
    elif environ["PATH_INFO"] == "/long_body":
        length -= 1
    start_response(
        "200 OK", [("Content-Length", str(length)), ("Content-Type", "text/plain")]
    )
    return [BODY]
