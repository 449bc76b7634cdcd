from django.urls import path

from greetings import views

urlpatterns = [
    path("", views.hello),
    path("db", views.from_database),
]
