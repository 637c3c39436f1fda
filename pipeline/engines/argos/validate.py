"""Checking an ``.argosmodel`` archive, and an installed package folder, before argostranslate sees it.

argostranslate extracts whatever a zip holds and trusts its metadata's types;
a hostile or damaged package must be refused here, with what to do, before
anything is written.
"""

from __future__ import annotations

import json
import re
import stat
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from pipeline.errors import ModelError, PipelineError
from pipeline.runtime.reading import read_bounded

TOKENIZER_FILES = ("sentencepiece.model", "bpe.model")
"""The tokenizers ``argostranslate.package.Package`` knows, in the order it tries them."""

MAX_UNCOMPRESSED_BYTES = 2 * 1024**3
"""What an archive may unpack to by default; the largest Argos models are a few hundred MB."""

MAX_METADATA_BYTES = 1024**2
MAX_MEMBERS = 10_000
"""Members an archive may hold; a real Argos package holds a few dozen files."""
LANGUAGE_CODE = re.compile(r"[A-Za-z0-9]+(?:[_-][A-Za-z0-9]+)*")

# What argostranslate's Package.load_metadata_from_json reads, and the type it
# assumes (it appends to the lists and formats the strings without checking).
_METADATA_STRINGS = ("code", "package_version", "argos_version", "from_code", "from_name", "to_code", "to_name", "type", "target_prefix")
_METADATA_LISTS = ("from_codes", "to_codes", "links", "languages", "dependencies", "source_languages", "target_languages")


@dataclass(frozen=True)
class ArchiveFacts:
    """What validation learnt of an archive: its metadata, its one folder, what it unpacks to."""

    metadata: dict[str, Any]
    top_folder: str
    uncompressed_bytes: int


def validate_archive(path: Path, *, max_uncompressed_bytes: int = MAX_UNCOMPRESSED_BYTES) -> dict:
    """Check an ``.argosmodel`` file without extracting it and return its metadata.

    The file must be an unencrypted, intact zip holding one top-level folder
    with ``metadata.json`` (``from_code`` and ``to_code`` set), a ``model/``
    folder and a tokenizer (``sentencepiece.model`` or ``bpe.model``); no member
    may be absolute, climb out with ``..``, contain a backslash or be a symlink;
    the sizes its headers declare must add up to at most
    *max_uncompressed_bytes* (zipfile never extracts more than a member
    declares, so this bounds what extraction writes).
    """
    return inspect_archive(Path(path), max_uncompressed_bytes=max_uncompressed_bytes).metadata


def inspect_archive(path: Path, *, max_uncompressed_bytes: int = MAX_UNCOMPRESSED_BYTES) -> ArchiveFacts:
    """:func:`validate_archive`, returning everything it learnt (a :class:`ModelError` at the first problem)."""
    archive = _open_zip(path)
    with archive:
        by_name, total = _members(path, archive)
        top = _one_top_folder(path, by_name)
        if total > max_uncompressed_bytes:
            raise ModelError(
                f"{path}: unpacks to {total} bytes, over the {max_uncompressed_bytes}-byte limit; refusing a possible zip bomb."
            )
        _require_package_members(path, top, by_name)
        _test_checksums(path, archive)
        metadata = _read_metadata(path, archive, by_name[f"{top}/metadata.json"], top)
    return ArchiveFacts(metadata=metadata, top_folder=top, uncompressed_bytes=total)


def _open_zip(path: Path) -> zipfile.ZipFile:
    if not path.is_file():
        raise ModelError(f"{path}: no such package file; check the path.")
    try:
        return zipfile.ZipFile(path)
    except (zipfile.BadZipFile, zlib.error, ValueError, EOFError) as err:
        raise ModelError(f"{path}: not a zip archive, so not an Argos package (.argosmodel); download it again.") from err
    except OSError as err:
        raise ModelError(f"{path}: cannot read the package file ({err.strerror}).") from err


def _members(path: Path, archive: zipfile.ZipFile) -> tuple[dict[str, zipfile.ZipInfo], int]:
    """Every member by its clean name, and the bytes they declare; a member that could escape is refused."""
    by_name: dict[str, zipfile.ZipInfo] = {}
    total = 0
    members = archive.infolist()
    if len(members) > MAX_MEMBERS:
        raise ModelError(
            f"{path}: holds {len(members):,} members, over the limit of {MAX_MEMBERS:,}; an Argos package holds a few dozen files, so this one is refused."
        )
    for member in members:
        name = member.filename
        parts = PurePosixPath(name).parts
        if name.startswith("/") or re.match(r"[A-Za-z]:", name):
            raise ModelError(f"{path}: member {name!r} has an absolute path; refusing an archive that writes outside its folder.")
        if "\\" in name or ".." in parts:
            raise ModelError(f"{path}: member {name!r} climbs out of its folder; refusing a path-traversal archive.")
        if stat.S_ISLNK(member.external_attr >> 16):
            raise ModelError(f"{path}: member {name!r} is a symbolic link; an Argos package holds only plain files.")
        if member.flag_bits & 0x1:
            raise ModelError(f"{path}: member {name!r} is encrypted; use an unencrypted Argos package.")
        parts = tuple(part for part in parts if part != ".")
        if not parts:
            continue
        clean = "/".join(parts)
        if clean in by_name and not member.is_dir():
            raise ModelError(f"{path}: member {name!r} appears twice; the archive is damaged, download it again.")
        by_name[clean] = member
        if len(parts) == 1 and not member.is_dir():
            raise ModelError(f"{path}: file {name!r} lies outside the package folder; an Argos package is one folder zipped.")
        total += member.file_size
    return by_name, total


def _one_top_folder(path: Path, by_name: dict[str, zipfile.ZipInfo]) -> str:
    top_folders = {name.split("/", 1)[0] for name in by_name}
    if len(top_folders) != 1:
        found = ", ".join(sorted(top_folders)) or "none"
        raise ModelError(f"{path}: needs exactly one top-level folder but has {found}; an Argos package is one folder zipped.")
    return top_folders.pop()


def _require_package_members(path: Path, top: str, by_name: dict[str, zipfile.ZipInfo]) -> None:
    if f"{top}/metadata.json" not in by_name or by_name[f"{top}/metadata.json"].is_dir():
        raise ModelError(f"{path}: {top}/metadata.json is missing; this is not an Argos package.")
    model_dir = by_name.get(f"{top}/model")
    if not (model_dir and model_dir.is_dir()) and not any(name.startswith(f"{top}/model/") for name in by_name):
        raise ModelError(f"{path}: {top}/model/ is missing; the package holds no translation model.")
    if not any(f"{top}/{tokenizer}" in by_name for tokenizer in TOKENIZER_FILES):
        raise ModelError(f"{path}: no tokenizer ({' or '.join(TOKENIZER_FILES)}) in {top}/; the package is incomplete.")


def _test_checksums(path: Path, archive: zipfile.ZipFile) -> None:
    try:
        bad_member = archive.testzip()
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError, OSError) as err:
        raise ModelError(f"{path}: the archive cannot be read ({err}); download it again.") from err
    if bad_member is not None:
        raise ModelError(f"{path}: member {bad_member!r} is corrupt (checksum mismatch); download it again.")


def _read_metadata(path: Path, archive: zipfile.ZipFile, member: zipfile.ZipInfo, top: str) -> dict:
    if member.file_size > MAX_METADATA_BYTES:
        raise ModelError(f"{path}: {top}/metadata.json is over {MAX_METADATA_BYTES} bytes; this is not an Argos package.")
    try:
        metadata = json.loads(archive.read(member).decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as err:
        raise ModelError(f"{path}: {top}/metadata.json is not valid JSON ({err}); the package is damaged.") from err
    if not isinstance(metadata, dict):
        raise ModelError(f"{path}: {top}/metadata.json must hold a JSON object; the package is damaged.")
    problem = metadata_problem(metadata)
    if problem:
        raise ModelError(f"{path}: {top}/metadata.json {problem}; the package is damaged, nothing was installed.")
    for key in ("from_code", "to_code"):
        value = metadata.get(key)
        if not isinstance(value, str) or not LANGUAGE_CODE.fullmatch(value):
            raise ModelError(f"{path}: {top}/metadata.json has no valid {key!r}; the package cannot say which pair it translates.")
    return metadata


def metadata_problem(metadata: Any) -> str | None:
    """What makes a package's metadata unusable by argostranslate, in words, or None."""
    if not isinstance(metadata, dict):
        return "is not a JSON object"
    for key in _METADATA_STRINGS:
        if key in metadata and metadata[key] is not None and not isinstance(metadata[key], str):
            return f"has {key!r} of type {type(metadata[key]).__name__}, where a string is required"
    for key in _METADATA_LISTS:
        if key in metadata and not isinstance(metadata[key], list):
            return f"has {key!r} of type {type(metadata[key]).__name__}, where a list is required"
    for key in ("from_code", "to_code"):
        value = metadata.get(key)
        if value is not None and not LANGUAGE_CODE.fullmatch(value):
            return f"has {key!r} {value!r}, which is not a language code"
    return None


def package_folder_problem(folder: Path) -> tuple[str | None, dict]:
    """(what is wrong with an installed package folder or None, its metadata)."""
    metadata = folder / "metadata.json"
    if not metadata.is_file():
        return "a folder in the models folder has no metadata.json", {}
    try:
        if metadata.stat().st_size > MAX_METADATA_BYTES:
            return f"its metadata.json is over {MAX_METADATA_BYTES} bytes", {}
        loaded = json.loads(read_bounded(metadata, kind="metadata", limit=MAX_METADATA_BYTES).decode("utf-8"))
    except (OSError, PipelineError, UnicodeDecodeError, json.JSONDecodeError, RecursionError):
        return "its metadata.json cannot be read as JSON", {}
    problem = metadata_problem(loaded)
    if problem:
        return f"its metadata.json {problem}", {}
    return None, loaded
