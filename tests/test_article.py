"""Reading and segmenting articles; the identity round trip is byte-exact."""

from __future__ import annotations

import pytest

from pipeline.article import BOM, encode, parse_article, render
from pipeline.errors import SourceError

from conftest import SEED


def identity(data: bytes, **kwargs) -> bytes:
    article = parse_article(data, path="test.txt", **kwargs)
    return encode(article, render(article, {}))


def test_seed_round_trip_is_byte_exact():
    data = SEED.read_bytes()
    assert not data.endswith(b"\n")
    assert identity(data) == data


def test_seed_structure():
    article = parse_article(SEED.read_bytes(), path="seeds/article.txt")
    roles = [block.role for block in article.blocks]
    assert roles[0] == "headline"
    assert roles.count("caption") == 4
    assert article.blocks[0].segments[0].msgid.startswith("Heavy Gunfire As Patrolling")
    for block in article.blocks:
        if block.role == "caption":
            assert block.caption_credit == "(@NGUmainpage/Newsflash)"
            assert all("@NGUmainpage" not in s.msgid for s in block.segments)
    repeated = "Guardsmen of the battalion named after General Kulchytsky conducted stabilization operation."
    assert [s.line for s in article.segments if s.msgid == repeated] == [13, 21, 33, 45]


GENERATED = {
    "crlf": "Headline here\r\n\r\nFirst sentence. Second one.\r\n\r\nA caption. (Photo: Jane Doe/Reuters)\r\n",
    "bom": "\ufeffHeadline\n\nBody text. More text.\n",
    "no-final-newline": "Headline\n\nBody text without a final newline.",
    "hard-wrapped": "Headline\n\nThis paragraph is hard\nwrapped across lines. It has\ntwo sentences.\n\n  Indented paragraph.   \n",
    "repeated": "Head\n\nSame sentence. Other.\n\nSame sentence.\n\nSame sentence. (@NGUmainpage/Newsflash)\n",
    "blank-runs": "\n\n  Head  \n\n\n\nBody.\n\n\n",
    "credits": "H\n\nA photo. (Photo: Jane Doe/Reuters)\n\nAnother. (@Someone/Agency)\n",
    "crlf-wrapped": "H\r\n\r\nWrapped\r\nsentence here. And\r\nanother.\r\n",
}


@pytest.mark.parametrize("name", sorted(GENERATED))
def test_generated_round_trip_is_byte_exact(name):
    text = GENERATED[name]
    data = text.encode("utf-8") if not text.startswith("\ufeff") else BOM + text[1:].encode("utf-8")
    assert identity(data) == data


def test_bom_is_remembered_not_translated():
    article = parse_article(BOM + b"Headline\n\nBody.\n", path="t.txt")
    assert article.bom and article.segments[0].msgid == "Headline"


def test_hard_wrapped_sentence_is_folded_and_rewrapped_on_translation():
    data = b"H\n\nThis paragraph is hard\nwrapped across lines.\n"
    article = parse_article(data, path="t.txt")
    assert article.segments[1].msgid == "This paragraph is hard wrapped across lines."
    rendered = render(article, {"This paragraph is hard wrapped across lines.": "Ce paragraphe est coupé en lignes."})
    body = rendered.split("\n\n")[1]
    assert body.rstrip("\n").replace("\n", " ") == "Ce paragraphe est coupé en lignes."
    assert max(len(line) for line in body.splitlines()) <= len("This paragraph is hard wrapped")


def test_both_credit_styles_make_captions():
    article = parse_article(GENERATED["credits"].encode(), path="t.txt")
    captions = [b for b in article.blocks if b.role == "caption"]
    assert [c.caption_credit for c in captions] == ["(Photo: Jane Doe/Reuters)", "(@Someone/Agency)"]
    rendered = render(article, {"A photo.": "Una foto.", "Another.": "Otra."})
    assert "Una foto. (Photo: Jane Doe/Reuters)" in rendered and "Otra. (@Someone/Agency)" in rendered


def test_credit_patterns_are_configurable():
    data = b"H\n\nA picture. [Credit AP]\n"
    plain = parse_article(data, path="t.txt")
    custom = parse_article(data, path="t.txt", credit_patterns=[r"\[Credit [^\]]+\]"])
    assert [b.role for b in plain.blocks] == ["headline", "body"]
    assert custom.blocks[1].role == "caption" and custom.blocks[1].caption_credit == "[Credit AP]"


def test_abbreviations_do_not_split_sentences():
    data = "H\n\nDr. Smith met U.S. officials, e.g. the No. 5 envoy. “Really? Yes.” she asked. The retreat… is over.".encode()
    msgids = [s.msgid for s in parse_article(data, path="t.txt").segments[1:]]
    assert msgids == [
        "Dr. Smith met U.S. officials, e.g. the No. 5 envoy.",
        "“Really? Yes.” she asked.",
        "The retreat… is over.",
    ]


@pytest.mark.parametrize(
    "data, fragment",
    [
        (b"", "is empty"),
        (b"  \n\t\n", "only whitespace"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "binary"),
        (b"Headline\n\nCaf\xe9 au lait.\n", "offset 13"),
        (b"Headline\n\nBell\x07 here.\n", "U+0007"),
        (b"Headline\rOld Mac line end.\n", "U+000D"),
    ],
)
def test_bad_input_is_one_clear_error(data, fragment):
    with pytest.raises(SourceError) as caught:
        parse_article(data, path="bad.txt")
    message = str(caught.value)
    assert message.startswith("bad.txt") and fragment in message
