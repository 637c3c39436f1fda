"""Plural rules compared by meaning: the rules as GNU msginit, Babel 2.18 and Babel 2.19 write them.

The formulas are data, copied from each tool's output (gettext 0.21's
`msginit -l LANG`, `babel.messages.plurals.get_plural(LANG).plural_forms`
under Babel 2.18.0 and 2.19.0), so these tests do not depend on which Babel
is installed.
"""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from pipeline.gettext import plurals
from pipeline.cli import app
from pipeline.gettext.languages import language
from pipeline.gettext.plurals import PluralFormsError, agree, parse

MSGINIT_0_21 = {
    "uk": "nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2);",
    "pl": "nplurals=3; plural=(n==1 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2);",
    "ru": "nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2);",
    "cs": "nplurals=3; plural=(n==1) ? 0 : (n>=2 && n<=4) ? 1 : 2;",
    "sl": "nplurals=4; plural=(n%100==1 ? 0 : n%100==2 ? 1 : n%100==3 || n%100==4 ? 2 : 3);",
    "ga": "nplurals=3; plural=n==1 ? 0 : n==2 ? 1 : 2;",
    # msginit 0.21 writes no Plural-Forms for ar.
    "fr": "nplurals=2; plural=(n > 1);",
    "es": "nplurals=2; plural=(n != 1);",
    "pt_BR": "nplurals=2; plural=(n > 1);",
    "ja": "nplurals=1; plural=0;",
}
BABEL_2_18 = {
    "uk": "nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2);",
    "pl": "nplurals=3; plural=(n==1 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2);",
    "ru": "nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2);",
    "cs": "nplurals=3; plural=((n==1) ? 0 : (n>=2 && n<=4) ? 1 : 2);",
    "sl": "nplurals=4; plural=(n%100==1 ? 0 : n%100==2 ? 1 : n%100==3 || n%100==4 ? 2 : 3);",
    "ga": "nplurals=5; plural=(n==1 ? 0 : n==2 ? 1 : n>=3 && n<=6 ? 2 : n>=7 && n<=10 ? 3 : 4);",
    "ar": "nplurals=6; plural=(n==0 ? 0 : n==1 ? 1 : n==2 ? 2 : n%100>=3 && n%100<=10 ? 3 : n%100>=0 && n%100<=2 ? 4 : 5);",
    "fr": "nplurals=2; plural=(n > 1);",
    "es": "nplurals=2; plural=(n != 1);",
    "pt_BR": "nplurals=2; plural=(n > 1);",
    "ja": "nplurals=1; plural=0;",
}
BABEL_2_19 = {
    "uk": "nplurals=3; plural=n % 10 == 1 && n % 100 != 11 ? 0 : n % 10 >= 2 && n % 10 <= 4 && (n % 100 < 12 || n % 100 > 14) ? 1 : 2;",
    "pl": "nplurals=3; plural=n == 1 ? 0 : n % 10 >= 2 && n % 10 <= 4 && (n % 100 < 12 || n % 100 > 14) ? 1 : 2;",
    "ru": "nplurals=3; plural=n % 10 == 1 && n % 100 != 11 ? 0 : n % 10 >= 2 && n % 10 <= 4 && (n % 100 < 12 || n % 100 > 14) ? 1 : 2;",
    "cs": "nplurals=3; plural=(n == 1 ? 0 : n >= 2 && n <= 4 ? 1 : 2);",
    "sl": "nplurals=4; plural=n % 100 == 1 ? 0 : n % 100 == 2 ? 1 : (n % 100 == 3 || n % 100 == 4) ? 2 : 3;",
    "ga": "nplurals=5; plural=(n == 1 ? 0 : n == 2 ? 1 : n >= 3 && n <= 6 ? 2 : n >= 7 && n <= 10 ? 3 : 4);",
    "ar": "nplurals=6; plural=(n == 0 ? 0 : n == 1 ? 1 : n == 2 ? 2 : n % 100 >= 3 && n % 100 <= 10 ? 3 : n % 100 >= 11 && n % 100 <= 99 ? 4 : 5);",
    "fr": "nplurals=3; plural=(n == 0 || n == 1) ? 0 : n != 0 && n % 1000000 == 0 ? 1 : 2;",
    "es": "nplurals=3; plural=(n == 1 ? 0 : n != 0 && n % 1000000 == 0 ? 1 : 2);",
    "pt_BR": "nplurals=3; plural=(n == 0 || n == 1) ? 0 : n != 0 && n % 1000000 == 0 ? 1 : 2;",
    "ja": "nplurals=1; plural=0;",
}

# Which pairs mean the same, as established by reading the rules.
SAME_EVERYWHERE = ["uk", "pl", "ru", "cs", "sl", "ja"]
CLDR_MANY = ["fr", "es", "pt_BR"]  # Babel 2.19 adds CLDR's "many" (1,000,000 ...)


@pytest.mark.parametrize("code", SAME_EVERYWHERE)
def test_rules_written_in_other_words_agree(code):
    rules = [parse(MSGINIT_0_21[code]), parse(BABEL_2_18[code]), parse(BABEL_2_19[code])]
    assert all(agree(rules[0], rule) for rule in rules)
    if code != "ja":
        assert MSGINIT_0_21[code] != BABEL_2_19[code]  # the texts differ, the meaning does not


@pytest.mark.parametrize("code", CLDR_MANY)
def test_cldr_many_is_another_rule_than_gettexts(code):
    gettext, old, new = parse(MSGINIT_0_21[code]), parse(BABEL_2_18[code]), parse(BABEL_2_19[code])
    assert agree(gettext, old) and not agree(gettext, new)
    assert new.nplurals == 3 and new.index(1_000_000) == 1 and new.index(2_000_000) == 1 and new.index(1_000_001) == 2


def test_irish_gettext_has_three_forms_babel_five():
    assert not agree(parse(MSGINIT_0_21["ga"]), parse(BABEL_2_18["ga"]))
    assert agree(parse(BABEL_2_18["ga"]), parse(BABEL_2_19["ga"]))


def test_arabic_changed_meaning_between_babel_releases():
    old, new = parse(BABEL_2_18["ar"]), parse(BABEL_2_19["ar"])
    assert not agree(old, new)
    # n = 100..102: CLDR's "other" (index 5); Babel 2.18 gave form 4.
    assert [old.index(n) for n in (100, 101, 102, 111)] == [4, 4, 4, 5]
    assert [new.index(n) for n in (100, 101, 102, 111)] == [5, 5, 5, 4]


def test_a_difference_only_at_a_large_power_of_ten_is_seen():
    a = parse("nplurals=2; plural=(n != 1);")
    b = parse("nplurals=2; plural=(n != 1 && n != 1000000000000);")
    assert not agree(a, b)


def test_evaluation_follows_c_precedence_and_unsigned_arithmetic():
    rule = parse("nplurals=5; plural=n == 1 ? 0 : n < 5 ? 1 + 0 * 3 : !(n % 10) ? 2 : n - 7 > 100 ? 3 : 4;")
    assert [rule.index(n) for n in (1, 2, 10, 5, 6, 213, 50)] == [0, 1, 2, 3, 3, 3, 2]
    # n - 7 wraps around for n < 7 (C unsigned long), so 5 and 6 take form 3 as in gettext.
    assert parse("nplurals=2; plural=n%2;").index(2**63 + 1) == 1


@pytest.mark.parametrize(
    "value, message",
    [
        ("nplurals=2; plural=(n > 2) ? 2 : 0;", "nplurals is 2"),
        ("nplurals=0; plural=0;", "positive whole number"),
        ("nplurals=-1; plural=0;", "positive whole number"),
        ("nplurals=two; plural=0;", "positive whole number"),
        ("nplurals=2; plural=n/(n-n);", "divides by zero"),
        ("nplurals=2; plural=(n > 1;", "expected ')'"),
        ("nplurals=2; plural=__import__('os');", "plural expression"),
        ("nplurals=2; plural=n ** 2;", "plural expression"),
        ("nplurals=2; plural=;", "empty"),
        ("plural=(n > 1);", "is not of the form"),
        ("nplurals=2; plural=n > 1 ? 1;", "expected ':'"),
    ],
)
def test_invalid_rules_are_refused_with_the_reason(value, message):
    with pytest.raises(PluralFormsError, match=message.replace("(", r"\(").replace(")", r"\)")):
        parse(value)


def test_new_catalogues_get_msginits_rule_whatever_babel_says():
    for code, rule in MSGINIT_0_21.items():
        assert language(code).plural_forms == rule
        assert plurals.gettext_rule(code) == rule
    # No msginit rule: Babel's (whichever release is installed).
    assert language("ar").plural_forms == language("ar").babel_plural_forms


def test_seed_catalogues_agree_with_gettext_and_are_read_under_the_installed_babel():
    from pipeline.gettext.catalogue import read_catalogue

    from conftest import LANGUAGES, ROOT

    for code in LANGUAGES:
        po = read_catalogue(ROOT / "locale" / code / "LC_MESSAGES" / "article.po", language=language(code))
        assert agree(parse(po.metadata["Plural-Forms"]), parse(language(code).plural_forms)), code


runner = CliRunner()


def _set_header(path, value):
    text = path.read_text(encoding="utf-8")
    start = text.index('"Plural-Forms: ')
    end = text.index('\\n"\n', start) + 3
    path.write_text(text[:start] + f'"Plural-Forms: {value}\\n"\n' + text[end:], encoding="utf-8")


def test_rewording_headers_changes_no_output_and_a_broken_one_fails_only_its_language(project):
    assert runner.invoke(app, ["run"]).exit_code == 0
    bundles = {p: p.read_bytes() for p in sorted((project / "dist").rglob("*.txt"))}
    assert len(bundles) == 5
    _set_header(project / "locale/uk/LC_MESSAGES/article.po", MSGINIT_0_21["uk"].replace("(", "( ").replace(" ?", "  ?"))
    _set_header(project / "locale/fr/LC_MESSAGES/article.po", "nplurals=2; plural=(n > 1);")
    result = runner.invoke(app, ["run"])
    assert result.exit_code == 0, result.output
    assert {p: p.read_bytes() for p in sorted((project / "dist").rglob("*.txt"))} == bundles

    pl = project / "locale/pl/LC_MESSAGES/article.po"
    _set_header(pl, "nplurals=3; plural=(n==1 ? 0 : n%10>=2 ? 1 : 3);")
    broken = pl.read_bytes()
    (project / "dist").joinpath("article", "pl", "article.txt").unlink()
    result = runner.invoke(app, ["run"])
    assert result.exit_code == 2
    assert f"error: {pl}: Plural-Forms" in result.output and "nplurals is 3" in result.output
    assert pl.read_bytes() == broken
    assert not (project / "dist/article/pl/article.txt").exists()
    for code in ("uk", "de", "fr", "es"):
        assert (project / f"dist/article/{code}/article.txt").read_bytes() == bundles[project / f"dist/article/{code}/article.txt"]
    manifest = json.loads((project / "dist/article/manifest.json").read_text(encoding="utf-8"))
    assert manifest["failed"] == ["pl"]
    assert manifest["published"] == ["de", "es", "fr", "uk"]
    # The earlier run's pl files that are still intact are kept, marked stale, never passed off as current.
    assert [(entry["code"], entry["stale"]) for entry in manifest["languages"]] == [
        ("de", False), ("es", False), ("fr", False), ("pl", True), ("uk", False)
    ]


@pytest.mark.parametrize("verb", [["update"], ["translate", "--engine", "pseudo"], ["compile"], ["bundle"], ["status"], ["check", "--no-msgfmt"]])
def test_every_verb_skips_a_broken_catalogue_and_finishes_the_others(project, verb):
    assert runner.invoke(app, ["extract"]).exit_code == 0
    pl = project / "locale/pl/LC_MESSAGES/article.po"
    _set_header(pl, "nplurals=3; plural=n++;")
    broken = pl.read_bytes()
    result = runner.invoke(app, verb)
    assert result.exit_code == 2, result.output
    assert f"error: {pl}: Plural-Forms" in result.output and "skipped: " in result.output and "[pl]" in result.output
    assert pl.read_bytes() == broken
    if verb == ["compile"]:
        assert all((project / f"locale/{c}/LC_MESSAGES/article.mo").is_file() for c in ("uk", "de", "fr", "es"))
    if verb == ["status"]:
        assert "uk" in result.output and "es" in result.output


def test_gettext_table_rules_pass_the_full_check_that_parse_skips_for_them():
    # parse() trusts gettext's own rules without evaluating them (start-up cost);
    # each must therefore pass the range check over the whole sample.
    from pipeline.gettext.plurals import GETTEXT_PLURAL_FORMS, _checked

    for code, value in GETTEXT_PLURAL_FORMS.items():
        rule = parse(value)
        assert _checked(rule, value) is rule, code
    broken = "nplurals=2; plural=(n%10==1 ? 0 : n%10>=2 ? 1 : 2);"  # form 2 of 2: not in the table, refused
    with pytest.raises(PluralFormsError):
        parse(broken)


# -- answers remembered across runs (they are data: rule texts and this code) --------


def _forget_this_process():
    plurals._ANSWERS.clear()
    plurals._parse.cache_clear()
    plurals._values_cached.cache_clear()


QUESTIONS = [
    ("agree", MSGINIT_0_21["uk"], BABEL_2_19["uk"]),
    ("agree", MSGINIT_0_21["fr"], BABEL_2_19["fr"]),
    ("agree", BABEL_2_18["ar"], BABEL_2_19["ar"]),
    ("valid", BABEL_2_19["es"], None),
    ("valid", "nplurals=2; plural=(n > 2) ? 2 : 0;", None),
    ("valid", "nplurals=2; plural=n/(n-n);", None),
]


def _answers():
    found = []
    for question, a, b in QUESTIONS:
        if question == "agree":
            found.append(agree(parse(a), parse(b)))
        else:
            try:
                found.append(parse(a).header)
            except PluralFormsError as exc:
                found.append(str(exc))
    return found


@pytest.fixture
def working_on_a_project(tmp_path):
    """A project whose cache folder exists, named as the one this process works on (as the project lock does)."""
    from pipeline.runtime.resultcache import working_on

    locale = tmp_path / "locale"
    (locale / ".cache").mkdir(parents=True)
    with working_on(locale):
        yield locale


def test_answers_come_back_from_the_project_cache_without_evaluating_a_rule(working_on_a_project, monkeypatch):
    _forget_this_process()
    computed = _answers()
    assert computed[:3] == [True, False, False] and "nplurals is 2" in computed[4] and "divides by zero" in computed[5]
    assert (working_on_a_project / ".cache" / "results.sqlite").is_file()

    def no_evaluation(*args):
        raise AssertionError("a remembered answer was evaluated again")

    _forget_this_process()  # as a new process would start
    monkeypatch.setattr(plurals, "_evaluate", no_evaluation)
    assert _answers() == computed


def test_answers_of_other_code_or_outside_a_project_are_evaluated_alike(working_on_a_project, monkeypatch):
    from pipeline.runtime.resultcache import working_on

    _forget_this_process()
    computed = _answers()
    evaluated = []
    real = plurals._evaluate
    monkeypatch.setattr(plurals, "_evaluate", lambda tree, n: evaluated.append(tree) or real(tree, n))
    monkeypatch.setattr(plurals, "code_key", lambda: "another version of the evaluator")
    _forget_this_process()
    assert _answers() == computed and evaluated
    evaluated.clear()
    with working_on(working_on_a_project.parent / "no-cache-folder"):  # a cache that cannot be used costs only time
        _forget_this_process()
        assert _answers() == computed and evaluated
    assert not (working_on_a_project.parent / "no-cache-folder").exists()


def test_a_warm_run_imports_no_numpy(tmp_path):
    import os
    import subprocess
    import sys

    from conftest import ROOT

    (tmp_path / "locale" / ".cache").mkdir(parents=True)
    script = (
        "import sys\n"
        "from pipeline.runtime.lock import project_lock\n"
        "from pipeline.gettext.plurals import agree, parse\n"
        "with project_lock('locale'):\n"
        f"    assert agree(parse({MSGINIT_0_21['uk']!r}), parse({BABEL_2_19['uk']!r}))\n"
        "print('numpy' in sys.modules)\n"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    runs = [subprocess.run([sys.executable, "-c", script], cwd=tmp_path, env=env, capture_output=True, text=True, check=True).stdout.strip() for _ in range(2)]
    assert runs == ["True", "False"]
