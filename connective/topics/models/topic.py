"""A topic: a normalised tag; maps to a hashtag in federation."""

from django.db import models
from django.urls import reverse

from connective.core.uris import absolute_uri


class Topic(models.Model):
    """One subject people learn and help with, identified by its normalised key."""

    key = models.CharField(max_length=64, unique=True)
    name = models.CharField(max_length=128, help_text="How the topic was first written.")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["key"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("web:topic", kwargs={"key": self.key})

    @property
    def uri(self) -> str:
        """The canonical URI, used as the hashtag's href."""
        return absolute_uri(self.get_absolute_url())
