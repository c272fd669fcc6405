"""Feeds out: RSS 2.0 and Atom 1.0 for a person's posts, blog and resources, a topic, a public
space and a course's announcements. Only public posts, through the one visibility rule
(`visible_to(None).listed()`): network-only, private, unlisted, hidden, draft, deleted and
members-only-space posts never appear (T-28). Every URL is absolute from CONNECTIVE_SITE_URL.
"""

from __future__ import annotations

from typing import Any

from django.contrib.syndication.views import Feed as SyndicationFeed
from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.urls import URLPattern, path
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed

from connective.accounts.models import Person
from connective.content.models import Kind, Post
from connective.core.uris import absolute_uri
from connective.feeds.services.feeds_out import course_has_feed, space_has_feed
from connective.topics.models import Topic

ITEMS = 50


class LicensedRss(Rss201rev2Feed):
    """RSS 2.0 with each item's licence (the Creative Commons RSS module)."""

    def rss_attributes(self) -> dict[str, str]:
        attrs = super().rss_attributes()
        attrs["xmlns:creativeCommons"] = "http://backend.userland.com/creativeCommonsRssModule"
        return attrs

    def add_item_elements(self, handler: Any, item: dict[str, Any]) -> None:
        super().add_item_elements(handler, item)
        if item.get("licence_url"):
            handler.addQuickElement("creativeCommons:license", item["licence_url"])


class LicensedAtom(Atom1Feed):
    """Atom 1.0 with each entry's licence as <link rel="license">."""

    def add_item_elements(self, handler: Any, item: dict[str, Any]) -> None:
        super().add_item_elements(handler, item)
        if item.get("licence_url"):
            handler.addQuickElement("link", "", {"rel": "license", "href": item["licence_url"]})


def public_posts() -> QuerySet[Post]:
    """What any feed may carry: public, listed, published, visible to anyone."""
    return Post.objects.visible_to(None).listed().top_level().select_related("author")


class PostFeed(SyndicationFeed):
    """The common part: items are posts; subclasses say whose and which."""

    feed_type: type = LicensedRss
    what = "posts"

    def feed_url(self, obj: Any) -> str:
        return absolute_uri(self.request_path)

    def __call__(self, request: HttpRequest, *args: Any, **kwargs: Any):
        self.request_path = request.path
        response = super().__call__(request, *args, **kwargs)
        response["Cache-Control"] = "public, max-age=900"
        return response

    def item_title(self, item: Post) -> str:
        return item.title or item.body[:80] or "Post"

    def item_description(self, item: Post) -> str:
        return item.body_html

    def item_link(self, item: Post) -> str:
        return absolute_uri(item.get_absolute_url())

    def item_guid(self, item: Post) -> str:
        return item.uri or self.item_link(item)

    def item_pubdate(self, item: Post):
        return item.created_at

    def item_updateddate(self, item: Post):
        return item.edited_at or item.created_at

    def item_author_name(self, item: Post) -> str:
        return item.author.name

    def item_author_link(self, item: Post) -> str:
        return absolute_uri(item.author.get_absolute_url())

    def item_copyright(self, item: Post) -> str | None:
        lic = item.licence_info
        return lic.name if lic else None

    def item_extra_kwargs(self, item: Post) -> dict[str, Any]:
        lic = item.licence_info
        return {"licence_url": lic.url if lic and lic.url else ""}


class PersonFeed(PostFeed):
    """A local person's public posts (of one kind for the blog and resources feeds)."""

    kind = ""

    def get_object(self, request: HttpRequest, handle: str) -> Person:
        person = Person.objects.local().active().filter(handle__iexact=handle).first()
        if person is None:
            raise Http404
        return person

    def title(self, obj: Person) -> str:
        return f"{obj.name}: {self.what}"

    def link(self, obj: Person) -> str:
        return absolute_uri(obj.get_absolute_url())

    def description(self, obj: Person) -> str:
        return f"Public {self.what} by {obj.name}"

    def items(self, obj: Person):
        qs = public_posts().filter(author=obj)
        return qs.filter(kind=self.kind)[:ITEMS] if self.kind else qs[:ITEMS]


class BlogFeed(PersonFeed):
    kind, what = Kind.ARTICLE, "blog"


class ResourcesFeed(PersonFeed):
    kind, what = Kind.RESOURCE, "shared resources"


class TopicFeed(PostFeed):
    """Public posts on a topic."""

    def get_object(self, request: HttpRequest, key: str) -> Topic:
        topic = Topic.objects.filter(key=key).first()
        if topic is None:
            raise Http404
        return topic

    def title(self, obj: Topic) -> str:
        return f"#{obj.name}"

    def link(self, obj: Topic) -> str:
        return absolute_uri(obj.get_absolute_url())

    def description(self, obj: Topic) -> str:
        return f"Public posts on {obj.name}"

    def items(self, obj: Topic):
        return public_posts().filter(topics=obj)[:ITEMS]


class SpaceFeed(PostFeed):
    """New threads in a space open to all."""

    def get_object(self, request: HttpRequest, slug: str):
        from django.apps import apps

        space = apps.get_model("spaces", "Space").objects.filter(slug=slug).first()
        if space is None or not space_has_feed(space):
            raise Http404
        return space

    def title(self, obj: Any) -> str:
        return str(obj.name)

    def link(self, obj: Any) -> str:
        return absolute_uri(obj.get_absolute_url())

    def description(self, obj: Any) -> str:
        return f"New threads in {obj.name}"

    def items(self, obj: Any):
        return public_posts().filter(space=obj)[:ITEMS]


class CourseAnnouncementsFeed(PostFeed):
    """A published course's announcements: threads its team starts in the course's space."""

    def get_object(self, request: HttpRequest, slug: str):
        from django.apps import apps

        course = apps.get_model("courses", "Course").objects.filter(slug=slug).first()
        if course is None or not course_has_feed(course):
            raise Http404
        return course

    def title(self, obj: Any) -> str:
        return f"{obj.title}: announcements"

    def link(self, obj: Any) -> str:
        return absolute_uri(obj.get_absolute_url())

    def description(self, obj: Any) -> str:
        return f"Announcements of the course {obj.title}"

    def items(self, obj: Any):
        team = obj.team_rows.values("person_id")
        return public_posts().filter(space_id=obj.space_id, author_id__in=team)[:ITEMS]


FEEDS: dict[str, type[PostFeed]] = {
    "person": PersonFeed,
    "blog": BlogFeed,
    "resources": ResourcesFeed,
    "topic": TopicFeed,
    "space": SpaceFeed,
    "course": CourseAnnouncementsFeed,
}


def _pair(cls: type[PostFeed]) -> tuple[PostFeed, PostFeed]:
    atom = type(f"Atom{cls.__name__}", (cls,), {"feed_type": LicensedAtom})
    return cls(), atom()


def _routes() -> list[URLPattern]:
    routes = {
        "person": "feeds/people/<str:handle>/posts",
        "blog": "feeds/people/<str:handle>/blog",
        "resources": "feeds/people/<str:handle>/resources",
        "topic": "feeds/topics/<topickey:key>",
        "space": "feeds/spaces/<slug:slug>",
        "course": "feeds/courses/<slug:slug>/announcements",
    }
    out = []
    for name, route in routes.items():
        rss, atom = _pair(FEEDS[name])
        out.append(path(f"{route}.rss", rss, name=f"{name}_rss"))
        out.append(path(f"{route}.atom", atom, name=f"{name}_atom"))
    return out


urlpatterns = _routes()
