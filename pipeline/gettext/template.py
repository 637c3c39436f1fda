"""Extract an article's sentences into a gettext template (POT)."""

from __future__ import annotations

from pathlib import Path

import polib

from pipeline.article import Article
from pipeline.gettext.catalogue import format_catalogue, read_catalogue, timestamp, write_catalogue
from pipeline.article.protect import find_spans

PROTECTED_PREFIX = "protected: "


def build_template(articles: list[Article], *, creation_date: str | None = None) -> polib.POFile:
    """One POT entry per distinct sentence, in order of first appearance.

    References point at the sentence's line; extracted comments give the
    role(s) and the spans (numbers, @handles, URLs) that must survive.
    """
    pot = polib.POFile(wrapwidth=79)
    pot.header = "Sentences of newsroom articles, extracted by `pipeline extract`."
    pot.metadata = {
        "Project-Id-Version": articles[0].domain if articles else "PACKAGE VERSION",
        "Report-Msgid-Bugs-To": "",
        "POT-Creation-Date": creation_date or timestamp(),
        "PO-Revision-Date": "YEAR-MO-DA HO:MI+ZONE",
        "Last-Translator": "FULL NAME <EMAIL@ADDRESS>",
        "Language-Team": "LANGUAGE <LL@li.org>",
        "Language": "",
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
    }
    entries: dict[str, polib.POEntry] = {}
    roles: dict[str, list[str]] = {}
    for article in articles:
        for segment in article.segments:
            entry = entries.get(segment.msgid)
            if entry is None:
                entry = entries[segment.msgid] = polib.POEntry(msgid=segment.msgid, msgstr="")
                roles[segment.msgid] = []
                pot.append(entry)
            entry.occurrences.append((article.path, str(segment.line)))
            if segment.role not in roles[segment.msgid]:
                roles[segment.msgid].append(segment.role)
    for msgid, entry in entries.items():
        lines = [", ".join(roles[msgid])]
        spans = find_spans(msgid)
        if spans:
            lines.append(PROTECTED_PREFIX + " | ".join(span.text for span in spans))
        entry.comment = "\n".join(lines)
    return pot


def write_template(articles: list[Article], path: Path) -> bool:
    """Write the POT for *articles* at *path*; return False when nothing changed.

    The creation date of an existing template is kept unless its entries
    change, so re-extracting unchanged input leaves the file untouched.
    """
    template = build_template(articles)
    if path.exists():
        old = read_catalogue(path)
        now = template.metadata["POT-Creation-Date"]
        template.metadata["POT-Creation-Date"] = old.metadata.get("POT-Creation-Date", "")
        if format_catalogue(template) != format_catalogue(old):
            template.metadata["POT-Creation-Date"] = now  # the entries changed: a new template
    return write_catalogue(template, path)
