#!/usr/bin/env python3
"""The bench's Django project (bench/python.sh): `python3 manage.py migrate` makes its database."""
import os
import sys

if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "benchsite.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
