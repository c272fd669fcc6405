"""A "useful" mark: the learner found this resource useful (a Like on the wire)."""

from django.db import models


class Useful(models.Model):
    """One person marked one post useful."""

    person = models.ForeignKey(
        "accounts.Person", on_delete=models.CASCADE, related_name="useful_marks"
    )
    post = models.ForeignKey("content.Post", on_delete=models.CASCADE, related_name="useful_marks")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["person", "post"], name="useful_once")]

    def __str__(self) -> str:
        return f"{self.person_id} found {self.post_id} useful"
