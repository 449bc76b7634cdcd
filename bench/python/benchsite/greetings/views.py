"""The bench's two pages, answering the same 21 bytes as the other bench apps: a hello, and the
same page with the name read from a database row (a query on each request)."""

from django.http import HttpResponse

from .models import Greeting


def hello(request):
    return HttpResponse("<h1>Hello, web!</h1>\n")


def from_database(request):
    greeting = Greeting.objects.get(pk=1)
    return HttpResponse(f"<h1>Hello, {greeting.name}!</h1>\n")
