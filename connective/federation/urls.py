"""Federation URLs."""

from django.urls import URLPattern, URLResolver, path, register_converter

from connective.federation.views import actors, groups, lookup, wellknown
from connective.federation.views import inbox as inbox_views  # FED-B
from connective.federation.views import objects as object_views  # FED-B


class GroupSlugConverter:
    """A space's or course's slug, but not the words their own pages use (new, mine, edit)."""

    regex = r"(?!(?:new|mine|edit)/)[-a-zA-Z0-9_]+"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(GroupSlugConverter, "groupslug")

app_name = "federation"
urlpatterns: list[URLPattern | URLResolver] = [
    # FED-A: discovery, actors, collections, lookup
    path(".well-known/webfinger", wellknown.webfinger, name="webfinger"),
    path(".well-known/host-meta", wellknown.host_meta, name="host_meta"),
    path(".well-known/nodeinfo", wellknown.nodeinfo_index, name="nodeinfo_index"),
    path("nodeinfo/2.1", wellknown.nodeinfo, name="nodeinfo"),
    path("@<handle:handle>", actors.actor, name="actor"),
    path("@<handle:handle>/actor", actors.actor_json, name="actor_json"),
    path("@<handle:handle>/outbox", actors.outbox, name="outbox"),
    path("@<handle:handle>/followers", actors.followers, name="followers"),
    path("@<handle:handle>/following", actors.following, name="following"),
    path("lookup/", lookup.lookup, name="lookup"),
    # end FED-A
    # FED-B: inboxes
    path("@<handle:handle>/inbox/", inbox_views.person_inbox, name="inbox"),
    path("inbox/", inbox_views.shared_inbox, name="shared_inbox"),
    # Takes effect once the lead puts this include before content's (see docs/FEDERATION.md).
    path("posts/<int:pk>/", object_views.post_document, name="post_document"),
    # end FED-B
    # Groups (spaces and courses) and the instance actor; before spaces' and courses' own routes.
    path("spaces/<groupslug:slug>/", groups.space_document, name="space_actor"),
    path("spaces/<groupslug:slug>/outbox", groups.space_outbox, name="space_outbox"),
    path("spaces/<groupslug:slug>/followers", groups.space_followers, name="space_followers"),
    path("courses/<groupslug:slug>/", groups.course_document, name="course_actor"),
    path("courses/<groupslug:slug>/outbox", groups.course_outbox, name="course_outbox"),
    path("courses/<groupslug:slug>/followers", groups.course_followers, name="course_followers"),
    path("actor", groups.instance_actor, name="instance_actor"),
    path("actor/outbox", groups.instance_outbox, name="instance_outbox"),
]
