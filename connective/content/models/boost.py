"""A boost: a person shares someone's post with their network (an ActivityStreams Announce)."""

from __future__ import annotations

from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from connective.accounts.models import Person
from connective.content.models.post import Post
from connective.network.models import Block

# Only posts open to all may be boosted (Mastodon: public and unlisted).
BOOSTABLE = ("public", "unlisted")


class BoostQuerySet(models.QuerySet["Boost"]):
    """Queries over boosts; `visible_to` builds on THE rule, `Post.objects.visible_to`."""

    def visible_to(self, viewer) -> BoostQuerySet:
        """Boosts `viewer` (a Person or None) may see: of a post they may see, open to all,
        by someone not suspended, with no block between the viewer and the booster or the
        post's author."""
        visible = Post.objects.visible_to(viewer).filter(
            pk=OuterRef("post_id"), visibility__in=BOOSTABLE
        )
        suspended = Person.objects.filter(suspended_at__isnull=False).values("pk")
        qs = self.filter(Exists(visible)).exclude(person_id__in=suspended)
        if viewer is None:
            return qs
        blocks = Block.objects.filter(Q(owner_id=viewer.pk) | Q(target_id=viewer.pk))
        blocked = blocks.filter(owner_id=viewer.pk).values("target_id")
        blocking = blocks.filter(target_id=viewer.pk).values("owner_id")
        return (
            qs.exclude(person_id__in=blocked)
            .exclude(person_id__in=blocking)
            .exclude(post__author_id__in=blocked)
        )


class Boost(models.Model):
    """`person` shared `post` with their network at `created_at` (an Announce, in or out)."""

    person = models.ForeignKey("accounts.Person", on_delete=models.CASCADE, related_name="boosts")
    post = models.ForeignKey("content.Post", on_delete=models.CASCADE, related_name="boosts")
    uri = models.CharField(max_length=500, unique=True, help_text="The Announce's id.")
    created_at = models.DateTimeField(default=timezone.now)

    objects = BoostQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["person", "post"], name="boost_person_post_once")
        ]
        indexes = [
            models.Index(fields=["person", "-created_at"], name="boost_person_created"),
            models.Index(fields=["-created_at", "-id"], name="boost_created_id"),
        ]

    def __str__(self) -> str:
        return f"{self.person_id} boosted {self.post_id}"
