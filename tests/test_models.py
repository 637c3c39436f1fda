"""Tests for pipeline.models against the real argostranslate.

argostranslate reads its environment once, at import, so every scenario that
touches it runs in a fresh interpreter (``run_scenario``) with HOME, the XDG
homes and the models folder inside a temporary folder. Archives are built here
with zipfile; installing never loads the model, so a few bytes stand in for it.
The only network is an http.server on 127.0.0.1.
"""

from __future__ import annotations

import functools
import http.server
import json
import os
import socket
import stat
import struct
import subprocess
import sys
import textwrap
import threading
import zipfile
from pathlib import Path

import pytest

from pipeline.engines.argos import packages as models
from pipeline.errors import ModelError

ROOT = Path(__file__).resolve().parents[1]

PRELUDE = """
import hashlib, json, os, sys
from dataclasses import asdict, is_dataclass
from pathlib import Path
from pipeline.engines.argos import packages as models
from pipeline.errors import PipelineError

ARGS = json.loads(os.environ["TEST_ARGS"])

def plain(value):
    if is_dataclass(value):
        return {key: str(item) if isinstance(item, Path) else item for key, item in asdict(value).items()}
    if isinstance(value, (list, tuple)):
        return [plain(item) for item in value]
    return value

def attempt(call, *args, **kwargs):
    try:
        return {"value": plain(call(*args, **kwargs))}
    except PipelineError as err:
        return {"error": type(err).__name__, "message": str(err)}

def snapshot(folder=None):
    folder = Path(folder or models.packages_dir())
    return sorted(
        [str(path.relative_to(folder)), hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else "dir"]
        for path in folder.rglob("*")
    )

result = {}
"""


def run_scenario(tmp_path: Path, script: str, *, args=None, env=None, models_dir: bool = True) -> dict:
    """Run *script* (after PRELUDE) in a fresh interpreter whose homes lie in *tmp_path*; return its ``result``."""
    clean = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("ARGOS_", "XDG_")) and key.lower() not in ("http_proxy", "https_proxy", "all_proxy")
    }
    clean.update(
        HOME=str(tmp_path / "home"),
        XDG_DATA_HOME=str(tmp_path / "data"),
        XDG_CONFIG_HOME=str(tmp_path / "config"),
        XDG_CACHE_HOME=str(tmp_path / "cache"),
        # Never the public index, whatever a scenario forgets to set.
        ARGOS_PACKAGE_INDEX="http://127.0.0.1:1/",
        PYTHONPATH=str(ROOT),
        TEST_ARGS=json.dumps(args or {}),
    )
    if models_dir:
        clean["ARGOS_PACKAGES_DIR"] = str(tmp_path / "models")
    clean.update(env or {})
    code = PRELUDE + textwrap.dedent(script) + "\nprint('RESULT ' + json.dumps(result))\n"
    proc = subprocess.run(
        [sys.executable, "-c", code], env=clean, cwd=tmp_path, capture_output=True, text=True, timeout=120
    )
    assert proc.returncode == 0, proc.stderr
    lines = [line for line in proc.stdout.splitlines() if line.startswith("RESULT ")]
    assert lines, proc.stdout + proc.stderr
    found = json.loads(lines[-1][len("RESULT ") :])
    found["_stderr"] = proc.stderr
    return found


# --- archives ----------------------------------------------------------------


def package_members(from_code: str = "en", to_code: str = "uk", *, version: str = "1.0", top: str | None = None) -> dict:
    """The members of a minimal package: name -> bytes, or None for a folder."""
    top = top or f"translate-{from_code}_{to_code}-{version.replace('.', '_')}"
    metadata = {
        "package_version": version,
        "argos_version": "1.9",
        "from_code": from_code,
        "from_name": from_code.upper(),
        "to_code": to_code,
        "to_name": to_code.upper(),
    }
    return {
        f"{top}/": None,
        f"{top}/metadata.json": json.dumps(metadata).encode(),
        f"{top}/model/": None,
        f"{top}/model/model.bin": bytes(range(256)) * 8,
        f"{top}/sentencepiece.model": b"sentencepiece is not loaded at install time",
    }


def write_archive(path: Path, members: dict) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            if data is None:
                archive.mkdir(name.rstrip("/"))
            elif isinstance(data, zipfile.ZipInfo):
                archive.writestr(data, b"../../etc/passwd")
            else:
                archive.writestr(name, data)
    return path


def without(members: dict, fragment: str) -> dict:
    return {name: data for name, data in members.items() if fragment not in name}


def symlink_member(name: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name)
    info.external_attr = (stat.S_IFLNK | 0o777) << 16
    return info


def patch_headers(path: Path, member: str, *, file_size: int | None = None, encrypted: bool = False) -> Path:
    """Rewrite *member*'s local and central headers: declared size and/or the encryption flag."""
    data = bytearray(path.read_bytes())
    encoded = member.encode()
    # (signature, offset of the flag bits, offset of the uncompressed size, offset of the name length, header size)
    for signature, flags_at, size_at, name_len_at, header in ((b"PK\x03\x04", 6, 22, 26, 30), (b"PK\x01\x02", 8, 24, 28, 46)):
        start = data.find(signature)
        while start != -1:
            (name_len,) = struct.unpack_from("<H", data, start + name_len_at)
            if data[start + header : start + header + name_len] == encoded:
                if file_size is not None:
                    struct.pack_into("<I", data, start + size_at, file_size)
                if encrypted:
                    data[start + flags_at] |= 0x1
            start = data.find(signature, start + 4)
    path.write_bytes(bytes(data))
    return path


GOOD = package_members()
TOP = "translate-en_uk-1_0"


def bad_archives(folder: Path) -> dict[str, Path]:
    """One archive per way a package can be refused, each named for the fault."""
    folder.mkdir(parents=True, exist_ok=True)
    not_a_zip = folder / "not_a_zip.argosmodel"
    not_a_zip.write_text("<html>404 Not Found</html>")
    return {
        "not_a_zip": not_a_zip,
        "traversal": write_archive(folder / "traversal.argosmodel", {**GOOD, f"{TOP}/../../evil": b"x"}),
        "dotdot_top": write_archive(folder / "dotdot_top.argosmodel", {**GOOD, "../evil": b"x"}),
        "absolute": write_archive(folder / "absolute.argosmodel", {**GOOD, "/tmp/evil": b"x"}),
        "backslash": write_archive(folder / "backslash.argosmodel", {**GOOD, f"{TOP}\\..\\..\\evil": b"x"}),
        "symlink": write_archive(folder / "symlink.argosmodel", {**GOOD, f"{TOP}/link": symlink_member(f"{TOP}/link")}),
        "two_top_folders": write_archive(folder / "two_top_folders.argosmodel", {**GOOD, "other/": None, "other/x": b"x"}),
        "top_level_file": write_archive(folder / "top_level_file.argosmodel", {**GOOD, "README.md": b"x"}),
        "no_metadata": write_archive(folder / "no_metadata.argosmodel", without(GOOD, "metadata.json")),
        "bad_metadata": write_archive(folder / "bad_metadata.argosmodel", {**GOOD, f"{TOP}/metadata.json": b"{not json"}),
        "no_codes": write_archive(folder / "no_codes.argosmodel", {**GOOD, f"{TOP}/metadata.json": b'{"from_code": "en"}'}),
        "no_model": write_archive(folder / "no_model.argosmodel", without(GOOD, "/model")),
        "no_tokenizer": write_archive(folder / "no_tokenizer.argosmodel", without(GOOD, "sentencepiece")),
        "declares_3_gib": patch_headers(
            write_archive(folder / "declares_3_gib.argosmodel", GOOD), f"{TOP}/model/model.bin", file_size=3 * 1024**3
        ),
        "crc_mismatch": patch_headers(
            write_archive(folder / "crc_mismatch.argosmodel", GOOD), f"{TOP}/model/model.bin", file_size=100
        ),
        "encrypted": patch_headers(write_archive(folder / "encrypted.argosmodel", GOOD), f"{TOP}/model/model.bin", encrypted=True),
    }


EXPECTED_PROBLEM = {
    "not_a_zip": "not a zip",
    "traversal": "climbs out",
    "dotdot_top": "climbs out",
    "absolute": "absolute path",
    "backslash": "climbs out",
    "symlink": "symbolic link",
    "two_top_folders": "exactly one top-level folder",
    "top_level_file": "outside the package folder",
    "no_metadata": "metadata.json is missing",
    "bad_metadata": "not valid JSON",
    "no_codes": "'to_code'",
    "no_model": "model/ is missing",
    "no_tokenizer": "no tokenizer",
    "declares_3_gib": "zip bomb",
    "crc_mismatch": "model.bin",
    "encrypted": "encrypted",
}


# --- validate_archive: pure zipfile work, so in this process -----------------


def test_importing_models_loads_no_heavy_library(tmp_path):
    found = run_scenario(
        tmp_path,
        "result['loaded'] = sorted(m for m in ('argostranslate', 'ctranslate2', 'torch', 'stanza') if m in sys.modules)",
    )
    assert found["loaded"] == []
    assert not (tmp_path / "config").exists(), "argostranslate.settings ran at import"


def test_validate_archive_returns_the_metadata(tmp_path):
    metadata = models.validate_archive(write_archive(tmp_path / "good.argosmodel", GOOD))
    assert (metadata["from_code"], metadata["to_code"], metadata["package_version"]) == ("en", "uk", "1.0")


@pytest.mark.parametrize("fault", sorted(EXPECTED_PROBLEM))
def test_validate_archive_refuses(tmp_path, fault):
    archive = bad_archives(tmp_path)[fault]
    with pytest.raises(ModelError) as caught:
        models.validate_archive(archive)
    message = str(caught.value)
    assert str(archive) in message
    assert EXPECTED_PROBLEM[fault] in message


def test_validate_archive_refuses_a_zip_bomb_over_the_limit(tmp_path):
    bomb = write_archive(tmp_path / "bomb.argosmodel", {**GOOD, f"{TOP}/model/model.bin": bytes(1024**2)})
    assert bomb.stat().st_size < 64 * 1024
    with pytest.raises(ModelError, match="zip bomb"):
        models.validate_archive(bomb, max_uncompressed_bytes=64 * 1024)
    assert models.validate_archive(bomb)["to_code"] == "uk"


def test_validate_archive_refuses_a_missing_file(tmp_path):
    with pytest.raises(ModelError, match="no such package file"):
        models.validate_archive(tmp_path / "absent.argosmodel")


def test_bpe_tokenizer_is_accepted(tmp_path):
    members = {name.replace("sentencepiece.model", "bpe.model"): data for name, data in GOOD.items()}
    assert models.validate_archive(write_archive(tmp_path / "bpe.argosmodel", members))["from_code"] == "en"


# --- installing from files -----------------------------------------------------

FILE_SCENARIO = """
archives = {name: Path(path) for name, path in ARGS["archives"].items()}
folder = models.packages_dir()
result["empty"] = attempt(models.installed_packages)
result["install"] = attempt(models.install_file, archives["good"])
result["listed"] = attempt(models.installed_packages)
before = snapshot()
refusals = {}
for name in ARGS["refused"]:
    refusals[name] = attempt(models.install_file, archives[name])
    refusals[name]["unchanged"] = snapshot() == before
refusals["zip_bomb"] = attempt(models.validate_archive, archives["bomb"], max_uncompressed_bytes=64 * 1024)
refusals["zip_bomb"]["unchanged"] = snapshot() == before
result["refusals"] = refusals
result["replace"] = attempt(models.install_file, archives["same_pair"], replace=True)
result["after_replace"] = attempt(models.installed_packages)
result["beside_models"] = sorted(os.listdir(folder.parent))
result["remove"] = attempt(models.remove, "en", "uk")
result["after_remove"] = attempt(models.installed_packages)
result["folder_after_remove"] = sorted(os.listdir(folder))
result["remove_again"] = attempt(models.remove, "en", "uk")
"""


@pytest.fixture(scope="module")
def file_scenario(tmp_path_factory):
    tmp_path = tmp_path_factory.mktemp("file_scenario")
    archives = bad_archives(tmp_path / "archives")
    archives["good"] = write_archive(tmp_path / "archives" / "good.argosmodel", GOOD)
    # Another pair in a folder of the same name: extracting would merge the two packages.
    archives["same_name"] = write_archive(tmp_path / "archives" / "same_name.argosmodel", package_members("en", "pl", top=TOP))
    archives["same_pair"] = write_archive(tmp_path / "archives" / "same_pair.argosmodel", package_members(version="2.0"))
    archives["bomb"] = write_archive(tmp_path / "archives" / "bomb.argosmodel", {**GOOD, f"{TOP}/model/model.bin": bytes(1024**2)})
    # A file and a folder of the same name pass validation but break extraction half-way.
    archives["breaks_mid_extraction"] = write_archive(
        tmp_path / "archives" / "breaks_mid_extraction.argosmodel",
        {**package_members("en", "pl"), "translate-en_pl-1_0/clash": b"x", "translate-en_pl-1_0/clash/inner": b"y"},
    )
    refused = [*EXPECTED_PROBLEM, "same_name", "same_pair", "breaks_mid_extraction"]
    found = run_scenario(
        tmp_path,
        FILE_SCENARIO,
        args={"archives": {name: str(path) for name, path in archives.items()}, "refused": refused},
    )
    found["models_dir"] = tmp_path / "models"
    return found


def test_install_file_lists_the_package_with_version_and_size(file_scenario):
    assert file_scenario["empty"] == {"value": []}
    installed = file_scenario["install"]["value"]
    assert installed["name"] == TOP
    assert installed == file_scenario["listed"]["value"][0]
    assert (installed["from_code"], installed["to_code"], installed["version"]) == ("en", "uk", "1.0")
    assert installed["path"] == str(file_scenario["models_dir"] / TOP)
    assert installed["size_bytes"] == sum(len(data) for data in GOOD.values() if data)


@pytest.mark.parametrize("fault", [*sorted(EXPECTED_PROBLEM), "zip_bomb", "same_name", "same_pair", "breaks_mid_extraction"])
def test_install_file_refusal_leaves_the_models_folder_unchanged(file_scenario, fault):
    refusal = file_scenario["refusals"][fault]
    assert refusal.get("error") == "ModelError", refusal
    assert refusal["unchanged"]
    expected = {
        "zip_bomb": "zip bomb",
        "same_name": f"its folder {TOP} is already installed, for en → uk",
        "same_pair": f"en → uk is already installed as {TOP}; remove it first or install again with --replace",
        "breaks_mid_extraction": "nothing was installed",
    }.get(fault) or EXPECTED_PROBLEM[fault]
    assert expected in refusal["message"]


def test_install_file_replace_swaps_the_package(file_scenario):
    replaced = file_scenario["replace"]["value"]
    assert (replaced["version"], replaced["name"]) == ("2.0", "translate-en_uk-2_0")
    assert file_scenario["after_replace"]["value"] == [replaced]
    assert not [name for name in file_scenario["beside_models"] if ".replaced-" in name], "the old package was left aside"


def test_remove_uninstalls_then_says_nothing_is_left(file_scenario):
    assert file_scenario["remove"]["value"]["version"] == "2.0"
    assert file_scenario["after_remove"] == {"value": []}
    assert file_scenario["folder_after_remove"] == []
    again = file_scenario["remove_again"]
    assert again["error"] == "MissingModelError"
    assert "en → uk" in again["message"]


def test_stray_folder_is_named_instead_of_a_traceback(tmp_path):
    stray = tmp_path / "models" / "half-extracted"
    (stray / "model").mkdir(parents=True)
    found = run_scenario(
        tmp_path,
        """
result["listed"] = attempt(models.installed_packages)
result["route"] = attempt(models.find_route, "en", "uk")
""",
    )
    for outcome in (found["listed"], found["route"]):
        assert outcome["error"] == "ModelError"
        assert str(stray) in outcome["message"]
        assert "no metadata.json" in outcome["message"]


def test_configure_points_argostranslate_at_a_project_models_folder(tmp_path):
    found = run_scenario(
        tmp_path,
        """
models.configure(models_dir=Path("project-models"))
result["folder"] = str(models.packages_dir())
result["listed"] = attempt(models.installed_packages)
result["same_again"] = attempt(models.configure, models_dir=Path("project-models"))
result["created_by_listing"] = sorted(str(p.relative_to(Path.cwd())) for p in Path.cwd().rglob("*"))
models.import_argostranslate()  # anything that uses a model imports argostranslate
result["too_late"] = attempt(models.configure, models_dir=Path("elsewhere"))
""",
        models_dir=False,
    )
    assert found["folder"] == str((tmp_path / "project-models").resolve())
    assert found["created_by_listing"] == [], "listing packages must create nothing (no home, no models folder)"
    assert (tmp_path / "project-models").is_dir()  # created by argostranslate's import, once a model is used
    assert found["listed"] == {"value": []}
    assert found["same_again"] == {"value": None}
    assert found["too_late"]["error"] == "ModelError"
    assert "before anything uses a model" in found["too_late"]["message"]


def test_configure_moves_only_the_homes_the_user_left_unset(tmp_path):
    (tmp_path / "home" / ".config" / "argos-translate").mkdir(parents=True)  # the user's own settings folder
    found = run_scenario(
        tmp_path,
        """
del os.environ["XDG_CONFIG_HOME"], os.environ["XDG_CACHE_HOME"]  # XDG_DATA_HOME stays the user's
models.configure(models_dir=Path("project-models"))
_, settings = models.import_argostranslate()
result["dirs"] = [str(settings.data_dir), str(settings.config_dir), str(settings.cache_dir)]
result["XDG_CONFIG_HOME"] = os.environ.get("XDG_CONFIG_HOME")
""",
        models_dir=False,
    )
    beside = tmp_path / ".project-models.argos-translate"
    assert found["dirs"] == [
        str(tmp_path / "data" / "argos-translate"),
        str(tmp_path / "home" / ".config" / "argos-translate"),
        str(beside / "argos-translate"),
    ]
    assert found["XDG_CONFIG_HOME"] is None


def test_find_route_goes_through_english(tmp_path):
    archives = {
        "en_de": write_archive(tmp_path / "en_de.argosmodel", package_members("en", "de")),
        "uk_en": write_archive(tmp_path / "uk_en.argosmodel", package_members("uk", "en")),
    }
    found = run_scenario(
        tmp_path,
        """
result["none"] = attempt(models.find_route, "uk", "de")
for path in ARGS.values():
    models.install_file(Path(path))
result["pivot"] = attempt(models.find_route, "uk", "de")
result["direct"] = attempt(models.find_route, "uk", "en")
result["pivot_pairs"] = attempt(models.pivot_pairs)
result["missing"] = attempt(models.find_route, "de", "uk")
""",
        args={name: str(path) for name, path in archives.items()},
    )
    assert found["none"]["error"] == "MissingModelError"
    assert "`pipeline models install uk de`" in found["none"]["message"]
    assert [(p["from_code"], p["to_code"]) for p in found["pivot"]["value"]] == [("uk", "en"), ("en", "de")]
    assert [(p["from_code"], p["to_code"]) for p in found["direct"]["value"]] == [("uk", "en")]
    assert found["pivot_pairs"]["value"] == [["uk", "de"]]
    assert found["missing"]["error"] == "MissingModelError"
    assert "`pipeline models install de uk`" in found["missing"]["message"]


# --- installing from a package index ------------------------------------------


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def package_index(tmp_path_factory):
    """An index on 127.0.0.1 offering en→uk, uk→en, en→de, an invalid en→pl and an unreachable en→es."""
    served = tmp_path_factory.mktemp("index")
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(QuietHandler, directory=str(served)))
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    entries = []
    for from_code, to_code in (("en", "uk"), ("uk", "en"), ("en", "de"), ("en", "pl"), ("en", "es")):
        members = package_members(from_code, to_code)
        file_name = f"{from_code}_{to_code}.argosmodel"
        if (from_code, to_code) == ("en", "pl"):
            members = {**members, "../evil": b"x"}
        if (from_code, to_code) != ("en", "es"):
            write_archive(served / file_name, members)
        metadata = json.loads(members[f"translate-{from_code}_{to_code}-1_0/metadata.json"])
        entries.append({**metadata, "type": "translate", "links": [base + file_name]})
    (served / "index.json").write_text(json.dumps(entries))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield base
    server.shutdown()
    server.server_close()


def test_install_from_index_end_to_end(tmp_path, package_index):
    found = run_scenario(
        tmp_path,
        """
from argostranslate import settings
result["direct"] = attempt(models.install_from_index, "en", "uk")
result["downloads_left"] = sorted(os.listdir(settings.downloads_dir))
result["again"] = attempt(models.install_from_index, "en", "uk")
models.configure(index_url=ARGS["index_file"])
result["pivot"] = attempt(models.install_from_index, "uk", "de")
result["route"] = attempt(models.find_route, "uk", "de")
before = snapshot()
result["absent"] = attempt(models.install_from_index, "en", "fr")
result["invalid"] = attempt(models.install_from_index, "en", "pl")
result["unreachable_file"] = attempt(models.install_from_index, "en", "es")
result["unchanged"] = snapshot() == before
result["downloads_after"] = sorted(os.listdir(settings.downloads_dir))
result["listed"] = attempt(models.installed_packages)
""",
        args={"index_file": package_index + "index.json"},
        env={"ARGOS_PACKAGE_INDEX": package_index},
    )
    installed = found["direct"]["value"]
    assert [(p["from_code"], p["to_code"], p["version"]) for p in installed] == [("en", "uk", "1.0")]
    assert found["downloads_left"] == []
    assert found["again"]["error"] == "ModelError" and "--replace" in found["again"]["message"]
    assert [(p["from_code"], p["to_code"]) for p in found["pivot"]["value"]] == [("uk", "en"), ("en", "de")]
    assert found["route"]["value"] == found["pivot"]["value"]
    assert found["absent"]["error"] == "ModelError"
    assert "no en → fr package" in found["absent"]["message"]
    assert "en→uk" in found["absent"]["message"] and "uk→en" in found["absent"]["message"]
    assert found["invalid"]["error"] == "ModelError" and "climbs out" in found["invalid"]["message"]
    assert found["unreachable_file"]["error"] == "ModelError"
    assert "Cannot download the en → es package" in found["unreachable_file"]["message"]
    assert found["unchanged"]
    assert found["downloads_after"] == []
    assert [(p["from_code"], p["to_code"]) for p in found["listed"]["value"]] == [("en", "de"), ("en", "uk"), ("uk", "en")]
    assert found["_stderr"] == ""


def test_silent_index_times_out_instead_of_hanging(tmp_path):
    # A socket that listens but never answers: argostranslate's urlopen has no timeout of its own.
    with socket.create_server(("127.0.0.1", 0)) as silent:
        found = run_scenario(
            tmp_path,
            """
import time
from pipeline.engines.argos import index
index.NETWORK_TIMEOUT_S = 0.5
started = time.monotonic()
result["silent"] = attempt(models.install_from_index, "en", "uk")
result["seconds"] = time.monotonic() - started
result["default_timeout"] = __import__("socket").getdefaulttimeout()
""",
            env={"ARGOS_PACKAGE_INDEX": f"http://127.0.0.1:{silent.getsockname()[1]}/"},
        )
    assert found["silent"]["error"] == "ModelError" and "offline" in found["silent"]["message"]
    assert found["seconds"] < 10
    assert found["default_timeout"] is None


def test_unreachable_index_says_to_install_from_a_file(tmp_path):
    cached_index = tmp_path / "data" / "argos-translate" / "index.json"
    cached_index.parent.mkdir(parents=True)
    cached_index.write_text("[]")
    found = run_scenario(
        tmp_path,
        """
before = snapshot()
result["offline"] = attempt(models.install_from_index, "en", "uk")
result["unchanged"] = snapshot() == before
""",
        env={"ARGOS_PACKAGE_INDEX": "http://127.0.0.1:1/index.json"},
    )
    offline = found["offline"]
    assert offline["error"] == "ModelError"
    assert "http://127.0.0.1:1/index.json" in offline["message"]
    assert "offline" in offline["message"]
    assert "`pipeline models install FILE.argosmodel`" in offline["message"]
    assert found["unchanged"]
    assert cached_index.read_text() == "[]", "the previous local copy of the index was lost"
    assert found["_stderr"] == "", "argostranslate's log reached stderr"
