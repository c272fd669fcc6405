"""Federation URLs."""

from django.urls import URLPattern, URLResolver, path

from connective.federation.views import actors, lookup, wellknown
from connective.federation.views import inbox as inbox_views  # FED-B
from connective.federation.views import objects as object_views  # FED-B

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
]
