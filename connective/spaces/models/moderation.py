"""Requests to join members-only spaces, and the log of what moderators did."""

from __future__ import annotations

from django.db import models


class JoinRequest(models.Model):
    """Someone asks to join a members-only space (or to come back after being removed)."""

    space = models.ForeignKey(
        "spaces.Space", on_delete=models.CASCADE, related_name="join_requests"
    )
    person = models.ForeignKey(
        "accounts.Person", on_delete=models.CASCADE, related_name="space_join_requests"
    )
    message = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["space", "person"], name="join_request_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.person} asks to join {self.space}"


class ModerationAction(models.Model):
    """One thing a moderator did in a space: who, what, when, to whom or which post, and why."""

    class Action(models.TextChoices):
        PIN = "pin", "Pinned a thread"
        UNPIN = "unpin", "Unpinned a thread"
        LOCK = "lock", "Locked a thread"
        UNLOCK = "unlock", "Unlocked a thread"
        HIDE = "hide", "Hid a post"
        UNHIDE = "unhide", "Unhid a post"
        REMOVE = "remove", "Removed a member"
        APPROVE = "approve", "Approved a request to join"
        DECLINE = "decline", "Declined a request to join"
        PROMOTE = "promote", "Made a member a moderator"
        STEP_DOWN = "step_down", "Stepped down as moderator"
        EDIT = "edit", "Edited the space"

    space = models.ForeignKey(
        "spaces.Space", on_delete=models.CASCADE, related_name="moderation_actions"
    )
    moderator = models.ForeignKey(
        "accounts.Person", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    action = models.CharField(max_length=16, choices=Action.choices)
    person = models.ForeignKey(
        "accounts.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    post = models.ForeignKey(
        "content.Post", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_action_display()} in {self.space}"
