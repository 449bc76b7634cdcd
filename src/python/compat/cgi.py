"""The part of the stdlib ``cgi`` module (removed in Python 3.13, PEP 594) that older WSGI
frameworks still import: ``FieldStorage`` as Bottle 0.12 and WebOb 1.8 read a multipart form
(``FieldStorage(fp=..., environ=..., keep_blank_values=..., encoding=...).list``),
``parse_header`` (Django 3.2, Falcon 3.1) and ``valid_boundary`` (Django 3.2's upload parser).

Part of edge-wsgi's compatibility folder (on unless ``--no-python-compat``). Limits: the whole body
is read into memory (edge-wsgi's ``--max-body-size`` bounds it); nested multipart parts
(``multipart/mixed`` inside a form) are not split; there is no ``MiniFieldStorage``,
``parse``, ``parse_multipart`` or the CGI script helpers.
"""

import email.parser
import email.policy
import io
import re
import urllib.parse

__all__ = ["FieldStorage", "parse_header", "valid_boundary"]

# A MIME boundary as the old module accepted one: up to 201 printable ASCII characters, the
# last not a space (RFC 2046 allows 70; the module was lenient, and so are its callers).
_BOUNDARY = re.compile("[ -~]{0,200}[!-~]")


def valid_boundary(boundary):
    """Whether ``boundary`` (str or bytes) may delimit the parts of a multipart body."""
    if isinstance(boundary, (bytes, bytearray)):
        try:
            boundary = boundary.decode("ascii")
        except UnicodeDecodeError:
            return False
    return _BOUNDARY.fullmatch(boundary) is not None


def parse_header(line):
    """Split a header such as ``text/html; charset="utf-8"`` into its main value and a dict of
    its parameters, as ``cgi.parse_header`` did (quotes removed, names lower-cased)."""
    parts = _split_params(";" + line)
    key = parts.pop(0).strip()
    params = {}
    for part in parts:
        name, sep, value = part.partition("=")
        if not sep:
            continue
        name = name.strip().lower()
        value = value.strip()
        if len(value) >= 2 and value[0] == value[-1] == '"':
            value = value[1:-1].replace("\\\\", "\\").replace('\\"', '"')
        params[name] = value
    return key, params


def _split_params(text):
    """Split on ``;`` outside double quotes; the first item is what precedes the first ``;``."""
    items, current, quoted, escaped = [], [], False, False
    for char in text[1:]:
        if escaped:
            escaped = False
        elif char == "\\" and quoted:
            escaped = True
        elif char == '"':
            quoted = not quoted
        elif char == ";" and not quoted:
            items.append("".join(current))
            current = []
            continue
        current.append(char)
    items.append("".join(current))
    return items


class FieldStorage:
    """The fields of a POSTed form: ``list`` holds one ``FieldStorage`` per field, each with
    ``name``, ``value`` (text for a field, bytes for a file), ``filename`` (``None`` for a
    plain field), ``file`` (a binary file object) and ``headers`` (the part's headers)."""

    def __init__(self, fp=None, headers=None, outerboundary=b"", environ=None,
                 keep_blank_values=False, strict_parsing=False, limit=None,
                 encoding="utf-8", errors="replace", max_num_fields=None, separator="&"):
        environ = environ or {}
        self.name = None
        self.filename = None
        self.value = None
        self.file = None
        self.headers = headers or {}
        self.list = []
        self.type, self.type_options = parse_header(environ.get("CONTENT_TYPE", ""))
        length = environ.get("CONTENT_LENGTH", "")
        body = fp.read(int(length)) if length.strip().isdigit() else fp.read()
        if isinstance(body, str):
            body = body.encode(encoding, errors)
        if self.type.startswith("multipart/"):
            self.list = _parse_multipart(self.type_options, body, keep_blank_values,
                                         encoding, errors)
        elif environ.get("REQUEST_METHOD", "GET") != "GET" or environ.get("QUERY_STRING"):
            query = body.decode(encoding, errors) if body else environ.get("QUERY_STRING", "")
            pairs = urllib.parse.parse_qsl(query, keep_blank_values, strict_parsing,
                                           encoding=encoding, errors=errors,
                                           max_num_fields=max_num_fields, separator=separator)
            self.list = [_field(name, value) for name, value in pairs]

    def __iter__(self):
        return iter(self.keys())

    def keys(self):
        return list(dict.fromkeys(item.name for item in self.list))

    def __contains__(self, name):
        return any(item.name == name for item in self.list)

    def __repr__(self):
        return f"FieldStorage({self.name!r}, {self.filename!r}, {self.value!r})"


def _field(name, value, filename=None, headers=None):
    item = FieldStorage.__new__(FieldStorage)
    item.name, item.value, item.filename = name, value, filename
    item.headers = headers or {}
    item.list = None
    data = value if isinstance(value, bytes) else value.encode("utf-8")
    item.file = io.BytesIO(data)
    item.type, item.type_options = parse_header(item.headers.get("Content-Type", "text/plain"))
    return item


def _parse_multipart(options, body, keep_blank_values, encoding, errors):
    boundary = options.get("boundary", "")
    if not boundary:
        raise ValueError("multipart form without a boundary")
    # The email package splits MIME parts; give it the Content-Type line it needs first.
    head = f'Content-Type: multipart/form-data; boundary="{boundary}"\r\n\r\n'.encode("latin-1")
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(head + body)
    fields = []
    for part in message.iter_parts():
        disposition, params = parse_header(part.get("Content-Disposition", ""))
        if disposition != "form-data" or "name" not in params:
            continue
        data = part.get_payload(decode=True) or b""
        filename = params.get("filename")
        if filename is None:
            if not data and not keep_blank_values:
                continue
            fields.append(_field(params["name"], data.decode(encoding, errors), None, part))
        else:
            fields.append(_field(params["name"], data, filename, part))
    return fields
