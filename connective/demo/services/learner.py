"""The demo login's own corner: Robin's posts, the replies they drew, what Robin found useful."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from connective.content.models import Post
from connective.content.services.posts import PostDraft, create_post
from connective.demo.services.catalog import LEARNER
from connective.demo.services.state import Demo, Written
from connective.demo.services.threads import mark, reply_as


def write_learner(demo: Demo) -> int:
    """The learner's posts, a welcome that mentions them, and the threads under their posts.

    Returns how many replies were written.
    """
    spec = demo.cat.learner
    keyed: dict[str, tuple[Post, datetime]] = {}
    for raw in spec["posts"]:
        written = _post(demo, raw)
        demo.by_key[raw["key"]] = written
        keyed[raw["key"]] = (written.post, written.at)
    for raw in spec["mentions"]:
        post = create_post(demo.people[raw["by"]], PostDraft(kind="note", body=raw["body"]))
        demo.stamp(Written(post, raw["by"], "mention", "", demo.days_ago(raw["days_ago"])))
    replies = 0
    for raw in spec["replies"]:
        parent, root_at = keyed[raw["to"]]
        at = min(root_at + timedelta(hours=raw["hours"]), demo.days_ago(0.01))
        reply = reply_as(demo, parent, raw["by"], raw["body"], at)
        if reply is not None:
            replies += 1
            if raw.get("key"):
                keyed[raw["key"]] = (reply, root_at)
    return replies


def _post(demo: Demo, raw: dict[str, Any]) -> Written:
    draft = PostDraft(
        kind=raw["kind"],
        title=raw.get("title", ""),
        body=raw["body"],
        link_url=raw.get("url", ""),
        licence=raw.get("licence", ""),
        visibility=raw.get("visibility", "public"),
        topics=list(raw.get("topics", [])),
    )
    post = create_post(demo.people[LEARNER], draft)
    topic = raw.get("topics", [""])[0]
    at = demo.days_ago(raw["days_ago"] + demo.rng.uniform(0, 0.2))
    return demo.stamp(Written(post, LEARNER, raw["kind"], topic, at))


def mark_learner(demo: Demo) -> int:
    """Useful marks on the learner's resource, and the resources the learner found useful."""
    spec = demo.cat.learner
    made = 0
    river = demo.by_key.get("river")
    if river is not None:
        made += sum(mark(demo, handle, river) for handle in spec["useful_on_river"])
    by_title = {w.post.title: w for w in demo.written if w.kind == "resource"}
    for title in spec["marks"]:
        if title in by_title:
            made += mark(demo, LEARNER, by_title[title])
    return made
