"""`connective verify` and `connective statements`."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from connective.credentials.services.issuing import revoke


def run_verify(*args) -> tuple[int, str]:
    """Run `verify`; its exit code and what it printed."""
    out = StringIO()
    try:
        call_command("verify", *args, stdout=out)
    except SystemExit as exit_:
        return int(exit_.code or 0), out.getvalue().strip()
    return 0, out.getvalue().strip()


def test_verify_prints_valid_and_exits_zero(tmp_path, statement):
    path = tmp_path / "statement.json"
    path.write_text(json.dumps(statement.credential_document()))
    assert run_verify(str(path)) == (0, "valid")
    jwt_path = tmp_path / "statement.jwt"
    jwt_path.write_text(statement.credential + "\n")
    assert run_verify(str(jwt_path)) == (0, "valid")


def test_t35_verify_prints_the_reason_and_exits_non_zero(tmp_path, ben, statement):
    document = statement.credential_document()
    document["credentialSubject"]["name"] = "Mallory"
    tampered = tmp_path / "tampered.json"
    tampered.write_text(json.dumps(document))
    assert run_verify(str(tampered)) == (1, "bad signature")
    good = tmp_path / "good.json"
    good.write_text(json.dumps(statement.credential_document()))
    revoke(statement, "Plagiarised", by=ben)
    assert run_verify(str(good)) == (1, "revoked")


def test_t35_verify_for_another_person_is_a_wrong_recipient(tmp_path, ana, ben, statement):
    path = tmp_path / "statement.jwt"
    path.write_text(statement.credential)
    assert run_verify(str(path), "--for", "ana") == (0, "valid")
    assert run_verify(str(path), "--for", "ben") == (1, "wrong recipient")
    assert run_verify(str(path), "--for", "nobody") == (2, "unknown person: nobody")


def test_t35_verify_malformed_and_huge_files(tmp_path, db):
    path = tmp_path / "junk.json"
    path.write_bytes(b"\x00\x01not json")
    code, out = run_verify(str(path))
    assert code == 1 and out.startswith("malformed: ")
    huge = tmp_path / "huge.json"
    huge.write_bytes(b"{" + b"x" * 10_000_000)
    assert run_verify(str(huge)) == (1, "malformed: larger than 512 KB")
    code, out = run_verify(str(tmp_path / "missing.json"))
    assert code == 2 and out.startswith("cannot read ")


def test_statements_writes_one_file_per_statement(tmp_path, ana, statement):
    out_dir = tmp_path / "new" / "dir"
    out = StringIO()
    call_command("statements", "--user", "ana", "--out", str(out_dir), stdout=out)
    files = sorted(out_dir.iterdir())
    assert [f.name for f in files] == [f"statement-{statement.public_id}.json"]
    assert json.loads(files[0].read_text()) == statement.credential_document()
    assert "Wrote 1 statement " in out.getvalue()
    # Running again writes the same files (stable names), nothing more.
    call_command("statements", "--user", "ANA", "--out", str(out_dir), stdout=StringIO())
    assert sorted(out_dir.iterdir()) == files
    code, printed = run_verify(str(files[0]))
    assert (code, printed) == (0, "valid")


def test_statements_refuses_an_unknown_handle(tmp_path, db):
    with pytest.raises(CommandError, match="No person with the handle 'ghost'"):
        call_command("statements", "--user", "ghost", "--out", str(tmp_path / "x"))
    assert not (tmp_path / "x").exists()


def test_rotation_keeps_old_statements_valid(tmp_path, ana, statement):
    out = StringIO()
    call_command("issuer_keys", "rotate", stdout=out)
    assert "New signing key" in out.getvalue()
    from connective.credentials.services.issuing import issue_statement
    from tests.credentials.conftest import make_achievement, make_evidence

    newer = issue_statement(ana, make_achievement(), make_evidence(), "https://learn.example/c/2/")
    assert newer.key != statement.key
    for item in (statement, newer):
        path = tmp_path / f"{item.public_id}.jwt"
        path.write_text(item.credential)
        assert run_verify(str(path)) == (0, "valid")


def test_t35_withdrawn_key_fails_verification(tmp_path, statement):
    out = StringIO()
    call_command("issuer_keys", "withdraw", statement.key.kid, stdout=out)
    assert "1 statement signed with it no longer verify" in out.getvalue()
    path = tmp_path / "s.jwt"
    path.write_text(statement.credential)
    assert run_verify(str(path)) == (1, "revoked key")
    with pytest.raises(CommandError, match="No key"):
        call_command("issuer_keys", "withdraw", "key-nope", stdout=StringIO())
