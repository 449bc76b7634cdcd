"""Our port of waitress's sleepy fixture: /sleepy takes two seconds, anything else answers at once."""

import time


def app(environ, start_response):
    if environ["PATH_INFO"] == "/sleepy":
        time.sleep(2)
        body = b"slow answer"
    else:
        body = b"quick answer"
    start_response(
        "200 OK", [("Content-Length", str(len(body))), ("Content-Type", "text/plain")]
    )
    return [body]
