"""Resource files are kept outside the media root: only the download view hands them out."""

from pathlib import Path

import pytest

from tests.conftest import client_for, make_person
from tests.content.conftest import connect, post, upload

pytestmark = pytest.mark.django_db


def test_t05_resource_file_is_stored_outside_media_and_has_no_media_url(ana, settings):
    resource = post(
        ana,
        "",
        kind="resource",
        title="Slides",
        licence="cc-by",
        file=upload(),
        visibility="network",
    )
    stored = Path(resource.file.path)
    assert Path(settings.PRIVATE_MEDIA_ROOT) in stored.parents
    assert Path(settings.MEDIA_ROOT) not in stored.parents
    assert stored.read_bytes() == b"%PDF-1.4 slides"
    with pytest.raises(ValueError):
        resource.file.url  # noqa: B018 — no public URL exists for it


def test_t28_network_file_downloads_only_for_the_network(ana, client):
    resource = post(
        ana,
        "",
        kind="resource",
        title="Slides",
        licence="cc-by",
        file=upload(),
        visibility="network",
    )
    url = f"/posts/{resource.pk}/file/"
    stranger = make_person("stranger")
    friend = make_person("friend")
    connect(friend, ana)
    assert client.get(url).status_code == 404
    assert client_for(stranger).get(url).status_code == 404
    response = client_for(friend).get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4 slides"
    relative = Path(resource.file.name)
    assert client.get(f"/media/{relative}").status_code == 404
