"""Federation URLs."""

from django.urls import URLPattern, URLResolver, path

from connective.federation.views import actors, lookup, wellknown

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
]
