"""tests/support/testmodels.py: genuine, deterministic, offline Argos Translate packages (test code, not shipped)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
import zipfile
from pathlib import Path

import pytest

from support import testmodels
from support.testmodels import build_package, main

TOP = "translate-en_uk-1_0"


@pytest.fixture(scope="module")
def tiny(tmp_path_factory) -> Path:
    # Never let "stanza" into the path: argostranslate would pick Stanza.
    return build_package(tmp_path_factory.mktemp("pkg"), from_code="en", to_code="uk", size="tiny", seed=0)


@pytest.fixture(scope="module")
def extracted(tiny, tmp_path_factory) -> Path:
    dest = tmp_path_factory.mktemp("extracted")
    with zipfile.ZipFile(tiny) as zf:
        zf.extractall(dest)
    return dest / TOP


def test_layout_and_metadata(tiny):
    assert tiny.name == f"{TOP}.argosmodel"
    with zipfile.ZipFile(tiny) as zf:
        names = zf.namelist()
        assert {n.split("/")[0] for n in names} == {TOP}
        for required in ("metadata.json", "sentencepiece.model", "model/model.bin", "model/config.json",
                         "model/shared_vocabulary.json", "minisbd/en.onnx"):
            assert f"{TOP}/{required}" in names
        meta = json.loads(zf.read(f"{TOP}/metadata.json"))
    assert meta["type"] == "translate"
    assert (meta["from_code"], meta["to_code"]) == ("en", "uk")
    assert (meta["from_name"], meta["to_name"]) == ("English", "Ukrainian")
    assert meta["package_version"] == "1.0"
    assert "target_prefix" not in meta


def test_same_seed_same_bytes_other_seed_differs(tiny, tmp_path):
    again = build_package(tmp_path / "a", from_code="en", to_code="uk", size="tiny", seed=0)
    assert again.read_bytes() == tiny.read_bytes()
    other = build_package(tmp_path / "b", from_code="en", to_code="uk", size="tiny", seed=1)
    assert other.read_bytes() != tiny.read_bytes()


def test_vocabulary_is_the_sentencepiece_model(extracted):
    import sentencepiece as spm

    sp = spm.SentencePieceProcessor(model_file=str(extracted / "sentencepiece.model"))
    vocab = json.loads((extracted / "model" / "shared_vocabulary.json").read_text(encoding="utf-8"))
    assert vocab == [sp.id_to_piece(i) for i in range(sp.get_piece_size())]
    assert vocab[:3] == ["<unk>", "<s>", "</s>"]
    assert 500 <= len(vocab) <= 1000
    config = json.loads((extracted / "model" / "config.json").read_text())
    assert (config["bos_token"], config["eos_token"], config["decoder_start_token"]) == ("<s>", "</s>", "<s>")


def test_output_length_follows_source_length(extracted):
    import ctranslate2
    import sentencepiece as spm

    sp = spm.SentencePieceProcessor(model_file=str(extracted / "sentencepiece.model"))
    translator = ctranslate2.Translator(str(extracted / "model"), intra_threads=1)
    sentences = [
        "Hello.",
        "The city council approved the new budget on Tuesday after a long debate.",
        "Officials said the bridge would reopen to traffic next month, while the minister said nothing.",
        "A " * 40 + "end.",
    ]
    tokens = [sp.encode(s, out_type=str) for s in sentences]
    for beam in (1, 4):
        results = translator.translate_batch(tokens, beam_size=beam, length_penalty=0.2, replace_unknowns=True)
        for src, res in zip(tokens, results):
            out = res.hypotheses[0]
            assert len(src) <= len(out) <= len(src) + 2, (len(src), len(out))
            assert "<unk>" not in out and "</s>" not in out


def test_minisbd_rule(extracted):
    from minisbd import SBDetect

    detector = SBDetect(str(extracted / "minisbd" / "en.onnx"), use_gpu=False)
    assert detector.sentences("Hello world. Is it 3.14? Yes... It is!  Really") == [
        "Hello world.", "Is it 3.14?", "Yes...", "It is!", "Really"]
    assert detector.sentences("No end mark") == ["No end mark"]
    assert detector.sentences("") == []


_ARGOS_SCRIPT = textwrap.dedent(
    """
    import json, socket, sys, urllib.request
    from pathlib import Path

    attempts = []
    def refuse(*args, **kwargs):
        attempts.append(repr(args[:2]))
        raise OSError("network disabled in this test")
    socket.socket.connect = refuse
    socket.create_connection = refuse
    urllib.request.urlopen = refuse
    urllib.request.urlretrieve = refuse

    import argostranslate.package as package
    import argostranslate.settings as settings
    import argostranslate.translate as translate

    package.install_from_path(Path(sys.argv[1]))
    installed = package.get_installed_packages()
    result = {
        "packages_dir": str(settings.package_data_dir),
        "installed": [(p.from_code, p.to_code, p.package_version, p.type) for p in installed],
        "sbd": str(installed[0].packaged_sbd_path),
    }
    result["translation"] = translate.translate("Hello world. The bridge reopens next month.", "en", "uk")
    tr = translate.get_translation_from_codes("en", "uk")
    result["sentencizer"] = type(tr.underlying.sentencizer).__name__
    result["split"] = tr.underlying.sentencizer.split_sentences("Hello world. The bridge reopens next month.")
    result["hypotheses"] = [h.value for h in tr.hypotheses("Short text.", num_hypotheses=2)]
    result["minisbd_cache_exists"] = (settings.data_dir / "minisbd").exists()
    result["attempts"] = attempts
    print(json.dumps(result))
    """
)


def test_argostranslate_installs_and_translates_offline(tiny, tmp_path):
    home = tmp_path / "home"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ARGOS_", "XDG_"))}
    env.update(
        HOME=str(home),
        XDG_DATA_HOME=str(home / "data"),
        XDG_CONFIG_HOME=str(home / "config"),
        XDG_CACHE_HOME=str(home / "cache"),
        ARGOS_PACKAGES_DIR=str(home / "packages"),
        ARGOS_DEVICE_TYPE="cpu",
        ARGOS_INTRA_THREADS="1",
        PYTHONPATH=os.pathsep.join(filter(None, [str(Path(__file__).resolve().parents[1]), env.get("PYTHONPATH")])),
    )
    proc = subprocess.run([sys.executable, "-c", _ARGOS_SCRIPT, str(tiny)], env=env, capture_output=True,
                          text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr[-3000:]
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    assert result["packages_dir"] == str(home / "packages")
    assert result["installed"] == [["en", "uk", "1.0", "translate"]]
    assert result["sbd"].endswith(f"{TOP}/minisbd")
    assert result["sentencizer"] == "MiniSBDSentencizer"
    assert result["split"] == ["Hello world.", "The bridge reopens next month."]
    assert isinstance(result["translation"], str) and result["translation"].strip()
    assert result["translation"] != "Hello world. The bridge reopens next month."
    assert len(result["hypotheses"]) == 2 and all(h.strip() for h in result["hypotheses"])
    assert result["attempts"] == []
    assert result["minisbd_cache_exists"] is False
    assert (home / "packages" / TOP / "minisbd" / "en.onnx").is_file()


def test_cli_prints_the_path(tiny, tmp_path, capsys):
    assert main(["--size", "tiny", "--from", "en", "--to", "uk", "--out", str(tmp_path)]) == 0
    printed = Path(capsys.readouterr().out.strip())
    assert printed == tmp_path / f"{TOP}.argosmodel"
    assert printed.read_bytes() == tiny.read_bytes()


def test_bad_arguments(tmp_path):
    with pytest.raises(ValueError):
        build_package(tmp_path, size="huge")
    with pytest.raises(ValueError):
        build_package(tmp_path, from_code="../x")
    with pytest.raises(ValueError):
        build_package(tmp_path, quantization="int3")
    assert list(tmp_path.iterdir()) == []


def test_import_is_light():
    code = "import sys, support.testmodels; print(sorted(m for m in ('numpy', 'ctranslate2', 'sentencepiece') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         cwd=Path(__file__).resolve().parent).stdout
    assert out.strip() == "[]"
    assert set(testmodels.SIZES) == {"tiny", "base"}


def test_the_installed_package_holds_no_test_code():
    """What pyproject ships (`pipeline*` packages) contains neither testmodels nor its protobuf encoder."""
    import tomllib

    from setuptools import find_packages

    root = Path(__file__).resolve().parents[1]
    include = tomllib.loads((root / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"]["find"]["include"]
    shipped = find_packages(where=str(root), include=include)
    assert "pipeline" in shipped and not [name for name in shipped if name.split(".")[0] in ("tests", "support", "bench")]
    files = [path for name in shipped for path in (root / name.replace(".", "/")).iterdir() if path.is_file()]
    assert len(files) > 30  # the whole package was looked at
    assert not [path for path in files if path.stem == "testmodels"]
    for path in files:
        if path.suffix == ".py":
            text = path.read_text(encoding="utf-8")
            for marker in ("testmodels", "_pb_varint", "SentencePieceTrainer"):
                assert marker not in text, f"{path.relative_to(root)} mentions {marker}"


def test_runs_as_a_script_from_the_tests_folder(tmp_path):
    script = Path(__file__).resolve().parent / "support" / "testmodels.py"
    done = subprocess.run(
        [sys.executable, str(script), "--size", "tiny", "--from", "en", "--to", "de", "--out", str(tmp_path)],
        capture_output=True, text=True, timeout=300,
    )
    assert done.returncode == 0, done.stderr
    assert Path(done.stdout.strip()) == tmp_path / "translate-en_de-1_0.argosmodel"
    assert zipfile.is_zipfile(tmp_path / "translate-en_de-1_0.argosmodel")
