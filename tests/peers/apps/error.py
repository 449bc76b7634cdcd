"""Our port of waitress's error fixture: an app that fails before start_response, after it, after
write() (/after_write_cb) or inside its body generator (/in_generator). As upstream, write() and
the generator are given a str, which PEP 3333 forbids: that is the error they raise."""


def app(environ, start_response):
    length = environ.get("CONTENT_LENGTH")
    body = environ["wsgi.input"].read(int(length) if length is not None else None)
    path = environ["PATH_INFO"]
    if path == "/before_start_response":
        raise ValueError("failing on purpose")
    write = start_response(
        "200 OK", [("Content-Length", str(len(body))), ("Content-Type", "text/plain")]
    )
    if path == "/after_write_cb":
        write("abc")
    if path == "/in_generator":

        def failing():
            yield "abc"
            raise ValueError

        return failing()
    raise ValueError("failing on purpose")
