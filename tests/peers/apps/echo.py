"""Our port of waitress's echo fixture (tests/fixtureapps/echo.py, `app`): reads the body (up to
CONTENT_LENGTH) and answers with what the request looked like, as JSON, then a blank line, then
the body. Written for edge-wsgi's peer tests; see tests/peers/README.md."""

import json


def app(environ, start_response):
    length = environ.get("CONTENT_LENGTH")
    body = environ["wsgi.input"].read(int(length) if length is not None else None)
    seen = {
        "method": environ["REQUEST_METHOD"],
        "path_info": environ["PATH_INFO"],
        "script_name": environ["SCRIPT_NAME"],
        "query_string": environ["QUERY_STRING"],
        "content_length": str(len(body)),
        "scheme": environ["wsgi.url_scheme"],
        "remote_addr": environ["REMOTE_ADDR"],
        # waitress sets REMOTE_HOST (to the address); gunicorn and wsgiref do not, nor do we.
        "remote_host": environ.get("REMOTE_HOST"),
        "server_port": environ["SERVER_PORT"],
        "server_name": environ["SERVER_NAME"],
        "headers": {
            key[5:]: value for key, value in environ.items() if key.startswith("HTTP_")
        },
    }
    answer = json.dumps(seen).encode("utf-8") + b"\r\n\r\n" + body
    start_response(
        "200 OK",
        [("Content-Length", str(len(answer))), ("Content-Type", "text/plain")],
    )
    return [answer]
