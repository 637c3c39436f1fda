"""Marking a preview: every format says "draft, not for publication", and it lives apart from what is published.

A preview is written under `<domain>/preview/<lang>/`, never under the
published `<domain>/<lang>/`, and is left out of the archive. The formats
the pipeline ships are marked in their own syntax (a first line in txt and
Markdown, a banner and `noindex` in HTML; json and mo carry it in their
data, see `bundle.build`); a format registered from outside is marked by its
place alone.
"""

from __future__ import annotations

from pipeline.bundle.build import DRAFT_NOTICE

PREVIEW_FOLDER = "preview"
"""`<domain>/preview/<lang>/<domain>.<format>`: where a language that is not published gets its draft."""

_BANNER_STYLE = "background:#fff3cd;color:#664d03;border:2px solid #997404;padding:.6rem 1rem;font:700 1rem system-ui,sans-serif"


def relative_path(code: str, domain: str, name: str, *, draft: bool) -> str:
    """Where format *name* of language *code* goes inside the bundle folder (a preview apart)."""
    return f"{PREVIEW_FOLDER}/{code}/{domain}.{name}" if draft else f"{code}/{domain}.{name}"


def mark_draft(name: str, data: bytes) -> bytes:
    """*data* (format *name*) marked as a draft in that format's own syntax; other formats unchanged."""
    if name == "txt":
        bom = b"\xef\xbb\xbf" if data.startswith(b"\xef\xbb\xbf") else b""
        newline = b"\r\n" if b"\r\n" in data else b"\n"
        return bom + f"[{DRAFT_NOTICE}]".encode() + newline + newline + data[len(bom):]
    if name == "md":
        return f"> **{DRAFT_NOTICE}**\n\n".encode() + data
    if name == "html":
        text = data.decode("utf-8")
        text = text.replace("<head>\n", '<head>\n<meta name="robots" content="noindex">\n', 1)
        banner = f'<p role="note" class="draft" style="{_BANNER_STYLE}">{DRAFT_NOTICE}</p>\n'
        text = text.replace("<body>\n", "<body>\n" + banner, 1)
        return text.encode("utf-8")
    return data
