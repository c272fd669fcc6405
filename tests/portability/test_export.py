"""Export: one zip with everything a learner needs to leave and keep their network."""

import csv
import io
import json
import zipfile

import pytest

from connective.portability import format as fmt
from connective.portability.services.export import write_archive

pytestmark = pytest.mark.django_db


def export(person) -> zipfile.ZipFile:
    out = io.BytesIO()
    write_archive(person, out)
    out.seek(0)
    return zipfile.ZipFile(out)


def lines(zf: zipfile.ZipFile, name: str) -> list[dict]:
    return [json.loads(line) for line in zf.read(name).decode().splitlines() if line]


def test_archive_holds_every_member_and_a_versioned_manifest(rich):
    zf = export(rich)
    names = set(zf.namelist())
    for member in (
        fmt.MANIFEST,
        fmt.INDEX,
        fmt.PROFILE,
        fmt.CONNECTIONS,
        fmt.FOLLOWERS,
        fmt.POSTS,
        fmt.TOPICS,
        fmt.RELATIONS,
        fmt.MASTODON_FOLLOWING,
        fmt.OUTBOX,
        fmt.BOOSTS,
        fmt.SPACES,
        fmt.COURSES,
    ):
        assert member in names, member
    manifest = json.loads(zf.read(fmt.MANIFEST))
    assert manifest["format"] == "connective-archive" and manifest["version"] == 2
    assert manifest["counts"]["connections"] == 2 and manifest["counts"]["posts"] == 4


def test_connections_keep_purpose_note_and_every_address(rich):
    conns = {c["person"]["acct"]: c for c in lines(export(rich), fmt.CONNECTIONS)}
    ben = (
        conns["ben@connective.test"]
        if "ben@connective.test" in conns
        else next(c for a, c in conns.items() if a.startswith("ben@"))
    )
    assert ben["direction"] == "learn_from"
    assert ben["topics"] == ["Open licensing"]
    assert ben["met_where"] == "OER course" and ben["met_url"] == "https://oer.example/course"
    assert ben["note"] == "Ask Ben about CC BY-SA <b>remixes</b>"
    dora = conns["dora@social.example"]
    assert dora["person"]["uri"] and dora["direction"] == "learn_with"


def test_people_connected_to_me_never_carry_their_private_note(rich):
    followers = lines(export(rich), fmt.FOLLOWERS)
    assert [f["person"]["handle"] for f in followers] == ["chloe"]
    assert "note" not in followers[0] and "secret" not in json.dumps(followers)


def test_posts_keep_markdown_licence_audience_dates_and_files(rich):
    zf = export(rich)
    posts = {p["title"] or p["body"]: p for p in lines(zf, fmt.POSTS)}
    assert posts["Hello #pln"]["visibility"] == "network"
    assert posts["Why PLNs"]["body"] == "**Because.**" and posts["Why PLNs"]["topics"] == ["pln"]
    slides = posts["Slides"]
    assert slides["licence"]["code"] == "cc-by-sa" and slides["licence"]["url"]
    assert zf.read(slides["file"]) == b"%PDF-1.4 slides"
    assert posts["Later"]["state"] == "draft"
    assert all(p["created_at"] for p in posts.values())
    assert "Reply to Ana" not in posts  # only my own posts


def test_mastodon_following_csv_lists_my_connections(rich, ben):
    rows = list(csv.reader(io.StringIO(export(rich).read(fmt.MASTODON_FOLLOWING).decode())))
    assert rows[0] == ["Account address", "Show boosts", "Notify on new posts", "Languages"]
    assert {row[0] for row in rows[1:]} == {"dora@social.example", ben.acct}


def test_outbox_holds_only_what_anyone_may_see(rich):
    outbox = json.loads(export(rich).read(fmt.OUTBOX))
    assert outbox["type"] == "OrderedCollection"
    titles = {item["object"].get("name") for item in outbox["orderedItems"]}
    assert titles == {"Why PLNs", "Slides"}  # not the network-only note, not the draft
    assert outbox["totalItems"] == 2


def test_index_page_explains_the_archive_and_escapes_names(rich):
    rich.display_name = "Ana <script>alert(1)</script>"
    rich.save()
    page = export(rich).read(fmt.INDEX).decode()
    assert "<script>alert" not in page and "&lt;script&gt;" in page
    assert "to learn about Open licensing from" in page


def test_blocks_and_mutes_are_exported(rich):
    relations = json.loads(export(rich).read(fmt.RELATIONS))
    assert [m["acct"].split("@")[0] for m in relations["mutes"]] == ["noisy"]


def test_progress_is_reported(rich):
    seen = []
    write_archive(rich, io.BytesIO(), progress=lambda done, total: seen.append((done, total)))
    assert seen and seen[-1][0] == seen[-1][1]


def test_every_member_of_the_archive_is_dated_now_and_compressed(rich):
    import datetime

    data = io.BytesIO()
    write_archive(rich, data)
    this_year = datetime.date.today().year
    for info in zipfile.ZipFile(data).infolist():
        assert info.date_time[0] >= this_year - 1, info.filename
        assert info.compress_type == zipfile.ZIP_DEFLATED, info.filename
