"""The unit of issue 4's benchmark: a single indexed lookup, behind the same login and middleware.

`one_post` answers one post's id, time and title found by its primary key, as plain text. Search,
the expert finder and the map are printed as ratios to it, measured in the same run.
"""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import URLPattern, URLResolver, path

from connective.content.models import Post
from connective.urls import urlpatterns as project_urlpatterns

LOOKUP_PATH = "/bench/lookup/"


@login_required
def one_post(request: HttpRequest, pk: int) -> HttpResponse:
    """One post by primary key (one indexed query) as a line of text."""
    row = Post.objects.filter(pk=pk).values_list("id", "created_at", "title").first()
    if row is None:
        raise Http404
    pk, created, title = row
    return HttpResponse(f"{pk}\t{created:%Y-%m-%dT%H:%M:%S}\t{title}\n", content_type="text/plain")


urlpatterns: list[URLPattern | URLResolver] = [
    path(LOOKUP_PATH.strip("/") + "/<int:pk>/", one_post, name="bench-lookup"),
    *project_urlpatterns,
]
