"""Our port of waitress's error_traceback fixture: fails at once, with a non-ASCII message."""


def app(environ, start_response):
    raise ValueError("broken on purpose: \u20ac")
