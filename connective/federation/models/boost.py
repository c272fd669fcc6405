"""A boost (ActivityStreams Announce) of a post by a person."""

from django.db import models


class Boost(models.Model):
    """`person` shared `post` with their followers (an Announce, in or out)."""

    person = models.ForeignKey("accounts.Person", on_delete=models.CASCADE, related_name="boosts")
    post = models.ForeignKey("content.Post", on_delete=models.CASCADE, related_name="boosts")
    uri = models.CharField(max_length=500, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [models.UniqueConstraint(fields=["person", "post"], name="boost_once")]

    def __str__(self) -> str:
        return f"{self.person_id} boosted {self.post_id}"
