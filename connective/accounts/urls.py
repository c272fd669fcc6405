"""Settings: profile, privacy, links; following topics."""

from django.urls import path

from connective.accounts.views import settings, topics

app_name = "accounts"
urlpatterns = [
    path("settings/", settings.profile_settings, name="settings"),
    path("settings/privacy/", settings.privacy_settings, name="settings_privacy"),
    path("settings/links/", settings.links_settings, name="settings_links"),
    path("settings/links/<int:pk>/delete/", settings.delete_link, name="delete_link"),
    path("topics/<topickey:key>/follow/", topics.follow, name="follow_topic"),
]
