"""WSGI entry point for granian or any WSGI server."""

import os

from django.core.wsgi import get_wsgi_application

from connective.core.runtime import settle

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "connective.settings")
application = get_wsgi_application()
settle()  # after loading, before the first request (core/runtime.py)
