"""The engine seam: engines registered from outside the package, their options, what their output is."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from typer.testing import CliRunner

from pipeline import engines
from pipeline.cli import app
from pipeline.errors import ConfigError, EngineError
from pipeline.gettext.provenance import MT_MARK
from pipeline.settings import Settings, load_settings

from conftest import ROOT, SESSION_HOME

runner = CliRunner()


def invoke(*args):
    return runner.invoke(app, list(args), catch_exceptions=False)


class TinyEngine:
    """Reverses each sentence's words: not a real translation, but a real engine to the pipeline."""

    name = "tiny"

    def __init__(self, *, prefix: str = "~"):  # no **options: any option it did not declare would be a TypeError
        self.prefix = prefix

    def provenance(self, source, target):
        return f"tiny word-reverser ({source}→{target})"

    def translate_batch(self, sentences, *, source, target, progress=None):
        done = [self.prefix + " ".join(reversed(s.split())) for s in sentences]
        if progress:
            progress(len(done))
        return done


class TinyQAEngine(TinyEngine):
    name = "tinyqa"

    def provenance(self, source, target):
        return f"tiny QA stand-in ({source}→{target})"


@pytest.fixture
def tiny():
    """`--engine tiny` (translates) and `--engine tinyqa` (stands in), registered for one test."""
    engines.register_engine("tiny", TinyEngine, produces_translations=True, options=("prefix",))
    engines.register_engine("tinyqa", produces_translations=False)(TinyQAEngine)  # the decorator form
    yield
    engines.unregister_engine("tiny")
    engines.unregister_engine("tinyqa")


def _catalogue(project, lang="uk", domain="article"):
    return polib.pofile(str(project / f"locale/{lang}/LC_MESSAGES/{domain}.po"))


def _fresh_catalogues(project):
    assert invoke("extract").exit_code == 0
    assert invoke("update", "--lang", "uk").exit_code == 0


def test_a_registered_engine_fills_catalogues_as_fuzzy_suggestions_with_provenance(empty_project, tiny):
    _fresh_catalogues(empty_project)
    result = invoke("translate", "--engine", "tiny", "--lang", "uk")
    assert result.exit_code == 0, result.output
    assert "filled by tiny (fuzzy)" in result.output
    po = _catalogue(empty_project)
    filled = [e for e in po if e.msgid and not e.obsolete]
    assert filled
    for entry in filled:
        assert entry.fuzzy
        assert entry.msgstr.startswith("~") and entry.msgstr != entry.msgid
        assert MT_MARK + "tiny word-reverser (en→uk)" in entry.tcomment.splitlines()


def test_an_engine_gets_its_own_options_from_pyproject_and_nothing_else(empty_project, tiny):
    pyproject = empty_project / "pyproject.toml"
    pyproject.write_text(pyproject.read_text() + '\n[tool.pipeline.engines.tiny]\nprefix = "» "\n')
    settings = load_settings()
    assert settings.engine_options("tiny") == {"prefix": "» "}
    assert "prefix" not in settings.engine_options("argos") and "device" not in settings.engine_options("tiny")
    _fresh_catalogues(empty_project)
    # --device is an Argos option: TinyEngine would raise TypeError if it were passed on.
    result = invoke("translate", "--engine", "tiny", "--lang", "uk", "--device", "cpu", "--threads", "2")
    assert result.exit_code == 0, result.output
    assert all(e.msgstr.startswith("» ") for e in _catalogue(empty_project) if e.msgid)


def test_get_engine_passes_only_declared_options_that_are_set(tiny):
    engine = engines.get_engine("tiny", prefix="+", device="cuda", beam_size=1, models_dir=None)
    assert engine.prefix == "+"
    assert engines.get_engine("tiny", prefix=None).prefix == "~"  # None means unset: the engine's default


def test_output_that_is_not_a_translation_is_marked_and_then_replaced(empty_project, tiny):
    _fresh_catalogues(empty_project)
    assert invoke("translate", "--engine", "tinyqa", "--lang", "uk").exit_code == 0
    stand_in = [e for e in _catalogue(empty_project) if e.msgid]
    assert all(MT_MARK + "tiny QA stand-in (en→uk)" + engines.NOT_A_TRANSLATION in e.tcomment for e in stand_in)
    assert not engines.produces_translations("tinyqa") and engines.produces_translations("tiny")
    # A translating engine replaces stand-ins without --refresh-mt; another stand-in does not.
    again = invoke("translate", "--engine", "tinyqa", "--lang", "uk")
    assert again.exit_code == 0 and "filled by" not in again.output
    assert invoke("translate", "--engine", "tiny", "--lang", "uk").exit_code == 0
    replaced = [e for e in _catalogue(empty_project) if e.msgid]
    assert all("tiny word-reverser" in e.tcomment and engines.NOT_A_TRANSLATION not in e.tcomment for e in replaced)


def test_registry_refuses_a_second_name_and_forgets_an_unregistered_one(empty_project):
    with pytest.raises(ValueError, match="registered twice"):
        engines.register_engine("pseudo", TinyEngine, produces_translations=True)
    engines.register_engine("gone", TinyEngine, produces_translations=True)
    assert "gone" in engines.engine_names()
    engines.unregister_engine("gone")
    assert "gone" not in engines.engine_names()
    with pytest.raises(EngineError, match="unknown engine 'gone'; choose one of: argos, pseudo"):
        engines.get_engine("gone")
    result = runner.invoke(app, ["translate", "--engine", "gone"])
    assert result.exit_code == 2 and "'gone' is not one of: argos, pseudo" in result.output


def test_engine_tables_in_pyproject_are_checked(empty_project, tiny):
    pyproject = empty_project / "pyproject.toml"
    original = pyproject.read_text()
    for table, message in (
        ('[tool.pipeline.engines.tiny]\ncolour = "red"\n', "colour: not one of its options; its options: prefix."),
        ('[tool.pipeline.engines.argos]\ndevice = "cuda"\n', "device: set it as [tool.pipeline] device"),
        ('[tool.pipeline.engines.nosuch]\nprefix = "x"\n', "[tool.pipeline.engines.nosuch]: unknown name; known: argos, pseudo, tiny, tinyqa."),
        ("[tool.pipeline.engines]\ntiny = 3\n", "engines must be tables of options"),
    ):
        pyproject.write_text(original + "\n" + table)
        with pytest.raises(ConfigError) as raised:
            load_settings()
        assert message in str(raised.value)


def test_argos_takes_the_shared_settings_and_a_resolved_models_folder(tmp_path):
    settings = Settings(root=tmp_path, models_dir=Path("models"), device="auto", beam_size=1)
    options = settings.engine_options("argos")
    assert options == {"device": "auto", "threads": 0, "beam_size": 1, "models_dir": tmp_path / "models"}
    assert Settings(root=tmp_path, engine="pseudo").engine_options() == {}


ENVIRONMENT_SCRIPT = """
import json, os, sys
from pathlib import Path
before = dict(os.environ)
from pipeline.engines import get_engine
engine = get_engine("argos", models_dir=Path(sys.argv[1]), compute_type="float32")
result = {"constructed": dict(os.environ) == before, "imported": "argostranslate.settings" in sys.modules}
result["translated"] = engine.translate_batch(["One sentence."], source="en", target="uk")[0] != ""
after = dict(os.environ)
for changed in ("KMP_DUPLICATE_LIB_OK",):  # set by argostranslate's own import, not by the engine
    before.pop(changed, None), after.pop(changed, None)
result["used"] = after == before
from argostranslate import settings
result["homes"] = [str(settings.package_data_dir), str(settings.data_dir), str(settings.cache_dir)]
print(json.dumps(result))
"""


def test_an_argos_engine_never_changes_the_environment(tmp_path, argos_packages):
    """Building the engine touches nothing; its first model load imports argostranslate beside models_dir, env restored."""
    models = tmp_path / "models"
    shutil.copytree(SESSION_HOME / "argos-packages" / "translate-en_uk-1_0", models / "translate-en_uk-1_0")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ARGOS_", "XDG_"))}
    env.update(HOME=str(tmp_path / "home"), PYTHONPATH=str(ROOT), ARGOS_PACKAGE_INDEX="http://127.0.0.1:9/")
    done = subprocess.run([sys.executable, "-c", ENVIRONMENT_SCRIPT, str(models)], env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    import json

    result = json.loads(done.stdout.splitlines()[-1])
    assert result["constructed"] and not result["imported"]
    assert result["translated"]
    assert result["used"], "translating changed os.environ"
    beside = tmp_path / ".models.argos-translate"
    assert result["homes"] == [str(models), str(beside / "argos-translate"), str(beside / "argos-translate")]
    assert not (tmp_path / "home").exists(), "argostranslate wrote into the home folder"
