"""Pages that combine several apps: landing, public profiles, topic pages."""

from django.urls import path

from connective.web.views import pages, profile, topics

app_name = "web"
urlpatterns = [
    path("", pages.landing, name="landing"),
    path("@<handle:handle>/", profile.profile, name="profile"),
    path("@<handle:handle>/<profiletab:tab>/", profile.profile, name="profile_tab"),
    path("topics/", topics.index, name="topics"),
    path("topics/<topickey:key>/", topics.detail, name="topic"),
]
