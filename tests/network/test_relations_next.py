"""`next` after block or mute: only paths on this site, and never a 500 (T-25)."""

import pytest

from tests.conftest import client_for


@pytest.mark.django_db
@pytest.mark.parametrize(
    "nxt",
    [
        ' 8"onmouseover=alert(1)',
        "//evil.example",
        "https:evil.example",
        "javascript:alert(1)",
        "home",
    ],
)
def test_t25_odd_next_after_mute_falls_back_to_the_profile(ana, ben, nxt):
    response = client_for(ana).post("/mute/@ben/", {"next": nxt})
    assert response.status_code == 302
    assert response["Location"] == "/@ben/"


@pytest.mark.django_db
def test_t25_local_next_after_mute_is_followed(ana, ben):
    response = client_for(ana).post("/mute/@ben/", {"next": "/network/blocked/"})
    assert response["Location"] == "/network/blocked/"
