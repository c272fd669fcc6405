"""One searchable document per person, post, space or course: the text the search backends index."""

from __future__ import annotations

from django.db import models


class DocKind(models.TextChoices):
    """What a result is, as the search page's kind filter names it."""

    PERSON = "person", "People"
    NOTE = "note", "Notes"
    ARTICLE = "article", "Articles"
    RESOURCE = "resource", "Resources"
    WEB = "web", "From the web"
    SPACE = "space", "Spaces"
    COURSE = "course", "Courses"


class Source(models.TextChoices):
    """Which table a document was made from (its `object_id` is a row of that table)."""

    PERSON = "person", "Person"
    POST = "post", "Post"
    SPACE = "space", "Space"
    COURSE = "course", "Course"
    FEED_ITEM = "feeditem", "Feed item"


class SearchDocument(models.Model):
    """The indexed text of one object, with the columns filters and facets need.

    The index is never trusted for visibility: every query joins back to the object's own table
    and applies its rule (`Post.objects.visible_to`, discoverable people, published courses). The
    full-text index lives outside the ORM (migrations 0002 and 0006): an FTS5 table kept in step
    by triggers on SQLite, generated tsvector columns with GIN indexes on PostgreSQL. `facets`
    (`documents.facet_text`) lets a filtered search ask the full-text index for the filter too;
    a document's topics are kept there and in `topic_text`, with no topic links of their own.
    """

    source = models.CharField(max_length=16, choices=Source.choices)
    object_id = models.PositiveBigIntegerField()
    kind = models.CharField(max_length=16, choices=DocKind.choices)
    title = models.CharField(max_length=300, blank=True)
    topic_text = models.TextField(blank=True, help_text="Topic names, for matching.")
    body = models.TextField(blank=True, help_text="Plain text.")
    facets = models.TextField(
        blank=True, default="", help_text="Kind, licence and topics as tokens the index filters by."
    )
    author = models.ForeignKey(
        "accounts.Person", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    licence = models.CharField(max_length=16, blank=True)
    created_at = models.DateTimeField()
    indexed_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["source", "object_id"], name="searchdoc_once"),
        ]

    def __str__(self) -> str:
        return f"{self.source} {self.object_id}: {self.title[:60]}"
