"""The translation memory: SQLite index, incremental refresh, kills, exchange formats, touching only what is asked."""

from __future__ import annotations

import os
import random
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import polib
from typer.testing import CliRunner

from pipeline.gettext import catalogue as catalog_mod
from pipeline import memory as memory_mod
from pipeline.memory import store as memory_store
from pipeline.memory import tables as memory_tables
from pipeline import workflow
from pipeline.gettext.catalogue import catalogue_path, new_catalogue, write_catalogue
from pipeline.cli import app
from pipeline.gettext.languages import language
from pipeline.memory import MemoryEntry, TranslationMemory, memory_path, memory_sources

from conftest import ROOT, files_snapshot

runner = CliRunner()
UK = language("uk")
WORDS = """soldiers officials residents rescuers council bridge road railway plan budget report vote market border
talks ceasefire convoy shelter harbour airport station factory warehouse checkpoint highway reservoir treaty
inquiry harvest pension housing stadium archive festival parade said reported confirmed denied announced warned
claimed rejected approved criticised welcomed visited inspected blocked opened closed delayed cancelled launched
Kyiv Kharkiv Lviv Odesa Warsaw Berlin Paris Madrid Monday Tuesday Friday morning overnight week month""".split()


def invoke(*args):
    return runner.invoke(app, list(args), catch_exceptions=False)


def sentences(count: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    made: dict[str, None] = {}
    while len(made) < count:
        made[" ".join(rng.choice(WORDS) for _ in range(rng.randint(6, 22))).capitalize() + "."] = None
    return list(made)


def edit(sentence: str, rng: random.Random) -> str:
    words = sentence[:-1].split()
    i = rng.randrange(len(words))
    kind = rng.choice(["change", "add", "remove"])
    if kind == "change":
        words[i] = rng.choice(WORDS)
    elif kind == "add":
        words.insert(i, rng.choice(WORDS).lower())
    elif len(words) > 3:
        del words[i]
    return " ".join(words) + "."


def catalogue(entries: dict[str, str], *, fuzzy: set[str] = frozenset()) -> polib.POFile:
    po = new_catalogue(polib.POFile(), UK)
    for msgid, msgstr in entries.items():
        po.append(polib.POEntry(msgid=msgid, msgstr=msgstr, flags=["fuzzy"] if msgid in fuzzy else []))
    return po


def write_po(locale: Path, domain: str, entries: dict[str, str], **kwargs) -> Path:
    path = catalogue_path(locale, "uk", domain)
    write_catalogue(catalogue(entries, **kwargs), path)
    return path


# -- lookups -------------------------------------------------------------------


def test_exact_lookup_uses_reviewed_translations_only_and_identical_sentences(tmp_path):
    locale = tmp_path / "locale"
    write_po(locale, "a", {"The  bridge\nreopened.": "Міст знову відкрили.", "Draft only.": "Чернетка."}, fuzzy={"Draft only."})
    with TranslationMemory.open(locale, UK) as memory:
        memory.refresh(memory_sources(locale, "uk"))
        assert memory.exact("The  bridge\nreopened.") == "Міст знову відкрили."
        # The same words with other white space are another message to gettext: close, never exact.
        assert memory.exact("The bridge reopened.") is None
        assert memory.fuzzy("The bridge reopened.", threshold=75).msgstr == "Міст знову відкрили."
        assert memory.exact("The  bridge\nreopened.", "headline") is None  # another msgctxt
        assert memory.exact("Draft only.") is None  # fuzzy is not reviewed
        assert memory.exact("The bridge reopened") is None


def test_fuzzy_lookup_agrees_with_a_full_rapidfuzz_scan(tmp_path):
    rng = random.Random(3)
    remembered = sentences(4000, seed=1)  # more than FULL_SCAN per length window: the shortlist is used
    with TranslationMemory(tmp_path / "m.sqlite", language="uk") as memory:
        memory.add("bench", [MemoryEntry(None, s, f"[uk] {s}") for s in remembered])
        queries = [edit(s, rng) for s in rng.sample(remembered, 150)] + sentences(50, seed=2)
        agree = 0
        for query in queries:
            found, scan = memory.fuzzy(query, threshold=75), memory.full_scan(query, threshold=75)
            agree += (found is None and scan is None) or (found is not None and scan is not None and found.score == scan.score)
        assert agree == len(queries)
        # the answer carries the remembered translation and msgmerge's measure
        match = memory.fuzzy(remembered[0][:-1] + " today.", threshold=60)
        from rapidfuzz import fuzz

        assert match.msgstr == f"[uk] {match.msgid}" and match.score == fuzz.ratio(remembered[0][:-1] + " today.", match.msgid)


def test_bulk_refresh_optimises_the_index_and_answers_the_same(tmp_path):
    import polib

    from pipeline import memory as memory_module

    rng = random.Random(4)
    remembered = sentences(3000, seed=5)
    folder = tmp_path / "uk" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    paths = []
    for number in range(memory_module.OPTIMIZE_AFTER):
        po = polib.POFile()
        po.metadata = {"Content-Type": "text/plain; charset=UTF-8", "Language": "uk"}
        for sentence in remembered[number * 30 : (number + 1) * 30]:
            po.append(polib.POEntry(msgid=sentence, msgstr=f"[uk] {sentence}"))
        path = folder / f"a{number}.po"
        po.save(str(path))
        os.utime(path, ns=(1, 1))  # old enough not to count as just written
        paths.append(path)
    queries = [edit(s, rng) for s in rng.sample(remembered, 80)]
    with TranslationMemory(tmp_path / "m.sqlite", language="uk") as memory:
        report = memory.refresh(paths)
        assert len(report.indexed) == memory_module.OPTIMIZE_AFTER  # a bulk index: optimised
        segments = memory._db.execute("SELECT count(DISTINCT segid) FROM segment_features_idx").fetchone()[0]
        for query in queries:
            found, scan = memory.fuzzy(query, threshold=75), memory.full_scan(query, threshold=75)
            assert (found is None) == (scan is None) and (found is None or found.score == scan.score)
    assert segments == 1  # one b-tree segment left after 'optimize'


def test_most_recently_modified_file_wins_when_catalogues_disagree(tmp_path):
    locale = tmp_path / "locale"
    import os

    old = write_po(locale, "old", {"The vote was delayed.": "Старе."})
    new = write_po(locale, "new", {"The vote was delayed.": "Нове."})
    os.utime(old, ns=(1_000_000_000, 1_000_000_000))
    with TranslationMemory.open(locale, UK) as memory:
        memory.refresh(memory_sources(locale, "uk"))
        assert memory.exact("The vote was delayed.") == "Нове."
        [entry] = list(memory.entries())
        assert entry.domains == ("new", "old")
    del new


# -- incremental, kill-safe, concurrent ------------------------------------------


def test_refresh_reads_only_changed_files_and_forgets_deleted_ones(tmp_path, monkeypatch):
    locale = tmp_path / "locale"
    paths = [write_po(locale, f"d{i}", {f"Sentence number {i} about the bridge.": f"Речення {i}."}) for i in range(5)]
    import os

    for path in paths:  # older than the racy window: a stat suffices to trust them
        os.utime(path, ns=(10**18, 10**18))
    with TranslationMemory.open(locale, UK) as memory:
        first = memory.refresh(memory_sources(locale, "uk"))
        assert len(first.indexed) == 5
        read = []
        real = memory_store.read_catalogue
        monkeypatch.setattr(memory_store, "read_catalogue", lambda path, **kw: read.append(Path(path).name) or real(path, **kw))
        second = memory.refresh(memory_sources(locale, "uk"))
        assert second.indexed == [] and second.unchanged == 5 and read == []
        write_po(locale, "d2", {"Sentence number 2 about the bridge.": "Нове речення 2."})
        paths[4].unlink()
        third = memory.refresh(memory_sources(locale, "uk"))
        assert [p.name for p in third.indexed] == ["d2.po"] and read == ["d2.po"]
        assert [Path(p).name for p in third.removed] == ["d4.po"]
        assert memory.exact("Sentence number 2 about the bridge.") == "Нове речення 2."
        assert memory.exact("Sentence number 4 about the bridge.") is None
        assert len(memory) == 4


KILLER = textwrap.dedent(
    """
    import os, sys
    sys.path.insert(0, {root!r})
    from pipeline import memory as m
    from pipeline.memory import tables
    real = tables.add_features
    def die(db, segments, *, sign):
        real(db, segments, sign=sign)  # rows written, transaction still open
        os._exit(9)
    tables.add_features = die
    with m.TranslationMemory.open({locale!r}, "uk") as memory:
        memory.refresh(m.memory_sources({locale!r}, "uk"))
    """
)


def test_a_process_killed_inside_a_transaction_leaves_the_memory_readable_and_unchanged(tmp_path):
    locale = tmp_path / "locale"
    write_po(locale, "first", {"The council approved the budget.": "Рада ухвалила бюджет."})
    with TranslationMemory.open(locale, UK) as memory:
        memory.refresh(memory_sources(locale, "uk"))
        before = list(memory.entries())
    write_po(locale, "second", {f"Convoy {i} reached the harbour on Monday.": f"Конвой {i}." for i in range(200)})
    done = subprocess.run([sys.executable, "-c", KILLER.format(root=str(ROOT), locale=str(locale))], capture_output=True, text=True)
    assert done.returncode == 9, done.stderr
    db = sqlite3.connect(memory_path(locale, "uk"))
    assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    db.close()
    with TranslationMemory.open(locale, UK) as memory:
        assert list(memory.entries()) == before  # the killed transaction left nothing behind
        memory.refresh(memory_sources(locale, "uk"))  # and the next run indexes the file
        assert memory.exact("Convoy 7 reached the harbour on Monday.") == "Конвой 7."
        assert memory.fuzzy("Convoy 7 reached the harbour on Tuesday.", threshold=75).msgstr == "Конвой 7."


def test_two_processes_refreshing_at_once_agree(tmp_path):
    locale = tmp_path / "locale"
    for i in range(6):
        write_po(locale, f"d{i}", {f"Report {i}.{j}: the station reopened.": f"Звіт {i}.{j}." for j in range(300)})
    code = f"import sys; sys.path.insert(0, {str(ROOT)!r}); from pipeline import memory as m\n" \
           f"with m.TranslationMemory.open({str(locale)!r}, 'uk') as t: t.refresh(m.memory_sources({str(locale)!r}, 'uk'))"
    children = [subprocess.Popen([sys.executable, "-c", code], stderr=subprocess.PIPE, text=True) for _ in range(2)]
    assert [c.wait() for c in children] == [0, 0], [c.stderr.read() for c in children]
    with TranslationMemory.open(locale, UK) as memory:
        assert len(memory) == 1800 and memory.exact("Report 5.299: the station reopened.") == "Звіт 5.299."


def test_a_damaged_cache_is_recreated(tmp_path):
    locale = tmp_path / "locale"
    write_po(locale, "a", {"The road was closed.": "Дорогу закрили."})
    memory_path(locale, "uk").parent.mkdir(parents=True)
    memory_path(locale, "uk").write_bytes(b"this is not a database" * 100)
    with TranslationMemory.open(locale, UK) as memory:
        memory.refresh(memory_sources(locale, "uk"))
        assert memory.exact("The road was closed.") == "Дорогу закрили."


# -- verbs ---------------------------------------------------------------------------


def test_update_reads_and_writes_only_the_named_domains(project, monkeypatch):
    for name in ("second", "third"):
        (project / f"seeds/{name}.txt").write_text(f"A {name} report\n\nThe bridge in Lviv reopened on Monday.", encoding="utf-8")
        assert invoke("extract", f"seeds/{name}.txt").exit_code == 0
    assert invoke("update", "--lang", "uk").exit_code == 0  # indexes everything once
    untouched = {p: p.stat().st_mtime_ns for p in (project / "locale/uk/LC_MESSAGES").glob("*.po") if p.stem != "third"}
    import os

    for path in (project / "locale").rglob("*.po"):
        os.utime(path, ns=(10**18, 10**18))  # outside the racy window
    assert invoke("memory", "rebuild", "--lang", "uk").exit_code == 0  # as the last run left it
    parsed, opened = [], []
    real = memory_store.read_catalogue
    monkeypatch.setattr(memory_store, "read_catalogue", lambda path, **kw: parsed.append(Path(path).name) or real(path, **kw))
    real_open = catalog_mod.open_catalogue
    monkeypatch.setattr(catalog_mod, "open_catalogue", lambda path, **kw: parsed.append(Path(path).name) or real_open(path, **kw))
    read_bytes = Path.read_bytes
    monkeypatch.setattr(Path, "read_bytes", lambda self: opened.append(self.name) or read_bytes(self))
    (project / "seeds/third.txt").write_text("A third report\n\nThe bridge in Lviv reopened on Tuesday.", encoding="utf-8")
    assert invoke("extract", "seeds/third.txt").exit_code == 0
    parsed.clear(), opened.clear()  # what update alone reads
    result = invoke("update", "third", "--lang", "uk")
    assert result.exit_code == 0, result.output
    assert sorted(parsed) == ["third.po", "third.pot"]
    assert {name for name in opened if name.endswith(".po")} == {"third.po"}
    assert all(p.stat().st_mtime_ns == 10**18 for p in untouched)
    third = polib.pofile(str(project / "locale/uk/LC_MESSAGES/third.po"))
    assert third.find("The bridge in Lviv reopened on Tuesday.").msgid  # merged


def test_compendium_is_a_source_and_is_no_longer_rewritten_by_update(project):
    compendium = project / "locale/uk/compendium.po"
    before = compendium.read_bytes()
    (project / "seeds/second.txt").write_text("Second\n\nA sentence only the compendium knows.", encoding="utf-8")
    po = polib.pofile(str(compendium), wrapwidth=79)
    po.append(polib.POEntry(msgid="A sentence only the compendium knows.", msgstr="Речення з компендію.", occurrences=[("archive", "")]))
    po.save()
    before = compendium.read_bytes()
    assert invoke("extract", "seeds/second.txt").exit_code == 0
    assert invoke("update", "second", "--lang", "uk").exit_code == 0
    assert compendium.read_bytes() == before
    second = polib.pofile(str(project / "locale/uk/LC_MESSAGES/second.po"))
    assert second.find("A sentence only the compendium knows.").msgstr == "Речення з компендію."


TRICKY = [
    MemoryEntry(None, 'She said: "We will not give up" <today> & then left.', "Вона сказала: «Ми не здамося» <сьогодні> & пішла.", ("a", "b")),
    MemoryEntry("headline", "Kyiv", "Київ", ("a",)),
    MemoryEntry(None, "Kyiv", "Києві", ("c",)),
    MemoryEntry(None, "Tabs\tand back\\slashes stay.", "Таби\tі зворотні\\скісні лишаються.", ()),
    MemoryEntry(None, "Ünïcödé façade, naïve café — 61,330 people.", "Юнікод — 61 330 людей.", ("d",)),
]


def test_round_trip_through_po_and_tmx_loses_nothing(project, tmp_path):
    for name in ("article.po", "compendium.po"):
        for path in (project / "locale/uk").rglob(name):
            path.unlink()
    # The memory holds only what its files hold, so put TRICKY in a file first: import it.
    source = tmp_path / "tricky.po"
    write_catalogue(memory_mod.to_po(TRICKY, UK), source)
    assert invoke("memory", "import", str(source)).exit_code == 0
    expected = sorted(TRICKY, key=lambda e: (e.msgid, e.msgctxt or ""))

    def exported(fmt: str) -> Path:
        out = project / f"out.{fmt}"
        result = invoke("memory", "export", "--lang", "uk", "--format", fmt, "--out", str(out))
        assert result.exit_code == 0, result.output
        return out

    def memory_entries() -> list[MemoryEntry]:
        with TranslationMemory.open(project / "locale", UK) as memory:
            return sorted(memory.entries(), key=lambda e: (e.msgid, e.msgctxt or ""))

    assert memory_entries() == expected
    for fmt in ("po", "tmx"):
        out = exported(fmt)
        (project / "locale/uk/compendium.po").unlink()
        invoke("memory", "rebuild", "--lang", "uk")
        assert memory_entries() == []
        result = invoke("memory", "import", str(out))
        assert result.exit_code == 0, result.output
        assert memory_entries() == expected, fmt
    # the TMX is translate-toolkit's own
    from translate.storage.tmx import tmxfile

    tmx = tmxfile.parsestring(exported("tmx").read_bytes())
    assert {u.source for u in tmx.units} == {e.msgid for e in TRICKY}


def test_po_export_serves_gnu_msgmerge_as_a_compendium(project):
    out = project / "uk-memory.po"
    assert invoke("memory", "export", "--lang", "uk", "--out", str(out)).exit_code == 0
    assert subprocess.run(["msgfmt", "-c", "-o", "/dev/null", str(out)], capture_output=True).returncode == 0
    reviewed = {e.msgid: e.msgstr for e in polib.pofile(str(project / "locale/uk/LC_MESSAGES/article.po")) if e.msgstr and not e.fuzzy}
    empty = project / "empty.po"
    write_catalogue(new_catalogue(polib.POFile(), UK), empty)
    merged = project / "merged.po"
    done = subprocess.run(
        ["msgmerge", "--quiet", f"--compendium={out}", "-o", str(merged), str(empty), str(project / "locale/article.pot")],
        capture_output=True, text=True,
    )
    assert done.returncode == 0, done.stderr
    result = {e.msgid: e for e in polib.pofile(str(merged))}
    assert {m: e.msgstr for m, e in result.items() if not e.fuzzy and e.msgstr} == reviewed


def test_memory_cli_refuses_bad_requests_with_one_line(project):
    result = runner.invoke(app, ["memory", "export", "--format", "po", "--out", "x.po"])
    assert result.exit_code == 2 and "one language" in result.output
    result = runner.invoke(app, ["memory", "export", "--lang", "uk", "--format", "xliff", "--out", "x.po"])
    assert result.exit_code == 2 and "use po or tmx" in result.output
    (project / "bad.tmx").write_text("<tmx><body><tu>", encoding="utf-8")
    result = runner.invoke(app, ["memory", "import", "bad.tmx"])
    assert result.exit_code == 2 and "bad.tmx: not a readable TMX file" in result.output
    headerless = project / "headerless.po"
    headerless.write_text('msgid "A"\nmsgstr "Б"\n', encoding="utf-8")
    result = runner.invoke(app, ["memory", "import", str(headerless)])
    assert result.exit_code == 2 and "--lang" in result.output


# -- status and check: cached per catalogue by content ----------------------------


def _count_parses(monkeypatch) -> list[str]:
    """The languages of the catalogues the verbs parse (every verb reads through workflow.discovery)."""
    from pipeline.workflow import discovery

    parsed: list[str] = []
    real_parse, real_open = discovery.parse_catalogue, discovery.open_catalogue
    monkeypatch.setattr(discovery, "parse_catalogue", lambda data, *, path, **kw: parsed.append(Path(path).parent.parent.name) or real_parse(data, path=path, **kw))
    monkeypatch.setattr(discovery, "open_catalogue", lambda path, **kw: parsed.append(Path(path).parent.parent.name) or real_open(path, **kw))
    return parsed


def test_status_and_check_recompute_only_the_catalogues_that_changed(project, monkeypatch):
    import json
    import os

    for path in (project / "locale").rglob("*.po"):
        os.utime(path, ns=(10**18, 10**18))
    assert invoke("memory", "rebuild").exit_code == 0  # as any update or run would: the cache folder exists
    first_status = invoke("status", "--format", "json").output
    first_check = invoke("check", "--format", "json").output
    parsed = _count_parses(monkeypatch)
    assert invoke("status", "--format", "json").output == first_status
    assert invoke("check", "--format", "json").output == first_check
    assert parsed == []  # every row came from the cache
    po_path = project / "locale/uk/LC_MESSAGES/article.po"
    po = polib.pofile(str(po_path), wrapwidth=79)
    entry = next(e for e in po if "61" in e.msgid)
    entry.msgstr = entry.msgstr.replace("330", "333", 1)
    po.save()
    cached_status = invoke("status", "--format", "json").output
    assert parsed == ["uk"]
    status = json.loads(cached_status)
    assert status[0]["language"] == "uk" and status[0]["failed_checks"] > 0
    assert {r["language"] for r in status if r["failed_checks"]} == {"uk"}
    result = invoke("check", "--format", "json")
    assert parsed == ["uk", "uk"] and result.exit_code == 1
    assert {f["check"] for f in json.loads(result.output) if f["severity"] == "error"} == {"numbers"}
    import shutil

    shutil.rmtree(project / "locale/.cache")  # the oracle: the same verbs without any cache
    assert invoke("status", "--format", "json").output == cached_status
    assert invoke("check", "--format", "json").output == result.output
    assert not (project / "locale/.cache").exists()  # a read-only verb never creates the cache
    (project / "locale/.cache").mkdir()
    invoke("status", "--format", "json")
    del parsed[:]
    # a changed glossary is a new context: everything is checked again
    with open(project / "locale/glossary.csv", "a", encoding="utf-8") as glossary:
        glossary.write("Lyman,,,place name\n")
    invoke("status", "--format", "json")
    assert sorted(parsed) == ["de", "es", "fr", "pl", "uk"]


def test_status_and_check_work_when_the_cache_cannot_be_written(project, monkeypatch):
    assert invoke("memory", "rebuild").exit_code == 0
    expected_status = invoke("status", "--format", "json").output
    expected_check = invoke("check", "--format", "json", "--no-msgfmt").output
    import shutil

    for leftover in (project / "locale/.cache").glob("results.sqlite*"):
        leftover.unlink()
    (project / "locale/.cache/results.sqlite").mkdir()  # as unopenable as it gets for root
    parsed = _count_parses(monkeypatch)
    for _ in range(2):
        assert invoke("status", "--format", "json").output == expected_status
        assert invoke("check", "--format", "json", "--no-msgfmt").output == expected_check
    assert len(parsed) == 20  # computed every time, without a cache


def test_a_catalogue_wins_over_the_archive_whatever_the_mtimes(tmp_path):
    import os

    locale = tmp_path / "locale"
    catalogue_file = write_po(locale, "article", {"The dam was repaired.": "Греблю відремонтували."})
    archive = memory_mod.compendium_path(locale, "uk")
    write_catalogue(catalogue({"The dam was repaired.": "Стара версія."}), archive)
    os.utime(catalogue_file, ns=(10**18, 10**18))  # the archive is newer on disk (a fresh checkout)
    with TranslationMemory.open(locale, UK) as memory:
        memory.refresh(memory_sources(locale, "uk"))
        assert memory.exact("The dam was repaired.") == "Греблю відремонтували."


def test_reindexing_a_file_changes_only_what_changed_and_matches_a_rebuild(tmp_path):
    locale = tmp_path / "locale"
    entries = {f"Reservoir {i} was inspected on Friday.": f"Резервуар {i}." for i in range(50)}
    path = write_po(locale, "a", entries)
    with TranslationMemory.open(locale, UK) as memory:
        memory.refresh(memory_sources(locale, "uk"))
        entries.pop("Reservoir 3 was inspected on Friday.")
        entries["Reservoir 4 was inspected on Friday."] = "Інший переклад."
        entries["A brand new sentence about the harbour."] = "Нове речення."
        write_po(locale, "a", entries)
        memory.index_file(path)
        incremental = sorted(memory.entries(), key=lambda e: e.msgid)
        assert memory.exact("Reservoir 3 was inspected on Friday.") is None
        assert memory.fuzzy("Reservoir 3 was inspected on Friday.", threshold=75).msgid != "Reservoir 3 was inspected on Friday."
        memory.clear()
        memory.refresh(memory_sources(locale, "uk"))
        assert sorted(memory.entries(), key=lambda e: e.msgid) == incremental
        assert len(memory) == 50


def test_refresh_sees_an_in_place_edit_that_leaves_the_folder_untouched(tmp_path):
    """A translator's editor may rewrite a file in place: the folder's mtime stays, the file's changes."""
    import os

    locale = tmp_path / "locale"
    paths = [write_po(locale, f"d{i}", {f"Old sentence {i} from the archive.": f"Старе речення {i}."}) for i in range(3)]
    for path in paths:
        os.utime(path, ns=(10**18, 10**18))
    folder = paths[0].parent
    with TranslationMemory.open(locale, UK) as memory:
        memory.refresh(memory_sources(locale, "uk"))
        before = folder.stat().st_mtime_ns
        data = paths[1].read_bytes()
        edited = data.replace("Старе речення 1.".encode(), "Нове речення 1.".encode().ljust(len("Старе речення 1.".encode()), b" "))
        assert len(edited) == len(data) and edited != data
        with open(paths[1], "r+b") as handle:  # same size, same inode, same folder entry
            handle.write(edited)
        os.utime(paths[1], ns=(10**18 + 10**9, 10**18 + 10**9))
        assert folder.stat().st_mtime_ns == before
        report = memory.refresh(memory_sources(locale, "uk"))
        assert [p.name for p in report.indexed] == ["d1.po"] and report.unchanged == 2
        assert memory.exact("Old sentence 1 from the archive.").startswith("Нове речення 1.")


def test_status_document_cache_domains_and_totals(project, monkeypatch):
    import json
    import os

    for path in (project / "locale").rglob("*.po"):
        os.utime(path, ns=(10**18, 10**18))
    assert invoke("memory", "rebuild").exit_code == 0
    rows = json.loads(invoke("status", "--format", "json").output)
    totals = json.loads(invoke("status", "--format", "json", "--by-language").output)
    assert [t["language"] for t in totals] == [r["language"] for r in rows]  # one catalogue per language here
    for total, row in zip(totals, rows):
        assert total["domain"] is None and total["catalogues"] == 1
        assert {k: v for k, v in total.items() if k not in ("domain", "catalogues")} == {k: v for k, v in row.items() if k != "domain"}
    assert json.loads(invoke("status", "article", "--format", "json").output) == rows
    table = invoke("status").output
    assert "by language" in table and "catalogues" in table and "article" not in table
    assert "article" in invoke("status", "--by-domain").output and "article" in invoke("status", "article").output
    unknown = invoke("status", "../etc")
    assert unknown.exit_code == 2 and "unknown domain" in unknown.output
    # nothing changed: the whole document comes from one cache row, no per-catalogue work at all
    computed = []
    real = workflow.status
    monkeypatch.setattr(workflow, "status", lambda *a, **kw: computed.append(1) or real(*a, **kw))
    assert json.loads(invoke("status", "--format", "json").output) == rows and computed == []
    po_path = project / "locale/pl/LC_MESSAGES/article.po"
    po = polib.pofile(str(po_path), wrapwidth=79)
    next(e for e in po if e.msgid and not e.fuzzy and e.msgstr).flags.append("fuzzy")
    po.save()
    changed = json.loads(invoke("status", "--format", "json").output)
    assert computed == [1]
    pl = next(r for r in changed if r["language"] == "pl")
    before = next(r for r in rows if r["language"] == "pl")
    assert pl["translated"]["entries"] == before["translated"]["entries"] - 1 and pl["fuzzy_human"]["entries"] >= 1
    assert [r for r in changed if r["language"] != "pl"] == [r for r in rows if r["language"] != "pl"]


def _tmx(units: list[dict[str, str]], *, srclang: str = "en") -> str:
    body = "".join(
        "<tu>" + "".join(f'<tuv xml:lang="{lang}"><seg>{text}</seg></tuv>' for lang, text in unit.items()) + "</tu>"
        for unit in units
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?><tmx version="1.4"><header creationtool="vendor" creationtoolversion="1" '
        f'segtype="sentence" o-tmf="x" adminlang="en" srclang="{srclang}" datatype="plaintext"/><body>{body}</body></tmx>'
    )


def test_tmx_region_tags_go_to_the_configured_language_and_others_are_reported(project):
    (project / "vendor.tmx").write_text(
        _tmx([{"en-US": "The river rose overnight.", "de-DE": "Der Fluss stieg über Nacht.", "it-IT": "Il fiume è salito."}]),
        encoding="utf-8",
    )
    result = runner.invoke(app, ["memory", "import", "vendor.tmx"])
    assert result.exit_code == 2, result.output
    assert "de: 1 translation added" in result.output
    assert "1 unit in it_IT, which the project does not translate into" in result.output and "--lang it_IT" in result.output
    assert not (project / "locale/de_DE").exists() and not (project / "locale/it").exists()
    assert "Der Fluss stieg über Nacht." in (project / "locale/de/compendium.po").read_text(encoding="utf-8")


def test_tmx_from_another_source_language_is_refused_not_ignored(project):
    (project / "fr.tmx").write_text(_tmx([{"fr": "Le fleuve a monté.", "uk": "Річка піднялася."}], srclang="fr"), encoding="utf-8")
    before = files_snapshot(project / "locale")
    result = runner.invoke(app, ["memory", "import", "fr.tmx"])
    assert result.exit_code == 2 and "no unit has a 'en' source" in result.output
    assert files_snapshot(project / "locale") == before


def test_result_cache_digests_agree_one_query_each_or_the_whole_table(tmp_path):
    """A few files are looked up one query each, many by loading the table once; both trust the same rows."""
    from pipeline.runtime import resultcache

    locale = tmp_path / "locale"
    memory_mod.cache_dir(locale).mkdir(parents=True)
    files = []
    for i in range(resultcache._SINGLE_QUERIES + 8):
        path = tmp_path / f"f{i}.po"
        path.write_bytes(b"a" * (i + 1))
        os.utime(path, ns=(10**18, 10**18))  # far older than the racy window when recorded
        files.append(str(path))
    with resultcache.ResultCache.open(locale) as cache:
        recorded = [cache.digest(path) for path in files]
    # Same size and mtime, other bytes: a trusted row answers without reading the file.
    for path in files:
        Path(path).write_bytes(b"b" * Path(path).stat().st_size)
        os.utime(path, ns=(10**18, 10**18))
    with resultcache.ResultCache.open(locale) as cache:
        assert [cache.digest(path) for path in files] == recorded
        assert cache._known is not None  # past the single queries, the table was loaded once
    with resultcache.ResultCache.open(locale) as cache:
        assert cache.digest(files[0]) == recorded[0] and cache._known is None
        os.utime(files[1], ns=(10**18 + 1, 10**18 + 1))  # a changed mtime: read again
        assert cache.digest(files[1]) != recorded[1]


def test_stat_many_agrees_with_os_stat(tmp_path):
    """Stat by name within each folder: same answers as os.stat, None for what is missing, order kept."""
    for folder in ("a", "b"):
        (tmp_path / folder).mkdir()
        for i in range(3):
            (tmp_path / folder / f"{i}.po").write_text("x" * i)
    paths = [str(tmp_path / f) for f in ("a/0.po", "a/2.po", "b/1.po", "a/1.po", "a/missing.po", "nowhere/0.po", "b/2.po")]
    found = memory_mod.stat_many(paths)
    for path, stat in zip(paths, found):
        if os.path.exists(path):
            expected = os.stat(path)
            assert (stat.st_ino, stat.st_size, stat.st_mtime_ns) == (expected.st_ino, expected.st_size, expected.st_mtime_ns)
        else:
            assert stat is None
    assert memory_mod.stat_many([]) == []


def _drop_length_index(locale: Path) -> None:
    """Make the memory look as an earlier release left it (no segment_id_length)."""
    db = sqlite3.connect(memory_path(locale, "uk"))
    db.execute("DROP INDEX segment_id_length")
    db.commit()
    db.close()


def test_a_memory_indexed_before_the_length_index_gets_it_on_open(tmp_path):
    """Memories built by an earlier release lack segment_id_length: opening adds it, answers unchanged."""
    locale = tmp_path / "locale"
    pool = sentences(4000, seed=11)  # more than FULL_SCAN per length window: the shortlist (which needs the index) is used
    write_po(locale, "a", {s: f"Переклад {i}." for i, s in enumerate(pool)})
    rng = random.Random(3)
    queries = [edit(s, rng) for s in rng.sample(pool, 30)]
    with TranslationMemory.open(locale, UK) as memory:
        memory.refresh(memory_sources(locale, "uk"))
        expected = [memory.fuzzy(q, threshold=75) for q in queries]
        assert expected == [memory.full_scan(q, threshold=75) for q in queries]
    _drop_length_index(locale)
    with TranslationMemory.open(locale, UK) as memory:
        shortlisted = []
        real = memory._shortlist
        memory._shortlist = lambda *a: shortlisted.append(1) or real(*a)
        assert [memory.fuzzy(q, threshold=75) for q in queries] == expected
        assert len(shortlisted) == len(queries)
    db = sqlite3.connect(memory_path(locale, "uk"))
    assert db.execute("SELECT 1 FROM sqlite_master WHERE name='segment_id_length'").fetchone()
    db.close()


def test_a_memory_whose_length_index_cannot_be_written_still_answers(tmp_path, monkeypatch):
    """The (id, length) index is an optimisation: a read-only or locked cache is used without it."""
    from contextlib import contextmanager

    locale = tmp_path / "locale"
    pool = sentences(4000, seed=12)
    write_po(locale, "a", {s: f"Переклад {i}." for i, s in enumerate(pool)})
    rng = random.Random(5)
    queries = [edit(s, rng) for s in rng.sample(pool, 20)]
    with TranslationMemory.open(locale, UK) as memory:
        memory.refresh(memory_sources(locale, "uk"))
        expected = [memory.fuzzy(q, threshold=75) for q in queries]
    _drop_length_index(locale)

    @contextmanager
    def read_only(db):
        raise sqlite3.OperationalError("attempt to write a readonly database")
        yield

    monkeypatch.setattr(memory_tables, "transaction", read_only)
    with TranslationMemory.open(locale, UK) as memory:
        assert len(memory) == 4000  # kept, not recreated as if damaged
        assert [memory.fuzzy(q, threshold=75) for q in queries] == expected
    db = sqlite3.connect(memory_path(locale, "uk"))
    assert not db.execute("SELECT 1 FROM sqlite_master WHERE name='segment_id_length'").fetchone()
    db.close()


# -- a moved or copied project ------------------------------------------------------


def test_a_project_copied_to_another_folder_is_not_read_again(project, tmp_path, monkeypatch):
    # The memory and the result cache key files relative to the locale folder: a copy made
    # with its times (cp -a, copytree with copy2) costs a stat per file, not a re-index.
    import shutil

    from pipeline.runtime.resultcache import ResultCache

    locale = project / "locale"
    for path in locale.rglob("*.po"):
        os.utime(path, ns=(10**18, 10**18))  # written long before: a stat suffices to trust them
    codes = ("uk", "pl", "de", "fr", "es")
    for code in codes:
        with TranslationMemory.open(locale, code) as memory:
            assert memory.refresh(memory_sources(locale, code)).indexed
    files = sorted(path.relative_to(locale) for path in locale.rglob("*.po"))
    assert Path("uk/compendium.po") in files and len(files) >= 6
    with ResultCache.open(locale) as cache:
        digests = [cache.digest(locale / name) for name in files]

    copy = shutil.copytree(project, tmp_path / "elsewhere" / "project", copy_function=shutil.copy2)
    moved = copy / "locale"
    parsed, read = [], []
    real_read_catalogue = memory_store.read_catalogue
    monkeypatch.setattr(memory_store, "read_catalogue", lambda path, **kw: parsed.append(path) or real_read_catalogue(path, **kw))
    from pipeline.runtime import reading

    real_read_bounded = reading.read_bounded

    def recording(path, **kwargs):  # every input is read through the one bounded reader
        read.append(Path(path).name)
        return real_read_bounded(path, **kwargs)

    monkeypatch.setattr(reading, "read_bounded", recording)
    monkeypatch.setattr(memory_store, "read_bounded", recording)
    for code in codes:
        with TranslationMemory.open(moved, code) as memory:
            sources = memory_sources(moved, code)
            report = memory.refresh(sources)
            assert (report.indexed, report.removed, report.unchanged) == ([], [], len(sources)), code
    assert parsed == [] and read == []
    with ResultCache.open(moved) as cache:
        assert [cache.digest(moved / name) for name in files] == digests
        assert cache._files == []  # every digest came from the stat cache: no file was hashed again

    # Copied without the times (plain cp): every file is read and hashed, none parsed or indexed.
    for path in moved.rglob("*.po"):
        os.utime(path, ns=(2 * 10**18, 2 * 10**18))
    for code in codes:
        with TranslationMemory.open(moved, code) as memory:
            report = memory.refresh(memory_sources(moved, code))
            assert report.indexed == [] and report.unchanged == len(memory_sources(moved, code)), code
        assert memory_sources(moved, code)
    assert parsed == [] and sorted(set(read)) == sorted({name.name for name in files})
    with ResultCache.open(moved) as cache:
        assert [cache.digest(moved / name) for name in files] == digests
