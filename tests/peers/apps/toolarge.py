"""Our port of waitress's toolarge fixture: six bytes with their length, whatever was sent."""


def app(environ, start_response):
    body = b"6bytes"
    start_response(
        "200 OK", [("Content-Length", str(len(body))), ("Content-Type", "text/plain")]
    )
    return [body]
