"""Open an uploaded archive safely: every member checked before anything is read or written."""

from __future__ import annotations

import json
import zipfile
from collections.abc import Iterator
from typing import IO, Any

from connective.portability import format as fmt


class ArchiveError(Exception):
    """An archive we will not read, with the reason a person can act on."""


def _check_name(name: str) -> None:
    """Refuse member names that could escape a folder if anyone ever extracted them."""
    bad = (
        name.startswith(("/", "\\"))
        or "\\" in name
        or "\x00" in name
        or (len(name) > 1 and name[1] == ":")
        or any(part == ".." for part in name.split("/"))
    )
    if bad:
        raise ArchiveError(f"The archive has an unsafe file name ({name[:80]!r}).")


def _check_sizes(infos: list[zipfile.ZipInfo]) -> None:
    total = 0
    for info in infos:
        if info.file_size > fmt.MAX_MEMBER_BYTES:
            raise ArchiveError(f"{info.filename[:80]} is too large to import.")
        big = info.file_size > 1024 * 1024
        if big and info.file_size > fmt.MAX_RATIO * max(info.compress_size, 1):
            raise ArchiveError("The archive expands to far more than its size (a zip bomb?).")
        total += info.file_size
    if total > fmt.MAX_TOTAL_BYTES:
        raise ArchiveError("The archive is too large to import.")


def open_archive(source: IO[bytes] | str) -> zipfile.ZipFile:
    """A checked ZipFile: a real, complete zip with safe names and bounded sizes."""
    try:
        zf = zipfile.ZipFile(source)
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise ArchiveError("This .zip file is empty or damaged.") from exc
    infos = zf.infolist()
    if len(infos) > fmt.MAX_MEMBERS:
        raise ArchiveError(f"The archive has more than {fmt.MAX_MEMBERS:,} files.")
    for info in infos:
        _check_name(info.filename)
    _check_sizes(infos)
    return zf


def read_member(zf: zipfile.ZipFile, name: str, max_bytes: int = 20 * 1024 * 1024) -> bytes:
    """A member's bytes, at most `max_bytes` (the declared size is not trusted)."""
    try:
        with zf.open(name) as member:
            data = member.read(max_bytes + 1)
    except KeyError as exc:
        raise ArchiveError(f"The archive has no {name}.") from exc
    except (zipfile.BadZipFile, OSError, EOFError, ValueError) as exc:
        raise ArchiveError(f"{name} in the archive is damaged ({exc}).") from exc
    if len(data) > max_bytes:
        raise ArchiveError(f"{name} is too large to import.")
    return data


def read_json(zf: zipfile.ZipFile, name: str, max_bytes: int = 20 * 1024 * 1024) -> Any:
    """A JSON member, parsed; a clear error if it is not JSON."""
    try:
        return json.loads(read_member(zf, name, max_bytes))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as exc:
        raise ArchiveError(f"{name} is not valid JSON.") from exc


def iter_lines(zf: zipfile.ZipFile, name: str) -> Iterator[tuple[int, dict[str, Any]]]:
    """(line number, record) for each line of a JSON Lines member, with caps on both."""
    try:
        with zf.open(name) as member:
            for number, raw in enumerate(member, start=1):
                if number > fmt.MAX_ROWS:
                    raise ArchiveError(f"{name} has more than {fmt.MAX_ROWS:,} lines.")
                if len(raw) > fmt.MAX_LINE_BYTES:
                    raise ArchiveError(f"Line {number} of {name} is too long.")
                if not raw.strip():
                    continue
                try:
                    record = json.loads(raw)
                except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as exc:
                    raise ArchiveError(f"Line {number} of {name} is not valid JSON.") from exc
                if not isinstance(record, dict):
                    raise ArchiveError(f"Line {number} of {name} is not a record.")
                yield number, record
    except KeyError as exc:
        raise ArchiveError(f"The archive has no {name}.") from exc
    except (zipfile.BadZipFile, OSError, EOFError) as exc:
        raise ArchiveError(f"{name} in the archive is damaged ({exc}).") from exc


def read_manifest(zf: zipfile.ZipFile) -> dict[str, Any]:
    """The manifest of a Connective archive, with its format and version checked."""
    manifest = read_json(zf, fmt.MANIFEST, 1024 * 1024)
    if not isinstance(manifest, dict) or manifest.get("format") != fmt.FORMAT:
        raise ArchiveError("This is not a Connective archive (its manifest is not ours).")
    version = manifest.get("version")
    if version not in fmt.SUPPORTED_VERSIONS:
        raise ArchiveError(
            f"This archive is format version {str(version)[:20]}; this server reads versions "
            f"{' and '.join(str(v) for v in sorted(fmt.SUPPORTED_VERSIONS))}."
        )
    return manifest
