"""Baselines for the home stream, mounted next to the project's URLs for the benchmark only.

- `latest_posts` is the baseline of issue 2: the newest PAGE_SIZE posts from one indexed
  query, as plain text. It sits behind the same middleware and the same login as the stream.
- `latest_page` renders those same newest posts through the stream's own template (cards,
  sidebar, chrome). Stream / this page isolates what reading the stream costs over the
  cheapest possible query for the same page.
"""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import URLPattern, URLResolver, path

from connective.accounts.viewer import current_person
from connective.content.models import Kind, Post
from connective.core.pagination import PAGE_SIZE, Page
from connective.urls import urlpatterns as project_urlpatterns

BASELINE_PATH = "/bench/baseline/"
BASELINE_PAGE_PATH = "/bench/baseline-page/"


@login_required
def latest_posts(request: HttpRequest) -> HttpResponse:
    """The newest PAGE_SIZE posts (id, time, title) as plain text, walking one index."""
    rows = Post.objects.order_by("-created_at", "-id").values_list("id", "created_at", "title")[
        :PAGE_SIZE
    ]
    text = "".join(f"{pk}\t{created:%Y-%m-%dT%H:%M:%S}\t{title}\n" for pk, created, title in rows)
    return HttpResponse(text, content_type="text/plain; charset=utf-8")


@login_required
def latest_page(request: HttpRequest) -> HttpResponse:
    """The newest PAGE_SIZE posts rendered as the home page renders its stream."""
    viewer = current_person(request)
    posts = Post.objects.select_related("author").prefetch_related("topics")
    page = Page(list(posts.order_by("-created_at", "-id")[:PAGE_SIZE]), None)
    context = {
        "page": page,
        "kind": "",
        "topic": None,
        "kinds": Kind.choices,
        "nav": "home",
        "interests": viewer.interests.all(),
        "followed": viewer.followed_topics.all(),
    }
    return render(request, "stream/home.html", context)


urlpatterns: list[URLPattern | URLResolver] = [
    path(BASELINE_PATH.strip("/") + "/", latest_posts, name="bench-baseline"),
    path(BASELINE_PAGE_PATH.strip("/") + "/", latest_page, name="bench-baseline-page"),
    *project_urlpatterns,
]
