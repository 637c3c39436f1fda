"""Localised bundles: the article rebuilt from the catalogue, credits untouched."""

from __future__ import annotations

import json

import polib

from pipeline import workflow
from pipeline.settings import load_settings

from conftest import SEED


def test_ukrainian_bundle_is_the_catalogue_in_the_article_layout(project):
    settings = load_settings()
    results = workflow.bundle(settings, ["seeds/article.txt"], languages=("uk",)).results
    assert results[0].bundled and results[0].completeness == 100.0
    text = (project / "dist/article/uk/article.txt").read_text(encoding="utf-8")
    po = polib.pofile(str(project / "locale/uk/LC_MESSAGES/article.po"))
    source = SEED.read_text(encoding="utf-8")
    # same layout: same number of lines, blank lines in the same places, no final newline
    assert [bool(line.strip()) for line in text.split("\n")] == [bool(line.strip()) for line in source.split("\n")]
    assert not text.endswith("\n")
    assert text.split("\n")[0] == po[0].msgstr
    for entry in po:
        assert entry.msgstr in text
    assert text.count("(@NGUmainpage/Newsflash)") == source.count("(@NGUmainpage/Newsflash)") == 4
    assert "Heavy Gunfire" not in text


def test_manifest_describes_every_language(project):
    settings = load_settings()
    workflow.bundle(settings, ["seeds/article.txt"], languages=settings.languages)
    manifest = json.loads((project / "dist/article/manifest.json").read_text(encoding="utf-8"))
    assert manifest["source"] == "seeds/article.txt"
    assert len(manifest["source_sha256"]) == 64
    by_code = {entry["code"]: entry for entry in manifest["languages"]}
    assert set(by_code) == {"uk", "pl", "de", "fr", "es"}
    assert by_code["uk"]["native_name"] == "українська" and by_code["de"]["english_name"] == "German"
    assert by_code["uk"]["entries"]["translated"] == 32 and by_code["uk"]["bundled"]
    assert by_code["uk"]["words"]["total"] > 700


def test_incomplete_language_is_not_bundled_and_fuzzy_is_ignored(project):
    path = project / "locale/uk/LC_MESSAGES/article.po"
    po = polib.pofile(str(path))
    for entry in po[:10]:
        entry.flags.append("fuzzy")
    po.save()
    settings = load_settings()
    result = workflow.bundle(settings, ["seeds/article.txt"], languages=("uk",)).results[0]
    assert not result.bundled and result.completeness < 80
    assert not (project / "dist/article/uk").exists()
    result = workflow.bundle(settings, ["seeds/article.txt"], languages=("uk",), use_fuzzy=True).results[0]
    assert result.bundled and result.completeness == 100.0


def test_missing_sentences_fall_back_to_source_and_are_listed(project):
    path = project / "locale/de/LC_MESSAGES/article.po"
    po = polib.pofile(str(path))
    missing = po[5].msgid
    po[5].msgstr = ""
    po.save()
    result = workflow.bundle(load_settings(), ["seeds/article.txt"], languages=("de",)).results[0]
    assert result.bundled and result.fallback == [missing]
    assert missing in (project / "dist/article/de/article.txt").read_text(encoding="utf-8")
    manifest = json.loads((project / "dist/article/manifest.json").read_text(encoding="utf-8"))
    assert manifest["languages"][0]["fallback_to_source"] == [missing]
    structure = json.loads((project / "dist/article/de/article.json").read_text(encoding="utf-8"))
    assert structure["blocks"][6]["caption_credit"] == "(@NGUmainpage/Newsflash)"
