"""Canonical addresses and the host written in handles."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

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


def _validator_accepts(url: str) -> bool:
    from django.core.exceptions import ValidationError

    from connective.core.uris import _web_url

    try:
        _web_url(url)
    except ValidationError:
        return False
    return True


@pytest.mark.parametrize(
    ("url", "ok"),
    [
        ("https://blog.example.org/2026/11/post?x=1#top", True),
        ("http://127.0.0.1:8000/feed.xml", True),
        ("https://xn--caf-dma.example/", True),
        ("https://café.example/", True),  # not ASCII: the full validator decides
        ("https://user:pw@example.org/", False),
        ("javascript:alert(1)", False),
        ("https://-bad.example/", False),
        ("https://example.123/", False),
        ("https://example.org/a b", False),
        ("https://example.org/\u2028", False),
        ("/relative/path", False),
        ("https://localhost/", True),
        ("https://" + "a" * 64 + ".example/", False),
    ],
)
def test_web_addresses_are_checked_as_the_url_validator_checks_them(url, ok):
    from connective.core.uris import is_web_url

    assert is_web_url(url) is ok


label = st.text(alphabet="abcz019-.", min_size=1, max_size=70)


@settings(max_examples=400, deadline=None)
@given(
    st.sampled_from(["http", "https", "ftp", "HTTP"]),
    label,
    st.sampled_from(["", ":80", ":99999", ":x"]),
    st.text(alphabet="/?#%&=a-_.~:@!$'()*+,;\\\"<>^`{|}", max_size=20),
)
def test_the_fast_path_accepts_nothing_the_url_validator_refuses(scheme, host, port, rest):
    from connective.core.uris import _ASCII_WEB_URL

    url = f"{scheme}://{host}{port}{rest}"
    if _ASCII_WEB_URL.fullmatch(url):
        assert _validator_accepts(url), url
