"""The pseudo-localisation engine: deterministic, readable, lengthened, spans intact."""

from __future__ import annotations

import polib

from pipeline.gettext.catalogue import is_machine
from pipeline.engines import get_engine
from pipeline.article.protect import find_spans, verbatim_spans
from pipeline.engines.fill import fill_catalogues


def test_pseudo_is_deterministic_accented_and_longer():
    engine = get_engine("pseudo")
    sentence = "The footage shows heavy gunfire."
    first = engine.translate_batch([sentence], source="en", target="uk")
    assert first == engine.translate_batch([sentence], source="en", target="uk")
    assert first[0].startswith("[Ŧĥê ƒööţåĝê ŝĥöŵŝ") and first[0].endswith("~]")
    assert len(first[0]) > len(sentence) * 1.2


def test_pseudo_keeps_protected_spans():
    sentence = "Russia lost 61,330 personnel, says @GeneralStaffUA at https://example.org/x_y or press@example.org."
    output = get_engine("pseudo").translate_batch([sentence], source="en", target="de")[0]
    for span in verbatim_spans(sentence):
        assert span.text in output
    # A number is written as the target locale writes it, so the numbers check agrees.
    assert "61.330" in output and "61,330" not in output
    from pipeline.checks import check_entry

    entry = polib.POEntry(msgid=sentence, msgstr=output)
    assert not [f for f in check_entry(entry, language="de", checks=["numbers", "protected"])]


def test_translate_stage_marks_output_fuzzy_with_provenance_and_spares_humans():
    po = polib.POFile()
    po.append(polib.POEntry(msgid="Human one.", msgstr="Людський переклад."))
    po.append(polib.POEntry(msgid="Reviewed but fuzzy.", msgstr="Людський, нечіткий.", flags=["fuzzy"]))
    po.append(polib.POEntry(msgid="Missing one, see @NGU.", msgstr=""))
    result = fill_catalogues([po], get_engine("pseudo"), source="en", target="uk")
    assert result.entries == 1
    filled = po.find("Missing one, see @NGU.")
    assert filled.fuzzy and is_machine(filled) and "@NGU" in filled.msgstr
    assert filled.tcomment.startswith("machine translation: pseudo")
    assert po.find("Human one.").msgstr == "Людський переклад."
    assert po.find("Reviewed but fuzzy.").msgstr == "Людський, нечіткий."
    again = fill_catalogues([po], get_engine("pseudo"), source="en", target="uk", refresh_mt=True)
    assert again.entries == 1 and po.find("Reviewed but fuzzy.").msgstr == "Людський, нечіткий."


def test_masks_round_trip_and_literal_mask_text_is_left_alone():
    from pipeline.article.protect import mask, unmask

    masked, originals = mask("Mail press@example.org or see https://example.org/a_b.")
    assert originals == ["press@example.org", "https://example.org/a_b"] and "⟦1⟧" in masked
    assert unmask(masked, originals) == ("Mail press@example.org or see https://example.org/a_b.", [])
    assert unmask(masked.replace("⟦1⟧", ""), originals)[1] == ["https://example.org/a_b"]
    literal = "The symbol ⟦0⟧ appears in @someone's post."
    assert mask(literal) == (literal, [])
