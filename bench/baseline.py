"""The baseline: a bare view that returns a page of rows from one indexed query.

It sits behind the same middleware and the same login as the home stream, so the ratio
stream / baseline measures what the stream adds: its query and its page, not Django itself.
"""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.urls import URLPattern, URLResolver, path

from connective.content.models import Post
from connective.core.pagination import PAGE_SIZE
from connective.urls import urlpatterns as project_urlpatterns

BASELINE_PATH = "/bench/baseline/"


@login_required
def latest_posts(request: HttpRequest) -> HttpResponse:
    """The newest PAGE_SIZE posts (id, time, title) as plain text, walking one index."""
    rows = Post.objects.order_by("-created_at", "-id").values_list("id", "created_at", "title")[
        :PAGE_SIZE
    ]
    text = "".join(f"{pk}\t{created:%Y-%m-%dT%H:%M:%S}\t{title}\n" for pk, created, title in rows)
    return HttpResponse(text, content_type="text/plain; charset=utf-8")


urlpatterns: list[URLPattern | URLResolver] = [
    path(BASELINE_PATH.strip("/") + "/", latest_posts, name="bench-baseline"),
    *project_urlpatterns,
]
