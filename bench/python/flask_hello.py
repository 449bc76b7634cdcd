"""The benchmark's hello as a Flask app: the same bytes as hello.py, through Flask's routing,
request context and response object. Served by edge-wsgi, gunicorn and uWSGI in the same run."""

from flask import Flask

application = Flask(__name__)


@application.get("/")
def hello():
    return "<h1>Hello, web!</h1>\n", 200, {"Content-Type": "text/html; charset=utf-8"}
