"""Our port of waitress's writecb fixture: the body goes through start_response's write(), with
Content-Length 9 (none at /no_content_length) and 10 bytes (/long_body), 8 (/short_body) or 9."""


def app(environ, start_response):
    path = environ["PATH_INFO"]
    headers = [] if path == "/no_content_length" else [("Content-Length", "9")]
    write = start_response("200 OK", headers)
    if path == "/long_body":
        write(b"1234567890")
    elif path == "/short_body":
        write(b"12345678")
    else:
        write(b"123456789")
    return []
