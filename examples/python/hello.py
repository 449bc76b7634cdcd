# Seed 002's `application`, served at /apps/py-hello (and by --apps as /hello and /hello.py).
def application(environ, start_response):
    start_response('200 OK', [('Content-Type', 'text/html')])
    # The tutorial returns the str 'Hello World!'. Under Python 3 a WSGI body is an iterable of
    # bytes (PEP 3333), and a str would be iterated one character at a time, so: a list of bytes.
    return [b'Hello World!']
