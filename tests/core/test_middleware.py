"""While the database is down, pages answer 503 — never a traceback."""

import pytest
from django.db import OperationalError

from connective.core.middleware import DatabaseUnavailableMiddleware


@pytest.mark.django_db
def test_t36_database_errors_become_a_503_page(rf):
    def view(request):
        raise OperationalError("connection refused")

    middleware = DatabaseUnavailableMiddleware(view)
    request = rf.get("/")
    response = middleware.process_exception(request, OperationalError("connection refused"))
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert b"try again" in response.content


def test_other_errors_are_left_alone(rf):
    middleware = DatabaseUnavailableMiddleware(lambda r: None)
    assert middleware.process_exception(rf.get("/"), ValueError("x")) is None


@pytest.mark.django_db
def test_security_headers_are_sent_on_every_page(client):
    response = client.get("/")
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert "unsafe-inline" not in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
