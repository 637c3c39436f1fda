"""The review page: where every language of one article stands, sentence by sentence.

`review_data` gathers plain data (the same counts `pipeline status` gives, the
QA findings, the provenance written in each entry's comments, the bundle's
manifest); `render_review` turns it into one self-contained HTML page: no
network, no external asset, CSS and script inline, printable. Every string
from a catalogue or an article is escaped, and no catalogue text is ever
placed inside the script, so a msgstr holding `<script>` shows as text.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from datetime import datetime, timezone

import polib

from pipeline.article import Article
from pipeline.gettext.provenance import BACK_MARK, DIGEST_MARK, MT_MARK, REVIEW_MARK, TM_MARK, comment_lines, engine_wrote, is_machine
from pipeline.gettext.provenance import notes as _comment_values
from pipeline.gettext.languages import Language
from pipeline.gettext.stats import CatalogueStats
from pipeline.wording import counted


# state id → (words, symbol); the colour comes from CSS, never alone
STATES = {
    "reviewed": ("reviewed", "✓"),
    "memory": ("from memory, to review", "◐"),
    "machine": ("machine suggestion, to review", "⚙"),
    "fuzzy": ("fuzzy, to review", "≈"),
    "missing": ("missing", "∅"),
    "failing": ("fails a check", "✗"),
}
NEEDS_WORK = {"memory", "machine", "fuzzy", "missing", "failing"}
_MARKS = (MT_MARK, TM_MARK, REVIEW_MARK, BACK_MARK, DIGEST_MARK)  # the pipeline's own comment lines


@dataclass
class SentenceView:
    """One source sentence and its translation in one language, with what is known about it."""

    source: str
    target: str
    state: str
    findings: list = field(default_factory=list)  # checks.Finding, as the gate saw them
    provenance: list[str] = field(default_factory=list)  # "argos translate-en_uk … v1.9 (beam 4, int8)"
    memory: str | None = None  # "82% match"
    back_translation: str | None = None  # "61.2 (…)"
    location: str | None = None  # "locale/uk/LC_MESSAGES/article.po:37"
    previous_source: str | None = None  # the `#| msgid` of a fuzzy entry: the English it was translated from
    comments: list[str] = field(default_factory=list)  # the translator's own comment lines
    review_notes: list[str] = field(default_factory=list)  # `# needs review:` notes
    printed: str = ""  # what the bundle prints for this sentence
    prints_source: bool = True  # the bundle prints the source (no usable translation, or held back)
    edited_suggestion: bool = False  # a machine suggestion a person has changed since (left alone by engines)


@dataclass
class BlockView:
    """One block of the article (headline, paragraph, caption) with its sentences in one language."""

    role: str
    caption_credit: str | None
    sentences: list[SentenceView]


@dataclass
class LanguageView:
    """One language's tab: counts (as `pipeline status`), whether it was bundled, the article."""

    language: Language
    text_direction: str
    stats: CatalogueStats | None
    failed_checks: int
    from_memory: int
    bundled: bool | None  # None: no current bundle
    bundle_note: str
    blocks: list[BlockView]
    problem: str = ""  # why the catalogue cannot be used (file:line, what to do), when it cannot


@dataclass
class ReviewData:
    """Everything the review page shows: the article, each language's view, when the page was written."""

    article: Article
    languages: list[LanguageView]
    generated_at: str


def sentence_state(entry: polib.POEntry | None, findings) -> str:
    """The state a sentence is shown in: missing, machine, memory, fuzzy, failing or reviewed."""
    if entry is None or not entry.msgstr:
        return "missing"
    if entry.fuzzy:
        if is_machine(entry):
            return "machine"
        if any(line.startswith(TM_MARK) for line in entry.tcomment.splitlines()):
            return "memory"
        return "fuzzy"
    if any(f.severity == "error" for f in findings):
        return "failing"
    return "reviewed"


def language_view(
    article: Article,
    po: polib.POFile | None,
    language: Language,
    *,
    stats: CatalogueStats | None,
    failed_checks: int,
    findings,
    location: str,
    manifest: dict | None,
    problem: str = "",
    use_fuzzy: bool = False,
    publish_failing: bool = False,
) -> LanguageView:
    """Build one language's view of *article* from its catalogue, its QA findings and the bundle manifest.

    *findings* are the catalogue's (`checks.check_catalogue`, computed once
    by the caller, as for the gate): nothing here checks again. *problem*
    says why the catalogue could not be read (then *po* is None). What the
    bundle prints for each sentence follows the bundle's own rule (the
    gate's `translations` and held-back findings, *use_fuzzy*,
    *publish_failing*).
    """
    from babel import Locale

    from pipeline.bundle.gate import gate_failures, translations

    entries = {e.msgid: e for e in po if e.msgid and not e.obsolete} if po is not None else {}
    usable = translations(po, use_fuzzy=use_fuzzy) if po is not None else {}
    held, _ = gate_failures(findings, usable)
    held_ids = set() if publish_failing else {h.msgid for h in held}
    published = {msgid: text for msgid, text in usable.items() if msgid not in held_ids}
    by_msgid: dict[str, list] = {}
    for finding in findings:
        by_msgid.setdefault(finding.msgid, []).append(finding)
    blocks = []
    for block in article.blocks:
        sentences = []
        for segment in block.segments:
            entry = entries.get(segment.msgid)
            found = list(by_msgid.get(segment.msgid, []))
            state = sentence_state(entry, found)
            memory = _comment_values(entry, TM_MARK)
            back = _comment_values(entry, BACK_MARK)
            printed = published.get(segment.msgid)
            sentences.append(
                SentenceView(
                    source=segment.msgid,
                    target=entry.msgstr if entry is not None else "",
                    state=state,
                    findings=found,
                    provenance=_comment_values(entry, MT_MARK),
                    memory=memory[0] if memory else None,
                    back_translation=back[0] if back else None,
                    location=f"{location}:{entry.linenum}" if entry is not None and entry.linenum else None,
                    previous_source=entry.previous_msgid if entry is not None and entry.fuzzy and entry.previous_msgid else None,
                    comments=[line for line in comment_lines(entry) if not line.startswith(_MARKS)] if entry is not None else [],
                    review_notes=_comment_values(entry, REVIEW_MARK),
                    printed=printed if printed is not None else segment.msgid,
                    prints_source=printed is None,
                    edited_suggestion=entry is not None and is_machine(entry) and not engine_wrote(entry)
                    and bool(_comment_values(entry, DIGEST_MARK)),
                )
            )
        blocks.append(BlockView(block.role, block.caption_credit, sentences))
    from_memory = sum(1 for e in entries.values() if _comment_values(e, TM_MARK))
    bundled, note = None, "no bundle of this article yet (run `pipeline bundle`)"
    if manifest and manifest.get("source_sha256") == article.sha256:
        entry = next((e for e in manifest.get("languages", []) if isinstance(e, dict) and e.get("code") == language.code), None)
        if entry is not None:
            bundled = bool(entry.get("bundled"))
            held = len(entry.get("held_back") or [])
            state = entry.get("state") or ("published" if bundled else "preview")
            if bundled:
                note = "published"
                if held:
                    note += f"; {counted(held, 'failing translation')} held back"
            else:
                note = f"{state}: {entry.get('reason') or ''}".strip()
            if entry.get("stale"):
                note += f" (stale: {entry.get('stale_reason') or 'built by an earlier run'})"
    elif manifest:
        note = "the bundle is of an older version of the article"
    if problem:
        bundled, note = False, f"not bundled: the catalogue cannot be used: {problem}"
    return LanguageView(
        language=language,
        text_direction=Locale.parse(language.code).text_direction,
        stats=stats,
        failed_checks=failed_checks,
        from_memory=from_memory,
        bundled=bundled,
        bundle_note=note,
        blocks=blocks,
        problem=problem,
    )


# --- rendering ------------------------------------------------------------------

_CSS = """
:root{--reviewed:#1a7f37;--memory:#8250df;--machine:#0969da;--fuzzy:#9a6700;--missing:#6e7781;--failing:#cf222e}
*{box-sizing:border-box}
body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans",sans-serif;margin:0;color:#1f2328;background:#fff}
header,main{padding:0 1.5rem}
header{border-bottom:1px solid #d0d7de;padding-bottom:.75rem}
h1{font-size:1.35rem;margin:1rem 0 .25rem}h2{font-size:1.15rem;margin:1rem 0 .5rem}
.meta{color:#57606a;font-size:.85rem}
table.summary{border-collapse:collapse;margin:.75rem 0;font-size:.9rem;width:100%}
.summary th,.summary td{border-bottom:1px solid #d0d7de;padding:.3rem .6rem;text-align:right;white-space:nowrap}
.summary th:first-child,.summary td:first-child{text-align:left}
.summary td.note{text-align:left;white-space:normal;color:#57606a;min-width:12rem;max-width:24rem}
.summary th{white-space:normal;vertical-align:bottom;font-size:.85rem}
.table-scroll{overflow-x:auto;max-width:100%;-webkit-overflow-scrolling:touch}
.bar{display:inline-block;width:8rem;height:.7rem;background:#eaeef2;border-radius:4px;vertical-align:middle;overflow:hidden;border:1px solid #d0d7de}
.bar>span{display:block;height:100%;background:var(--reviewed)}
.yes{color:var(--reviewed);font-weight:600}.no{color:var(--failing);font-weight:600}
.controls{margin:.75rem 0;display:flex;gap:1rem;align-items:center;flex-wrap:wrap}
nav.tabs{display:flex;gap:.25rem;flex-wrap:wrap;border-bottom:1px solid #d0d7de;margin-top:.5rem}
nav.tabs button{font:inherit;border:1px solid #d0d7de;border-bottom:none;background:#f6f8fa;padding:.35rem .8rem;border-radius:6px 6px 0 0;cursor:pointer}
nav.tabs button[aria-selected=true]{background:#fff;font-weight:600;position:relative;top:1px}
.js section.language[hidden]{display:none}
.block{margin:.9rem 0;border-left:3px solid #d0d7de;padding-left:.75rem}
.block.headline .source,.block.headline .target{font-weight:700;font-size:1.05rem}
.block.caption{border-left-color:#8c959f;background:#f6f8fa}
.role{font-size:.72rem;text-transform:uppercase;letter-spacing:.05em;color:#57606a}
.credit{font-size:.85rem;color:#57606a;margin:.2rem 0 .4rem}
.sentence{display:grid;grid-template-columns:1fr 1fr;gap:.2rem 1rem;padding:.45rem .5rem;margin:.3rem 0;border-radius:6px;border-left:6px solid var(--c);background:color-mix(in srgb,var(--c) 7%,white);break-inside:avoid}
.sentence .details{grid-column:1/-1;font-size:.82rem;color:#57606a}
.state{font-weight:600;color:var(--c);white-space:nowrap}
.s-reviewed{--c:var(--reviewed)}.s-memory{--c:var(--memory)}.s-machine{--c:var(--machine)}
.s-fuzzy{--c:var(--fuzzy)}.s-missing{--c:var(--missing)}.s-failing{--c:var(--failing)}
.source,.target{white-space:pre-wrap}
.target.empty{color:#6e7781;font-style:italic}
ul.findings{margin:.2rem 0;padding-left:1.1rem}
.sev-error{color:var(--failing);font-weight:600}.sev-warning{color:var(--fuzzy);font-weight:600}
code.loc{background:#eaeef2;padding:0 .3rem;border-radius:4px}
button.copy{font:inherit;font-size:.75rem;padding:0 .4rem;margin-left:.3rem;cursor:pointer}
.legend{display:flex;flex-wrap:wrap;gap:.2rem .9rem}.legend span{white-space:nowrap}
.change,.comments,.review-note,.prints{margin-top:.2rem}
.diff del{background:#ffebe9;color:#82071e}.diff ins{background:#dafbe1;color:#116329;text-decoration:none}
.review-note{color:var(--failing)}.prints.source-printed{color:#9a6700}.edited{color:var(--fuzzy);font-weight:600}
.source,.target,.details{overflow-wrap:anywhere;min-width:0}
@media (max-width:640px){header,main{padding:0 .6rem}.sentence{grid-template-columns:1fr}
h1{font-size:1.15rem}.bar{width:4rem}nav.tabs button{padding:.3rem .5rem}}
body.needs-work-only .sentence:not(.needs-work),body.needs-work-only .block:not(.has-work){display:none}
@media print{.controls,nav.tabs,button.copy{display:none}.js section.language[hidden]{display:block}
section.language{break-before:page}.sentence{background:none}}
"""

_SCRIPT = """
document.documentElement.classList.add('js');
(function(){
  var tabs=document.querySelectorAll('nav.tabs button');
  function show(id){
    document.querySelectorAll('section.language').forEach(function(s){s.hidden=(s.id!==id);});
    tabs.forEach(function(t){t.setAttribute('aria-selected',String(t.dataset.target===id));});
  }
  tabs.forEach(function(t){t.addEventListener('click',function(){show(t.dataset.target);});});
  var wanted=location.hash.slice(1);
  var first=document.getElementById(wanted)&&wanted.indexOf('lang-')===0?wanted:(tabs.length?tabs[0].dataset.target:null);
  if(first){show(first);}
  var filter=document.getElementById('needs-work');
  function apply(){document.body.classList.toggle('needs-work-only',filter.checked);}
  if(filter){
    if(wanted==='needs-work'){filter.checked=true;window.scrollTo(0,0);}
    filter.addEventListener('change',apply);apply();
  }
  document.querySelectorAll('button.copy').forEach(function(b){
    b.addEventListener('click',function(){
      var text=b.dataset.location;
      function fallback(){var a=document.createElement('textarea');a.value=text;document.body.appendChild(a);a.select();
        try{document.execCommand('copy');}catch(e){}document.body.removeChild(a);}
      if(navigator.clipboard){navigator.clipboard.writeText(text).catch(fallback);}else{fallback();}
      b.textContent='copied';setTimeout(function(){b.textContent='copy';},1500);
    });
  });
})();
"""


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def _shown(text: str) -> str:
    """Catalogue text escaped, with each invisible or control character shown as a visible mark (`[U+202E]`).

    The mark replaces the character, so a right-to-left override cannot
    reorder what the reviewer reads (see :mod:`pipeline.checks.invisible`).
    """
    from pipeline.checks.invisible import describe, is_invisible

    if not any(is_invisible(char) for char in text):
        return _e(text)
    return "".join(
        f'<mark class="invisible" style="font-family:monospace" title="{_e(describe(char))}">[U+{ord(char):04X}]</mark>' if is_invisible(char) and char != "\n" else _e(char)
        for char in text
    )


def _html_lang(code: str) -> str:
    return code.replace("_", "-")


def _summary_row(view: LanguageView) -> str:
    s = view.stats
    lang = view.language
    if s is None:
        cells = f'<td colspan="8">{"catalogue unreadable" if view.problem else "no catalogue"}</td>'
    else:
        counts = [
            ("translated", s.translated.entries),
            ("from_memory", view.from_memory),
            ("fuzzy_machine", s.fuzzy_machine.entries),
            ("fuzzy_human", s.fuzzy_human.entries),
            ("untranslated", s.untranslated.entries),
            ("failed_checks", view.failed_checks),
            ("total", s.total.entries),
        ]
        cells = (
            f'<td><span class="bar" role="img" aria-label="{s.completeness:.1f}% reviewed"><span style="width:{min(100.0, s.completeness):.1f}%"></span></span>'
            f' <span class="count" data-count="completeness">{s.completeness:.1f}</span>%</td>'
            + "".join(f'<td><span class="count" data-count="{key}">{value}</span></td>' for key, value in counts)
        )
    if view.bundled is None:
        bundled = '<td class="bundled" data-bundled="unknown">—</td>'
    elif view.bundled:
        bundled = '<td class="bundled yes" data-bundled="yes">✓ published</td>'
    else:
        bundled = '<td class="bundled no" data-bundled="no">✗ not published</td>'
    return (
        f'<tr class="language-summary" data-language="{_e(lang.code)}"><td><a href="#lang-{_e(lang.code)}">{_e(lang.code)}</a> '
        f'<span lang="{_e(_html_lang(lang.code))}" dir="{_e(view.text_direction)}">{_e(lang.native_name)}</span></td>'
        f'{cells}{bundled}<td class="note">{_e(view.bundle_note)}</td></tr>'
    )


def _sentence(view: LanguageView, sentence: SentenceView, source_language: str) -> str:
    words, symbol = STATES[sentence.state]
    classes = f"sentence s-{sentence.state}" + (" needs-work" if sentence.state in NEEDS_WORK else "")
    lang = _html_lang(view.language.code)
    target = (
        f'<div class="target" lang="{_e(lang)}" dir="{_e(view.text_direction)}">{_shown(sentence.target)}</div>'
        if sentence.target
        else f'<div class="target empty" lang="{_e(lang)}" dir="{_e(view.text_direction)}">(no translation: the bundle uses the source)</div>'
    )
    details = [f'<span class="state" data-state="{_e(sentence.state)}">{symbol} {_e(words)}</span>']
    if sentence.edited_suggestion:
        details.append(' · <span class="edited">edited by a person since the engine wrote it (engines leave it alone)</span>')
    if sentence.location:
        details.append(
            f' · <code class="loc">{_e(sentence.location)}</code><button type="button" class="copy" data-location="{_e(sentence.location)}">copy</button>'
        )
    if sentence.provenance:
        details.append(" · machine translation: " + "; ".join(_e(p) for p in sentence.provenance))
    if sentence.memory:
        details.append(f" · translation memory: {_e(sentence.memory)}")
    if sentence.back_translation:
        details.append(f" · back-translation chrF: {_e(sentence.back_translation)}")
    extra = []
    if sentence.previous_source is not None and sentence.previous_source != sentence.source:
        extra.append(f'<div class="change">the English changed: <span class="diff">{word_diff(sentence.previous_source, sentence.source)}</span></div>')
    if sentence.comments:
        extra.append('<div class="comments">translator’s comment: ' + " / ".join(_e(c) for c in sentence.comments) + "</div>")
    for note in sentence.review_notes:
        extra.append(f'<div class="review-note">needs review: {_e(note)}</div>')
    if sentence.prints_source:
        extra.append(f'<div class="prints source-printed">the bundle prints the English source: <span lang="{_e(_html_lang(source_language))}">{_e(sentence.printed)}</span></div>')
    else:
        extra.append(f'<div class="prints">the bundle prints: <span lang="{_e(lang)}" dir="{_e(view.text_direction)}">{_e(sentence.printed)}</span></div>')
    details.append("".join(extra))
    if sentence.findings:
        items = "".join(
            f'<li><span class="sev-{_e(f.severity)}">{_e(f.severity)}</span> [<code>{_e(f.check)}</code>] {_e(f.message)}</li>'
            for f in sentence.findings
        )
        details.append(f'<ul class="findings">{items}</ul>')
    return (
        f'<div class="{classes}" data-state="{_e(sentence.state)}">'
        f'<div class="source" lang="{_e(_html_lang(source_language))}">{_shown(sentence.source)}</div>{target}'
        f'<div class="details">{"".join(details)}</div></div>'
    )


def word_diff(old: str, new: str) -> str:
    """An HTML word diff of *old* against *new* (`<del>` removed, `<ins>` added), every word escaped."""
    import difflib
    import re

    a, b = re.findall(r"\S+|\s+", old), re.findall(r"\S+|\s+", new)
    parts = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            parts.append(_e("".join(a[i1:i2])))
            continue
        if i2 > i1:
            parts.append(f"<del>{_e(''.join(a[i1:i2]))}</del>")
        if j2 > j1:
            parts.append(f"<ins>{_e(''.join(b[j1:j2]))}</ins>")
    return "".join(parts)


def _language_section(view: LanguageView, source_language: str) -> str:
    lang = view.language
    parts = [
        f'<section class="language" id="lang-{_e(lang.code)}" data-language="{_e(lang.code)}">',
        f'<h2>{_e(lang.english_name)} · <span lang="{_e(_html_lang(lang.code))}" dir="{_e(view.text_direction)}">{_e(lang.native_name)}</span> ({_e(lang.code)})</h2>',
    ]
    for block in view.blocks:
        work = " has-work" if any(s.state in NEEDS_WORK for s in block.sentences) else ""
        parts.append(f'<div class="block {_e(block.role)}{work}"><div class="role">{_e(block.role)}</div>')
        parts.extend(_sentence(view, s, source_language) for s in block.sentences)
        if block.caption_credit:
            parts.append(f'<div class="credit">credit (never translated): {_e(block.caption_credit)}</div>')
        parts.append("</div>")
    parts.append("</section>")
    return "\n".join(parts)


def render_review(data: ReviewData, *, source_language: str = "en") -> str:
    """The review page as one self-contained HTML document."""
    article = data.article
    headline = next((s.msgid for b in article.blocks if b.role == "headline" for s in b.segments), article.domain)
    legend = "".join(
        f'<span class="s-{key}"><span class="state">{symbol} {_e(words)}</span></span>' for key, (words, symbol) in STATES.items()
    )
    rows = "\n".join(_summary_row(v) for v in data.languages)
    tabs = "".join(
        f'<button type="button" role="tab" data-target="lang-{_e(v.language.code)}" aria-selected="false">{_e(v.language.code)} · {_e(v.language.english_name)}</button>'
        for v in data.languages
    )
    sections = "\n".join(_language_section(v, source_language) for v in data.languages)
    return f"""<!DOCTYPE html>
<html lang="en" dir="ltr">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="pipeline-languages" content="{_e(",".join(v.language.code for v in data.languages))}">
<title>Review: {_e(headline)}</title>
<style>{_CSS}</style>
</head>
<body>
<header>
<h1>Review: <span lang="{_e(_html_lang(source_language))}">{_e(headline)}</span></h1>
<div class="meta">Source <code>{_e(article.path)}</code> · SHA-256 {_e(article.sha256[:12])}… · {counted(len(article.segments), 'sentence')} · page written {_e(data.generated_at)}</div>
<div class="table-scroll" tabindex="0" role="region" aria-label="Where each language stands">
<table class="summary">
<thead><tr><th>language</th><th>complete</th><th>reviewed</th><th>from memory</th><th>machine</th><th>fuzzy</th><th>missing</th><th>failing checks</th><th>entries</th><th>published</th><th>state</th></tr></thead>
<tbody>
{rows}
</tbody>
</table>
</div>
<div class="meta">Counts are catalogue entries, as <code>pipeline status</code> gives them; “from memory” counts entries answered by the translation memory that still carry its note; “failing checks” counts error findings on reviewed entries.</div>
<div class="controls"><label><input type="checkbox" id="needs-work"> show only sentences that need work (to review, missing, failing; link: <code>review.html#needs-work</code>)</label>
<span class="legend">{legend}</span></div>
<nav class="tabs" role="tablist">{tabs}</nav>
</header>
<main>
{sections}
</main>
<script>{_SCRIPT}</script>
</body>
</html>
"""


def now_text() -> str:
    """The current UTC time as the page shows it (ISO 8601, seconds)."""
    return datetime.now(timezone.utc).isoformat(timespec="seconds")
