"""Bad archives get a clear error and change nothing (never half-written)."""

import io
import json
import zipfile

import pytest

from connective.content.models import Post
from connective.network.models import Connection
from connective.portability.services.apply import apply_plan
from connective.portability.services.archive import ArchiveError
from connective.portability.services.export import write_archive
from connective.portability.services.importing import plan_file

pytestmark = pytest.mark.django_db


def archive(members: dict[str, bytes | str], manifest: dict | None = None) -> io.BytesIO:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        if manifest is not False:
            zf.writestr(
                "manifest.json",
                json.dumps(manifest or {"format": "connective-archive", "version": 1}),
            )
        for name, data in members.items():
            zf.writestr(name, data)
    out.seek(0)
    return out


def refused(source, message: str) -> None:
    with pytest.raises(ArchiveError) as err:
        plan_file(source)
    assert message in str(err.value)


def test_truncated_zip_is_refused(rich):
    out = io.BytesIO()
    write_archive(rich, out)
    refused(io.BytesIO(out.getvalue()[: len(out.getvalue()) // 2]), "empty or damaged")


def test_zip_bomb_is_refused_before_it_is_read():
    refused(archive({"posts.jsonl": b"\0" * (5 * 1024 * 1024)}), "zip bomb")


@pytest.mark.parametrize("name", ["../../etc/passwd", "/etc/passwd", "files/..\\..\\x", "C:x"])
def test_path_traversal_in_member_names_is_refused(name):
    refused(archive({name: b"x"}), "unsafe file name")


def test_unknown_format_version_is_refused():
    manifest = {"format": "connective-archive", "version": 99}
    refused(archive({}, manifest), "format version 99")


def test_someone_elses_zip_is_refused():
    refused(archive({"readme.txt": "hi"}, manifest=False), "neither a Connective archive")


def test_broken_json_lines_are_refused_whole():
    refused(archive({"posts.jsonl": '{"kind": "note"\n'}), "Line 1 of posts.jsonl")


def test_rows_with_bad_values_are_skipped_with_reasons(ana):
    lines = [
        {"kind": "poem", "id": "https://a.example/1"},
        {"kind": "note", "body": "x" * 10, "id": "https://a.example/2", "licence": {"code": "x"}},
        {
            "kind": "note",
            "body": "ok",
            "id": "javascript:alert(1)",
            "created_at": "2025-01-01T00:00:00+00:00",
        },
        {"kind": "note", "body": "fine", "id": "https://a.example/4", "created_at": "yesterday"},
    ]
    conns = [{"person": {"acct": "x@y.example"}, "direction": "stalk"}]
    plan, zf = plan_file(
        archive(
            {
                "posts.jsonl": "\n".join(json.dumps(line) for line in lines),
                "connections.jsonl": json.dumps(conns[0]),
            }
        )
    )
    assert plan.posts == [] and plan.contacts == []
    reasons = " ".join(plan.rejected)
    assert "unknown kind" in reasons and "unknown licence" in reasons
    assert "no address" in reasons and "created_at" in reasons and "direction" in reasons
    apply_plan(ana, plan, zf)
    assert not Post.objects.exists() and not Connection.objects.exists()


def test_a_hundred_thousand_rows_give_a_bounded_report(ana):
    rows = "\n".join(f'{{"kind": "poem", "n": {n * 7919 % 100_003}}}' for n in range(100_000))
    plan, zf = plan_file(archive({"posts.jsonl": rows}))
    report = apply_plan(ana, plan, zf)
    assert report["rejected_total"] == 100_000 and len(report["rejected"]) == 500
    assert not Post.objects.exists()


def test_a_failure_half_way_leaves_nothing(ana, monkeypatch):
    lines = [
        {
            "kind": "note",
            "body": f"post {n}",
            "id": f"https://a.example/{n}",
            "created_at": "2025-01-01T00:00:00+00:00",
        }
        for n in range(3)
    ]
    lines[2]["file"] = "files/missing.pdf"
    plan, zf = plan_file(archive({"posts.jsonl": "\n".join(json.dumps(x) for x in lines)}))
    assert len(plan.posts) == 2 and "missing" in plan.rejected[0]
    plan.posts[1].file_member = "files/gone.pdf"  # vanished between check and apply
    with pytest.raises(ArchiveError):
        apply_plan(ana, plan, zf)
    assert not Post.objects.exists()
