"""Write a person's whole network into one zip archive, streaming row by row.

Nothing is held in memory beyond one chunk of rows: JSON Lines members are written as the rows
are read, files are copied through in blocks, and the manifest with the counts comes last.
"""

from __future__ import annotations

import csv
import io
import json
import shutil
import tempfile
import time
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import IO, Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from connective.accounts.models import Person
from connective.content.federation import post_to_ap
from connective.content.models import Boost, Post, State, Visibility
from connective.core.uris import absolute_uri
from connective.federation.services.audience import followers_uri
from connective.network.models import Block, Connection, Mute
from connective.portability import format as fmt
from connective.portability.services import extras, index_page
from connective.portability.services.records import (
    boost_record,
    connection_record,
    file_member,
    follower_record,
    post_record,
    profile_record,
)

CHUNK = 500
PUBLIC = "https://www.w3.org/ns/activitystreams#Public"
Progress = Callable[[int, int], None]


@dataclass
class Counter:
    """Counts of what went into the archive, and progress reporting."""

    total: int
    progress: Progress | None = None
    done: int = 0
    counts: dict[str, int] = field(default_factory=dict)

    def add(self, what: str, n: int = 1) -> None:
        """Count `n` more of `what`; report progress every so often."""
        self.counts[what] = self.counts.get(what, 0) + n
        before, self.done = self.done, self.done + n
        if self.progress and (self.done // CHUNK != before // CHUNK or self.done >= self.total):
            self.progress(min(self.done, self.total), self.total)


def my_posts(person: Person) -> QuerySet[Post]:
    """Everything the person wrote that still exists, drafts included (they are theirs)."""
    return (
        Post.objects.filter(author=person, deleted_at__isnull=True)
        .select_related("in_reply_to", "space", "author")
        .prefetch_related("topics", "mentions")
        .order_by("pk")
    )


def my_connections(person: Person) -> QuerySet[Connection]:
    """The connections I made, with the people and topics they need."""
    return (
        Connection.objects.filter(owner=person)
        .select_related("target", "target__moved_to")
        .prefetch_related("topics", "target__links")
        .order_by("pk")
    )


def estimate(person: Person) -> int:
    """How many items an export will write (for the progress bar)."""
    return (
        my_posts(person).count()
        + Boost.objects.filter(person=person).count()
        + Connection.objects.filter(Q(owner=person) | Q(target=person)).count()
        + 10
    )


def write_archive(person: Person, out: IO[bytes], progress: Progress | None = None) -> dict:
    """Write the archive for `person` to the binary file `out`; return the manifest."""
    counter = Counter(total=estimate(person), progress=progress)
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED, allowZip64=True) as zf:
        _json(zf, fmt.PROFILE, profile_record(person))
        _avatar(zf, person)
        _lines(
            zf,
            fmt.CONNECTIONS,
            (connection_record(c) for c in _iter(my_connections(person))),
            counter,
            "connections",
        )
        followers = (
            Connection.objects.filter(target=person)
            .select_related("owner", "owner__moved_to")
            .prefetch_related("topics", "owner__links")
            .order_by("pk")
        )
        _lines(
            zf,
            fmt.FOLLOWERS,
            (follower_record(c) for c in _iter(followers)),
            counter,
            "connected_to_me",
        )
        _posts(zf, person, counter)
        _json(zf, fmt.TOPICS, {"followed": [t.name for t in person.followed_topics.all()]})
        _json(zf, fmt.RELATIONS, _relations(person))
        _mastodon_following(zf, person)
        for name, data in extras.export_members(person):
            zf.writestr(name, data)
            counter.add("extras")
        manifest = _manifest(person, counter)
        _json(zf, fmt.MANIFEST, manifest)
        zf.writestr(fmt.INDEX, index_page.render(person, manifest))
    if progress:
        progress(counter.total, counter.total)
    return manifest


def _member(zf: zipfile.ZipFile, name: str) -> zipfile.ZipInfo:
    """A member written as a stream, dated now and compressed like the rest (a bare name would
    be dated 1 January 1980 and stored uncompressed)."""
    info = zipfile.ZipInfo(name, date_time=time.localtime()[:6])
    info.compress_type = zf.compression
    return info


def _iter(qs: QuerySet) -> Iterator[Any]:
    return qs.iterator(chunk_size=CHUNK)


def _json(zf: zipfile.ZipFile, name: str, data: Any) -> None:
    zf.writestr(name, json.dumps(data, ensure_ascii=False, indent=2))


def _lines(zf, name: str, records, counter: Counter, what: str) -> None:
    """A JSON Lines member, written record by record."""
    with (
        zf.open(_member(zf, name), "w", force_zip64=True) as raw,
        io.TextIOWrapper(raw, "utf-8") as text,
    ):
        for record in records:
            text.write(json.dumps(record, ensure_ascii=False) + "\n")
            counter.add(what)


def _posts(zf: zipfile.ZipFile, person: Person, counter: Counter) -> None:
    """posts.jsonl and, from the same pass over the posts, outbox.json (with the boosts'
    Announces, after boosts.jsonl); then each uploaded file
    under files/. A zip takes one writer at a time, so the outbox's items wait in a temporary
    file and the files follow the lines; only their ids are kept in memory."""
    with_files: list[int] = []
    outbox_total = 0
    with tempfile.TemporaryFile("w+", encoding="utf-8") as outbox:
        with (
            zf.open(_member(zf, fmt.POSTS), "w", force_zip64=True) as raw,
            io.TextIOWrapper(raw, "utf-8") as text,
        ):
            for post in _iter(my_posts(person)):
                text.write(json.dumps(post_record(post), ensure_ascii=False) + "\n")
                counter.add("posts")
                if post.file:
                    with_files.append(post.pk)
                if _in_outbox(post):
                    outbox.write(json.dumps(_create(person, post), ensure_ascii=False) + "\n")
                    outbox_total += 1
        outbox_total += _boosts(zf, person, outbox, counter)
        outbox.seek(0)
        _write_outbox(zf, person, outbox, outbox_total)
    for start in range(0, len(with_files), CHUNK):
        for post in Post.objects.filter(pk__in=with_files[start : start + CHUNK]).order_by("pk"):
            member = file_member(post) or ""
            with (
                post.file.open("rb") as src,
                zf.open(_member(zf, member), "w", force_zip64=True) as dst,
            ):
                shutil.copyfileobj(src, dst, 1024 * 1024)
            counter.add("files")


def _boosts(zf: zipfile.ZipFile, person: Person, outbox: IO[str], counter: Counter) -> int:
    """boosts.jsonl (the post's address and when) and an Announce a boost in the outbox;
    returns how many Announces went into the outbox."""
    boosts = (
        Boost.objects.filter(person=person, post__deleted_at__isnull=True)
        .select_related("post", "post__author")
        .order_by("created_at", "pk")
    )
    written = 0
    with (
        zf.open(_member(zf, fmt.BOOSTS), "w", force_zip64=True) as raw,
        io.TextIOWrapper(raw, "utf-8") as text,
    ):
        for boost in _iter(boosts):
            if not boost.post.uri:
                continue
            text.write(json.dumps(boost_record(boost), ensure_ascii=False) + "\n")
            outbox.write(json.dumps(_announce(person, boost), ensure_ascii=False) + "\n")
            counter.add("boosts")
            written += 1
    return written


def _announce(person: Person, boost: Boost) -> dict[str, Any]:
    """The Announce of a boost, addressed as it was sent (an unlisted post stays unlisted)."""
    post = boost.post
    followers = followers_uri(person)
    if post.visibility == Visibility.PUBLIC:
        to, cc = [PUBLIC], [followers, post.author.uri]
    else:
        to, cc = [followers], [PUBLIC, post.author.uri]
    return {
        "id": boost.uri,
        "type": "Announce",
        "actor": person.uri,
        "published": boost.created_at.isoformat().replace("+00:00", "Z"),
        "to": to,
        "cc": cc,
        "object": post.uri,
    }


def _avatar(zf: zipfile.ZipFile, person: Person) -> None:
    if not person.avatar:
        return
    record = profile_record(person)
    with person.avatar.open("rb") as src, zf.open(_member(zf, record["avatar"]), "w") as dst:
        shutil.copyfileobj(src, dst, 1024 * 1024)


def _relations(person: Person) -> dict[str, list[dict[str, str]]]:
    def people(rows) -> list[dict[str, str]]:
        return [{"acct": r.target.acct, "uri": r.target.uri} for r in rows]

    return {
        "blocks": people(Block.objects.filter(owner=person).select_related("target")),
        "mutes": people(Mute.objects.filter(owner=person).select_related("target")),
    }


def _mastodon_following(zf: zipfile.ZipFile, person: Person) -> None:
    """following_accounts.csv as Mastodon writes and reads it."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["Account address", "Show boosts", "Notify on new posts", "Languages"])
    targets = Connection.objects.filter(owner=person).select_related("target").order_by("pk")
    for conn in targets.iterator(chunk_size=CHUNK):
        writer.writerow([conn.target.acct, "true", "false", ""])
    zf.writestr(fmt.MASTODON_FOLLOWING, buffer.getvalue())


def _in_outbox(post: Post) -> bool:
    """What anyone may see goes in the outbox; discussions stay in their spaces (as in
    federation), drafts wait."""
    return (
        post.state == State.PUBLISHED
        and post.visibility in (Visibility.PUBLIC, Visibility.UNLISTED)
        and post.space_id is None
    )


def _create(person: Person, post: Post) -> dict[str, Any]:
    obj = post_to_ap(post)
    return {
        "id": f"{obj['id']}#create",
        "type": "Create",
        "actor": person.uri,
        "published": obj.get("published"),
        "to": [PUBLIC],
        "object": obj,
    }


def _write_outbox(zf: zipfile.ZipFile, person: Person, items: IO[str], total: int) -> None:
    """outbox.json: an ActivityStreams OrderedCollection of the Create activities in `items`
    (one JSON document a line), streamed into the archive."""
    head = {
        "@context": "https://www.w3.org/ns/activitystreams",
        "id": absolute_uri(person.get_absolute_url()) + "outbox.json",
        "type": "OrderedCollection",
        "totalItems": total,
    }
    with (
        zf.open(_member(zf, fmt.OUTBOX), "w", force_zip64=True) as raw,
        io.TextIOWrapper(raw, "utf-8") as text,
    ):
        text.write(json.dumps(head, ensure_ascii=False)[:-1] + ', "orderedItems": [\n')
        for n, line in enumerate(items):
            text.write(("" if n == 0 else ",\n") + line.rstrip("\n"))
        text.write("\n]}\n")


def _manifest(person: Person, counter: Counter) -> dict[str, Any]:
    return {
        "format": fmt.FORMAT,
        "version": fmt.VERSION,
        "exported_at": timezone.now().isoformat(),
        "instance": absolute_uri("/"),
        "person": {"handle": person.handle, "acct": person.acct, "uri": person.uri},
        "counts": dict(sorted(counter.counts.items())),
    }
