"""Where uploaded resource files live: outside the media root, served only by the download view."""

import os

from django.conf import settings
from django.core.files.storage import FileSystemStorage


class PrivateFileStorage(FileSystemStorage):
    """Files under settings.PRIVATE_MEDIA_ROOT, with no public URL.

    A resource file must be served by `content:download`, which applies the visibility rule;
    keeping it out of MEDIA_ROOT means no other route (the media view, a web server's static
    alias) can hand it out.
    """

    @property  # type: ignore[override]
    def base_location(self) -> str:
        return str(settings.PRIVATE_MEDIA_ROOT)

    @property  # type: ignore[override]
    def location(self) -> str:
        return os.path.abspath(self.base_location)

    @property
    def base_url(self) -> None:  # type: ignore[override]
        return None


_private = PrivateFileStorage()


def private_storage() -> PrivateFileStorage:
    """The storage for resource files (a callable, so migrations do not freeze a path)."""
    return _private
