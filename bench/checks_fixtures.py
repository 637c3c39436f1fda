"""Copy the judged real entries of bench/checks_fp.py into tests/data/realworld_checks/.

Each entry below was judged by hand against the check's rule: ``fp`` (the
translation is right, a finding would be a false positive: the check must
pass) or ``tp`` (the finding is a real problem: the check must fail). The
entry is copied verbatim (msgctxt, msgid, msgstr) from the release named in
SOURCES.md, with the judgement as a translator comment ``judged: <check> <fp|tp>``.

    .venv/bin/python bench/checks_fixtures.py /tmp/dj/django /tmp/sphinx/sphinx
"""

from __future__ import annotations

import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "tests" / "data" / "realworld_checks"

# (corpus, language, catalogue, msgctxt, msgid, check, verdict, why)
JUDGED: list[tuple[str, str, str, str | None, str, str, str, str]] = [
    # ---- end-punctuation: right translations the old check flagged
    ("django", "ja", "conf", None, "Enter a valid value.", "end-punctuation", "fp", "。 ends a sentence"),
    ("django", "ja", "admin", None, "Are you sure?", "end-punctuation", "fp", "fullwidth ？"),
    ("django", "zh_Hans", "conf", None, "Enter a valid URL.", "end-punctuation", "fp", "。"),
    ("django", "zh_Hans", "admin", None, "Are you sure?", "end-punctuation", "fp", "？"),
    ("django", "zh_Hans", "admin", None, "Date:", "end-punctuation", "fp", "fullwidth colon ："),
    ("django", "ar", "admin", None, "Are you sure?", "end-punctuation", "fp", "Arabic ؟"),
    ("django", "ar", "admin", None, "Delete?", "end-punctuation", "fp", "Arabic ؟"),
    ("django", "ar", "conf", "abbrev. month", "Aug.", "end-punctuation", "fp", "abbreviation, month name in full"),
    ("django", "ar", "conf", None, "p.m.", "end-punctuation", "fp", "abbreviation"),
    ("django", "hi", "conf", None, "Enter a valid URL.", "end-punctuation", "fp", "Devanagari danda ।"),
    ("django", "hi", "conf", "abbrev. month", "Oct.", "end-punctuation", "fp", "abbreviation"),
    ("django", "hy", "admin", None, "Are you sure?", "end-punctuation", "fp", "Armenian ՞ on the stressed vowel"),
    ("django", "hy", "admin", None, "Delete?", "end-punctuation", "fp", "Armenian ՞"),
    ("django", "el", "admin", None, "Are you sure?", "end-punctuation", "fp", "Greek ; (normal form of U+037E)"),
    ("django", "el", "admin", None, "Delete?", "end-punctuation", "fp", "Greek ;"),
    ("django", "el", "conf", "abbrev. month", "April", "end-punctuation", "fp", "CLDR month abbreviation Απρίλ."),
    ("django", "el", "conf", None, "Topics, references, &amp; how-to’s", "end-punctuation", "fp", '... inside a closing quote'),
    ("django", "fr", "conf", "abbrev. month", "Aug.", "end-punctuation", "fp", "Aug. → août"),
    ("django", "fr", "conf", "abbrev. month", "April", "end-punctuation", "fp", "CLDR abbreviation avr."),
    ("django", "fr", "conf", None, "p.m.", "end-punctuation", "fp", "abbreviation"),
    ("django", "uk", "conf", None, "p.m.", "end-punctuation", "fp", "abbreviation"),
    ("django", "de", "conf", None, "PM", "end-punctuation", "fp", "CLDR day period nachm."),
    ("django", "de", "humanize", "ordinal 4", "{}th", "end-punctuation", "fp", "German ordinal {}."),
    ("django", "ko", "conf", "abbrev. month", "Aug.", "end-punctuation", "fp", "abbreviation → 8월"),
    ("sphinx", "hi", "sphinx", None, "No builder selected, using default: html", "end-punctuation", "fp", "Devanagari abbreviation एच्.टी.ऍम.एल."),
    ("sphinx", "ja", "sphinx", None, "replacement for dot in _templates etc.", "end-punctuation", "fp", "source ends with etc."),
    ("sphinx", "ko", "sphinx", None, "replacement for dot in _templates etc.", "end-punctuation", "fp", "source ends with etc."),
    # ---- end-punctuation: real problems
    ("django", "zh_Hans", "conf", None, "Directory indexes are not allowed here.", "end-punctuation", "tp", "final 。 missing"),
    ("django", "zh_Hans", "admin", None, "Action:", "end-punctuation", "tp", "colon missing"),
    ("django", "zh_Hans", "conf", None, "Date out of range", "end-punctuation", "tp", "a label gains 。"),
    ("django", "ja", "admin", None, "Your password was changed.", "end-punctuation", "tp", "final 。 missing"),
    ("django", "ar", "conf", None, "Enter a valid duration.", "end-punctuation", "tp", "final stop missing"),
    ("django", "hi", "conf", None, "Enter a valid value.", "end-punctuation", "tp", "danda missing"),
    ("django", "hi", "admin", None, "No action selected.", "end-punctuation", "tp", "ASCII | instead of the danda ।"),
    ("django", "hy", "conf", None, "This field is required.", "end-punctuation", "tp", "։ missing"),
    ("django", "el", "conf", None, "Enter a complete value.", "end-punctuation", "tp", "final stop missing"),
    ("django", "ko", "admin", None, "Delete?", "end-punctuation", "tp", "question mark missing"),
    ("django", "de", "conf", None, "Enter a valid IPv4 or IPv6 address.", "end-punctuation", "tp", "final stop missing"),
    # ---- numbers: right translations the old check flagged
    ("django", "ja", "conf", None, "April", "numbers", "fp", "4月"),
    ("django", "ja", "conf", "abbrev. month", "Aug.", "numbers", "fp", "8月"),
    ("django", "ja", "conf", None, "noon", "numbers", "fp", "12時"),
    ("django", "ja", "conf", None, "midnight", "numbers", "fp", "0時"),
    ("django", "ko", "conf", "abbrev. month", "Aug.", "numbers", "fp", "8월"),
    ("django", "zh_Hans", "admin", None, "Past 7 days", "numbers", "fp", "过去7天: a digit after Han"),
    ("sphinx", "fa", "sphinx", None, "4 column based index found. It might be a bug of extensions you use: %r", "numbers", "fp", "Persian digit ۴"),
    ("sphinx", "fa", "sphinx", None, "maximum depth of submodules to show in the TOC (default: 4)", "numbers", "fp", "Persian digit ۴"),
    # ---- numbers: real problems
    ("django", "ko", "admin", None, "Select %s to view", "numbers", "tp", "a stray 1 before %s"),
    # ---- length-ratio: right translations the old check flagged
    ("django", "ja", "conf", None, "Comma-separated integers", "length-ratio", "fp", "Japanese is shorter"),
    ("django", "zh_Hans", "conf", None, "Enter a valid domain name.", "length-ratio", "fp", "Chinese is shorter"),
    ("django", "zh_Hans", "conf", None, "Floating point number", "length-ratio", "fp", "Chinese is shorter"),
    ("django", "zh_Hans", "admin", None, "We’re sorry, but the requested page could not be found.", "length-ratio", "fp", "Chinese is shorter"),
    ("django", "ko", "conf", None, "This field is required.", "length-ratio", "fp", "Korean is shorter"),
    # ---- length-ratio: real problems
    ("django", "ko", "admin", None, "Your username, in case you’ve forgotten:", "length-ratio", "tp", "half the sentence missing"),
    ("django", "ru", "conf", None, "More information is available with DEBUG=True.", "length-ratio", "tp", "a second sentence added"),
]


def catalogue_path(root: Path, corpus: str, language: str, catalogue: str) -> Path:
    if corpus == "sphinx":
        return root / "locale" / language / "LC_MESSAGES" / "sphinx.po"
    if catalogue == "conf":
        return root / "conf" / "locale" / language / "LC_MESSAGES" / "django.po"
    return root / "contrib" / catalogue / "locale" / language / "LC_MESSAGES" / "django.po"


def main(argv: list[str]) -> int:
    roots = {"django": Path(argv[0]), "sphinx": Path(argv[1])}
    outputs: dict[tuple[str, str], polib.POFile] = {}
    for corpus, language, catalogue, msgctxt, msgid, check, verdict, why in JUDGED:
        source = polib.pofile(str(catalogue_path(roots[corpus], corpus, language, catalogue)))
        entry = next((e for e in source if e.msgid == msgid and e.msgctxt == msgctxt and not e.obsolete), None)
        if entry is None:
            raise SystemExit(f"not found: {corpus} {language} {catalogue} {msgctxt!r} {msgid!r}")
        key = (corpus, language)
        if key not in outputs:
            po = polib.POFile(wrapwidth=0)
            fields = ("Project-Id-Version", "PO-Revision-Date", "Last-Translator", "Language-Team", "Language")
            po.metadata = {field: source.metadata.get(field, "") for field in fields}
            po.metadata.update({
                "MIME-Version": "1.0",
                "Content-Type": "text/plain; charset=UTF-8",
                "Content-Transfer-Encoding": "8bit",
                "Plural-Forms": source.metadata.get("Plural-Forms", ""),
            })
            po.header = f"Entries copied from {corpus} ({source.metadata.get('Project-Id-Version', '')}), BSD licence; see SOURCES.md."
            outputs[key] = po
        po = outputs[key]
        copy = po.find(msgid, msgctxt=msgctxt) if msgctxt else po.find(msgid)
        if copy is None or copy.msgctxt != msgctxt:
            copy = polib.POEntry(msgctxt=msgctxt, msgid=entry.msgid, msgstr=entry.msgstr,
                                 msgid_plural=entry.msgid_plural, msgstr_plural=dict(entry.msgstr_plural),
                                 occurrences=[(f"{catalogue}.po", str(entry.linenum))])
            po.append(copy)
        copy.tcomment = "\n".join(filter(None, [copy.tcomment, f"judged: {check} {verdict} ({why})"]))
    OUT.mkdir(parents=True, exist_ok=True)
    for (corpus, language), po in sorted(outputs.items()):
        po.save(str(OUT / f"{corpus}-{language}.po"))
    print(f"{len(JUDGED)} judgements in {len(outputs)} files under {OUT}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
