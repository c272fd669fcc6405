"""Canonical addresses and the host written in handles."""

import pytest

from connective.core.uris import site_host


@pytest.mark.parametrize(
    ("site_url", "host"),
    [
        ("https://learn.example", "learn.example"),
        ("https://learn.example:443", "learn.example"),
        ("http://127.0.0.1:8000", "127.0.0.1:8000"),
        ("https://learn.example:8443", "learn.example:8443"),
    ],
)
def test_handles_keep_a_port_that_is_not_the_default(settings, site_url, host):
    settings.CONNECTIVE_SITE_URL = site_url
    assert site_host() == host
