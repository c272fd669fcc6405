"""Something that happened that a person should know about."""

from django.db import models


class NotificationQuerySet(models.QuerySet["Notification"]):
    """Queries over notifications."""

    def unread(self) -> "NotificationQuerySet":
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    """One notification; `data` holds what the sentence needs, fixed when it happened."""

    class Kind(models.TextChoices):
        CONNECTION = "connection", "New connection"
        CONNECTION_REQUEST = "connection_request", "Connection request"
        CONNECTION_ACCEPTED = "connection_accepted", "Connection accepted"
        REPLY = "reply", "Reply"
        MENTION = "mention", "Mention"
        USEFUL = "useful", "Marked useful"
        THREAD_REPLY = "thread_reply", "Reply in a thread you follow"
        SPACE_THREAD = "space_thread", "New thread in a space you follow"
        POST_HIDDEN = "post_hidden", "Post hidden by a moderator"
        SPACE_REMOVED = "space_removed", "Removed from a space"
        COURSE_ENROLLED = "course_enrolled", "Learner enrolled"
        STATEMENT_ISSUED = "statement_issued", "Statement of participation issued"
        STATEMENT_REVOKED = "statement_revoked", "Statement of participation revoked"
        FEED_FAILING = "feed_failing", "Feed failing"
        POST_PUBLISHED = "post_published", "Scheduled post published"
        EXPORT_READY = "export_ready", "Export ready"
        IMPORT_DONE = "import_done", "Import finished"
        MOVED = "moved", "Someone you follow moved"
        BOOST = "boost", "Boosted your post"
        JOIN_REQUEST = "join_request", "Asks to join a space you moderate"
        SPACE_DELETED = "space_deleted", "A space you were in was deleted"

    recipient = models.ForeignKey(
        "accounts.Person", on_delete=models.CASCADE, related_name="notifications"
    )
    actor = models.ForeignKey(
        "accounts.Person", null=True, on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(max_length=32, choices=Kind.choices)
    data = models.JSONField(default=dict, blank=True)
    url = models.CharField(max_length=500, blank=True)
    object_key = models.CharField(
        max_length=200, blank=True, help_text="What the notification is about, to avoid doubles."
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["recipient", "read_at"], name="notif_recipient_unread")]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "actor", "kind", "object_key"],
                condition=~models.Q(object_key=""),
                name="notification_once_per_object",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} for {self.recipient_id}"
