"""wsgi.input as bench/python_input.sh reads it: whole (read()), in small pieces (read(n), n
from the query string), and echoed back whole. Each answers what it read."""


def application(environ, start_response):
    stream = environ["wsgi.input"]
    path = environ["PATH_INFO"]
    if path == "/echo":
        data = stream.read()
        start_response(
            "200 OK",
            [("Content-Type", "application/octet-stream"), ("Content-Length", str(len(data)))],
        )
        return [data]
    if path == "/pieces":
        size = int(environ["QUERY_STRING"] or 37)
        read = stream.read
        total = 0
        while True:
            chunk = read(size)
            if not chunk:
                break
            total += len(chunk)
    else:
        total = len(stream.read())
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [f"{total}\n".encode()]
