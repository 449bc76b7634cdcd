"""Our port of waitress's filewrapper fixture: rings.jpg (our own image) through
wsgi.file_wrapper in 8192-byte blocks, as a real file (/filelike...) or as objects with only
read() (/notfilelike...), with its Content-Length, none (_nocl), 1 (_shortcl) or 10 too many
(_longcl)."""

import io
import os

IMAGE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "rings.jpg")


class ReadOnly:
    """Has read(n) and nothing else."""

    def __init__(self, data):
        self.data = data

    def read(self, n):
        head, self.data = self.data[:n], self.data[n:]
        return head


class UnseekableRaw(io.RawIOBase):
    """An io object that reads but cannot seek."""

    def __init__(self, data):
        self.inner = io.BytesIO(data)

    def readable(self):
        return True

    def seekable(self):
        return False

    def read(self, n):
        return self.inner.read(n)


def length_headers(path, size):
    if path.endswith("_nocl"):
        return []
    if path.endswith("_shortcl"):
        return [("Content-Length", "1")]
    if path.endswith("_longcl"):
        return [("Content-Length", str(size + 10))]
    return [("Content-Length", str(size))]


def app(environ, start_response):
    path = environ["PATH_INFO"]
    if path.startswith("/filelike"):
        body = open(IMAGE, "rb")
        size = os.fstat(body.fileno()).st_size
    else:
        with open(IMAGE, "rb") as image:
            data = image.read()
        size = len(data)
        body = UnseekableRaw(data) if path == "/notfilelike_iobase" else ReadOnly(data)
    start_response(
        "200 OK", length_headers(path, size) + [("Content-Type", "image/jpeg")]
    )
    return environ["wsgi.file_wrapper"](body, 8192)
