"""The benchmark's hello as a Bottle app: the same bytes as hello.py, through Bottle's router
and response object. Served by edge-wsgi, gunicorn and uWSGI in the same run."""

import bottle

application = bottle.Bottle()


@application.get("/")
def hello():
    bottle.response.content_type = "text/html; charset=utf-8"
    return b"<h1>Hello, web!</h1>\n"
