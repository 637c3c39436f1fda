"""Genuine Argos Translate packages with random weights, for tests and benchmarks.

Real models cannot be downloaded here, so this module builds ``.argosmodel``
files that argostranslate 1.11 installs and runs exactly as it runs a real
package: a CTranslate2 Transformer (seeded random weights), a SentencePiece
model trained in-process, ``metadata.json`` and an offline sentence splitter.
The output is gibberish in the target language's script, about as many
SentencePiece tokens long as the source sentence.

    from support.testmodels import build_package
    path = build_package(tmp_dir, from_code="en", to_code="uk", size="tiny", seed=0)

    python tests/support/testmodels.py --size base --from en --to uk --out /tmp/models

Sizes
-----
``tiny`` (tests): 2+2 layers, d_model 64, 4 heads, FFN 128, about 800
SentencePiece pieces, float32; builds in about a second, about 1.8 MB.
``base`` (benchmarks): the architecture of real Argos packages: 6+6 layers,
d_model 512, 8 heads, FFN 2048, 50,000 SentencePiece pieces, int8, one
shared source/target embedding and a separate output projection; builds in
about 20 s (2 cores, 0.8 GB RAM), about 95 MB.  Our built-in text
cannot support 50k pieces, so the corpus is padded with a seeded synthetic
corpus (80,000 pseudo-words, Zipf-distributed, 60,000 sentences) and
SentencePiece runs with ``hard_vocab_limit=False``; with these settings it
reaches exactly 50,000 pieces.

Package layout (one top-level folder, as argostranslate expects)::

    translate-en_uk-1_0/
        metadata.json          package_version, argos_version, from/to code+name,
                               type "translate", links [] (argostranslate.package)
        README.md
        sentencepiece.model    argostranslate encodes each sentence to pieces
                               (out_type=str) and decodes with decode_pieces
        model/                 CTranslate2 TransformerSpec: model.bin, config.json,
                               shared_vocabulary.json (= the SentencePiece pieces,
                               ids 0..2 are <unk>, <s>, </s>)
        minisbd/en.onnx        offline sentence splitter (see below)

Offline sentence splitting in argostranslate 1.11 (what we found)
-----------------------------------------------------------------
* ``settings.chunk_type`` comes from ``ARGOS_CHUNK_TYPE`` (read once, at import
  of ``argostranslate.settings``).  The default (``DEFAULT``, mapped to
  ``ARGOSTRANSLATE``) makes ``PackageTranslation`` pick a sentencizer from the
  package: ``StanzaSentencizer`` if ``"stanza" in str(pkg.packaged_sbd_path)``,
  else ``MiniSBDSentencizer``.  ``pkg.packaged_sbd_path`` is
  ``<package>/minisbd`` if that folder exists, else ``<package>/stanza``, else
  ``<package>/spacy``, else ``None``.
* ``MiniSBDSentencizer`` uses the first ``*.onnx`` file in ``<package>/minisbd/``
  if there is one; ``minisbd.models.get_model_file`` returns an existing file
  path unchanged, so nothing is downloaded.  Without that file it asks MiniSBD
  for the language's model, which is downloaded (lazily, at the first
  translation) from GitHub into ``<XDG_DATA_HOME>/argos-translate/minisbd/`` and
  fails offline.
* So a package carrying ``minisbd/<from_code>.onnx`` works offline with the
  default settings: no env var is needed.  The ONNX file must take inputs
  ``units`` (int64 [batch, time], character ids in the vocabulary stored in the
  model's metadata) and ``features`` (float32 [batch, time, n_feats]) and return
  per-character logits [batch, time, >=3] (argmax 0: inside a token, 1: end of
  token, 2: end of sentence); the metadata props ``config`` (JSON, non-empty),
  ``vocab`` (a stanza Vocab state dict) and ``lexicon`` describe the rest.
  The ``onnx`` package is not installed, so :func:`_minisbd_onnx` writes the
  protobuf by hand: a 7-node graph (Slice, Pad, Gather, Add, Mul).
  **Its rule:** a sentence ends at ``.``, ``!``, ``?``, ``…``, ``。``, ``！`` or
  ``？`` that is followed by whitespace or by the end of the paragraph (so a
  run like ``...`` ends at its last dot; ``e.g. x`` and ``Mr. Smith`` are split,
  ``3.14`` and ``"Hi." Then`` are not); each sentence is the text from its first
  to its last non-blank character.  argostranslate splits paragraphs on
  ``"\\n"`` before calling the splitter.
* Settings that do NOT work offline: ``ARGOS_CHUNK_TYPE=NONE`` makes
  ``PackageTranslation.__init__`` raise ``NotImplementedError`` and
  ``get_installed_languages`` silently skips the package (translate() then
  fails with AttributeError on None); ``MINISBD`` without the packaged file
  downloads; ``SPACY`` calls ``cache_spacy()`` at import of
  ``argostranslate.sbd`` (a ``spacy download``); ``STANZA`` / a packaged
  ``stanza/`` folder make stanza fetch ``resources.json``.
* Pitfall: the sentencizer choice tests a substring of the *whole path*: if the
  packages folder's path contains ``stanza`` (e.g. a pytest tmp dir named after
  a test with "stanza" in its name), argostranslate uses Stanza even though the
  package carries ``minisbd/``.
* Importing ``argostranslate.settings`` creates folders under ``XDG_DATA_HOME``,
  ``XDG_CONFIG_HOME``, ``XDG_CACHE_HOME`` (default ``~/.local/share``,
  ``~/.config``, ``~/.local/cache``) and ``ARGOS_PACKAGES_DIR``; all are read
  once, at import.  Importing ``argostranslate.translate`` imports stanza, torch
  and spacy (a few seconds).

Length control ("EOS head")
---------------------------
Random weights almost never emit ``</s>``, so every sentence would decode to the
256-token cap.  The weights carry a deterministic length head instead, using a
few reserved residual dimensions that the random sublayers neither read (their
layer-norm gamma is 0 there) nor write (their output rows are 0 there):

* encoder: the position table holds ``+a*pos`` and ``-a*pos`` in dims P+ and P-;
  the last encoder FFN's output bias writes ``+M``/``-M`` into two more dims so
  that the final layer norm divides every token by (almost) the same constant;
  the final gamma restores the scale.  ``P+ - P-`` is then ``2*a*pos`` with the
  layer norm's mean cancelled exactly.
* decoder layer 0, cross-attention, last head: query weights 0, so it attends
  uniformly to the source tokens; its value reads ``P+ - P-``; its output
  writes ``-mean`` into dim D, i.e. ``-c*(L-1)`` for a source of L tokens.
  The decoder position table adds ``c*(t-0.5)`` to D, so at step t,
  ``D = c*(t - L + 0.5)``.
* output projection: the ``</s>`` row is ``+alpha`` on D and ``-alpha`` on an
  always-zero dim Z (which cancels the layer norm's mean), so the ``</s>`` logit
  is ``alpha*c*(t - L + 0.5)/sigma``: hugely negative before L tokens, about
  +8 per step after.  Hence a sentence of L source tokens translates to about L
  target tokens (measured, greedy and beam 4: tiny float32 and base int8 give
  L or L+1 tokens for L = 4..123).

Other output-layer biases: ``<unk>`` and ``<s>`` are never produced (-1e4);
pieces seen in the target language's sample text get +1.5, so an en->uk model
writes Cyrillic.  Everything is seeded (``numpy.random.default_rng`` from the
seed and the language pair; SentencePiece trained single-threaded, deterministic
input order; the zip has fixed timestamps), so the same arguments give a
byte-identical ``.argosmodel``.

Pitfalls for users of these packages
------------------------------------
* argostranslate decodes with ``decode_pieces(...).replace("▁", " ")
  .replace("_", " ")``: underscores never survive a translation.
* No ``target_prefix`` (metadata has none): the decoder starts from ``<s>``.
* CTranslate2 truncates the source to 1024 tokens (``max_input_length``) and
  decoding to 256; the position tables have 1536 rows.
* SentencePiece normalises with nmt_nfkc (like real Argos models); characters
  never seen in training become ``<unk>`` pieces on the source side
  (``replace_unknowns=True`` is harmless since ``<unk>`` is never generated).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

__all__ = ["SIZES", "build_package", "main", "package_filename"]

ARGOS_VERSION = "1.11.0"


@dataclass(frozen=True)
class _Size:
    enc_layers: int
    dec_layers: int
    d_model: int
    heads: int
    ffn: int
    vocab: int  # requested SentencePiece vocabulary (hard_vocab_limit=False)
    lexicon: int  # synthetic pseudo-words
    sentences: int  # synthetic sentences
    quantization: str
    positions: int = 1536


SIZES: dict[str, _Size] = {
    "tiny": _Size(2, 2, 64, 4, 128, vocab=800, lexicon=3000, sentences=2500, quantization="float32"),
    "base": _Size(6, 6, 512, 8, 2048, vocab=50000, lexicon=80000, sentences=60000, quantization="int8"),
}

_QUANTIZATIONS = ("float32", "int8", "int8_float32", "int8_float16", "int8_bfloat16", "int16", "float16", "bfloat16")

LANGUAGE_NAMES = {
    "ar": "Arabic", "bg": "Bulgarian", "ca": "Catalan", "cs": "Czech", "da": "Danish",
    "de": "German", "el": "Greek", "en": "English", "eo": "Esperanto", "es": "Spanish",
    "et": "Estonian", "fi": "Finnish", "fr": "French", "ga": "Irish", "he": "Hebrew",
    "hi": "Hindi", "hu": "Hungarian", "id": "Indonesian", "it": "Italian", "ja": "Japanese",
    "ko": "Korean", "lt": "Lithuanian", "lv": "Latvian", "nb": "Norwegian", "nl": "Dutch",
    "pl": "Polish", "pt": "Portuguese", "ro": "Romanian", "ru": "Russian", "sk": "Slovak",
    "sl": "Slovenian", "sq": "Albanian", "sv": "Swedish", "th": "Thai", "tr": "Turkish",
    "uk": "Ukrainian", "ur": "Urdu", "zh": "Chinese",
}

_CYRILLIC = {"uk", "ru", "bg", "be", "mk", "sr", "kk", "ky", "mn", "tg"}

# A small built-in corpus: news-style sentences per language.  Its pieces make
# the SentencePiece model look like a real one on real text, and the target
# language's pieces get an output bias (see module docstring).
_SAMPLES: dict[str, str] = {
    "en": """\
The city council approved the new budget on Tuesday after a long debate.
Officials said the bridge would reopen to traffic next month.
Heavy rain caused flooding in several villages near the river.
The minister told reporters that talks would continue this week.
Thousands of people gathered in the main square to watch the concert.
The company reported a 12% rise in profits for the third quarter.
Emergency services evacuated 250 residents from the damaged building.
Scientists warned that the drought could affect this year's harvest.
The footage shows firefighters working through the night.
Schools will remain closed until the end of the week, the mayor said.
Prices for electricity and gas are expected to fall in the spring.
The national team won the match 3-1 in front of a home crowd.
A spokesperson for the hospital declined to comment on the report.
Local farmers say they have never seen such a difficult season.
Voters will choose a new parliament in October.
The museum reopened its doors after two years of restoration work.
Police are asking witnesses to contact them by phone or e-mail.
The government promised to build 10,000 new homes by 2030.
Train services between the two cities were suspended on Monday.
She thanked the volunteers who helped to clean the streets.
What happens next is still unclear, according to the report.
Photo: Jane Doe/Reuters.  Follow us @newsroom for updates at https://example.com/news.
""",
    "uk": """\
Міська рада у вівторок ухвалила новий бюджет після тривалих дебатів.
Посадовці заявили, що міст знову відкриють для руху наступного місяця.
Сильні дощі спричинили підтоплення в кількох селах біля річки.
Міністр повідомив журналістам, що переговори триватимуть цього тижня.
Тисячі людей зібралися на головній площі, щоб подивитися концерт.
Компанія повідомила про зростання прибутку на 12% у третьому кварталі.
Рятувальники евакуювали 250 мешканців з пошкодженого будинку.
Науковці попередили, що посуха може вплинути на врожай цього року.
На відео видно, як пожежники працюють усю ніч.
Школи залишаться зачиненими до кінця тижня, сказав мер.
Ціни на електроенергію та газ, як очікується, знизяться навесні.
Національна збірна виграла матч з рахунком 3:1 перед домашніми вболівальниками.
Виборці оберуть новий парламент у жовтні.
Поліція просить свідків зв'язатися з нею телефоном або електронною поштою.
Вона подякувала волонтерам, які допомогли прибрати вулиці.
""",
    "ru": """\
Городской совет во вторник утвердил новый бюджет после долгих дебатов.
Чиновники заявили, что мост снова откроют для движения в следующем месяце.
Сильные дожди вызвали наводнение в нескольких деревнях у реки.
Тысячи людей собрались на главной площади, чтобы посмотреть концерт.
Компания сообщила о росте прибыли на 12% в третьем квартале.
Школы останутся закрытыми до конца недели, сказал мэр.
Избиратели выберут новый парламент в октябре.
""",
    "pl": """\
Rada miasta przyjęła we wtorek nowy budżet po długiej debacie.
Urzędnicy poinformowali, że most zostanie ponownie otwarty w przyszłym miesiącu.
Ulewne deszcze spowodowały powódź w kilku wsiach nad rzeką.
Minister powiedział dziennikarzom, że rozmowy będą kontynuowane w tym tygodniu.
Tysiące ludzi zebrały się na głównym placu, aby obejrzeć koncert.
Firma odnotowała wzrost zysków o 12% w trzecim kwartale.
Szkoły pozostaną zamknięte do końca tygodnia, powiedział burmistrz.
Ceny energii elektrycznej i gazu mają spaść wiosną.
Wyborcy wybiorą nowy parlament w październiku.
Policja prosi świadków o kontakt telefoniczny lub mailowy.
""",
    "de": """\
Der Stadtrat hat am Dienstag nach einer langen Debatte den neuen Haushalt verabschiedet.
Die Behörden teilten mit, dass die Brücke nächsten Monat wieder für den Verkehr geöffnet wird.
Starker Regen verursachte Überschwemmungen in mehreren Dörfern am Fluss.
Tausende Menschen versammelten sich auf dem Hauptplatz, um das Konzert zu sehen.
Das Unternehmen meldete für das dritte Quartal einen Gewinnanstieg von 12 %.
Die Schulen bleiben bis zum Ende der Woche geschlossen, sagte der Bürgermeister.
Die Preise für Strom und Gas sollen im Frühjahr sinken.
Die Wähler bestimmen im Oktober ein neues Parlament.
Die Polizei bittet Zeugen, sich telefonisch oder per E-Mail zu melden.
""",
    "fr": """\
Le conseil municipal a approuvé mardi le nouveau budget après un long débat.
Les autorités ont indiqué que le pont rouvrirait à la circulation le mois prochain.
De fortes pluies ont provoqué des inondations dans plusieurs villages près de la rivière.
Des milliers de personnes se sont rassemblées sur la place principale pour assister au concert.
L'entreprise a annoncé une hausse de 12 % de ses bénéfices au troisième trimestre.
Les écoles resteront fermées jusqu'à la fin de la semaine, a déclaré le maire.
Les prix de l'électricité et du gaz devraient baisser au printemps.
Les électeurs choisiront un nouveau parlement en octobre.
La police demande aux témoins de la contacter par téléphone ou par courriel.
""",
    "es": """\
El ayuntamiento aprobó el martes el nuevo presupuesto tras un largo debate.
Las autoridades dijeron que el puente volverá a abrirse al tráfico el próximo mes.
Las fuertes lluvias provocaron inundaciones en varios pueblos cerca del río.
Miles de personas se reunieron en la plaza principal para ver el concierto.
La empresa informó de un aumento del 12 % en sus beneficios del tercer trimestre.
Las escuelas permanecerán cerradas hasta el final de la semana, dijo el alcalde.
Se espera que los precios de la electricidad y el gas bajen en primavera.
Los votantes elegirán un nuevo parlamento en octubre.
¿Qué pasará ahora? ¡Nadie lo sabe todavía!
""",
    "it": """\
Il consiglio comunale ha approvato martedì il nuovo bilancio dopo un lungo dibattito.
Migliaia di persone si sono radunate nella piazza principale per il concerto.
Le scuole resteranno chiuse fino alla fine della settimana, ha detto il sindaco.
Gli elettori sceglieranno un nuovo parlamento in ottobre.
""",
    "pt": """\
A câmara municipal aprovou na terça-feira o novo orçamento após um longo debate.
Milhares de pessoas reuniram-se na praça principal para assistir ao concerto.
As escolas vão continuar fechadas até ao fim da semana, disse o presidente da câmara.
Os eleitores vão escolher um novo parlamento em outubro.
""",
}

# Every printable ASCII character, so ASCII input never becomes <unk>.
_ASCII_LINE = "".join(chr(c) for c in range(33, 127))

_ONSETS = ("", "b", "c", "d", "f", "g", "h", "j", "k", "l", "m", "n", "p", "r", "s", "t", "v", "w", "z",
           "br", "cl", "dr", "fl", "gr", "pl", "pr", "st", "str", "sh", "ch", "th", "tr", "sp", "sk",
           "kr", "gl", "bl", "sl", "sm", "sn")
_NUCLEI = ("a", "e", "i", "o", "u", "ai", "ea", "ou", "io", "ie", "y", "oo", "ee", "au")
_CODAS = ("", "", "", "n", "r", "s", "t", "l", "m", "nd", "st", "nt", "rk", "ng", "ck", "x", "ll", "ss", "th", "rd")
_TO_CYRILLIC = (("shch", "щ"), ("sh", "ш"), ("ch", "ч"), ("th", "т"), ("ck", "к"), ("ll", "ль"), ("ss", "сс"),
                ("ee", "і"), ("oo", "у"), ("ea", "я"), ("ou", "ю"), ("ai", "ай"), ("au", "ав"), ("io", "йо"),
                ("ie", "є"), ("a", "а"), ("b", "б"), ("c", "ц"), ("d", "д"), ("e", "е"), ("f", "ф"), ("g", "г"),
                ("h", "х"), ("i", "и"), ("j", "ж"), ("k", "к"), ("l", "л"), ("m", "м"), ("n", "н"), ("o", "о"),
                ("p", "п"), ("r", "р"), ("s", "с"), ("t", "т"), ("u", "у"), ("v", "в"), ("w", "в"), ("x", "кс"),
                ("y", "и"), ("z", "з"))


def language_name(code: str) -> str:
    return LANGUAGE_NAMES.get(code, code.upper())


def package_filename(from_code: str, to_code: str, package_version: str = "1.0") -> str:
    """``translate-en_uk-1_0``: the package's folder name (and file stem)."""
    return f"translate-{from_code}_{to_code}-{package_version.replace('.', '_')}"


# --------------------------------------------------------------------------- corpus


def _rng(seed: int, *parts: str):
    import numpy as np

    key = [int(seed) & 0xFFFFFFFF] + [zlib.crc32(p.encode("utf-8")) for p in parts]
    return np.random.default_rng(np.random.SeedSequence(key))


def _cyrillic(word: str) -> str:
    out, i = [], 0
    while i < len(word):
        for latin, cyr in _TO_CYRILLIC:
            if word.startswith(latin, i):
                out.append(cyr)
                i += len(latin)
                break
        else:
            out.append(word[i])
            i += 1
    return "".join(out)


def _synthetic_sentences(size: _Size, seed: int, codes: tuple[str, ...]) -> list[str]:
    """Seeded pseudo-text: a Zipf-distributed lexicon of pseudo-words, in the
    script of each language of the pair (Latin or Cyrillic)."""
    import numpy as np

    rng = _rng(seed, "corpus", *codes)
    words: set[str] = set()
    lexicon: list[str] = []
    while len(lexicon) < size.lexicon:
        n = int(rng.integers(1, 5))
        parts = rng.integers(0, [len(_ONSETS), len(_NUCLEI), len(_CODAS)], size=(n, 3))
        word = "".join(_ONSETS[a] + _NUCLEI[b] + _CODAS[c] for a, b, c in parts)
        if word not in words:
            words.add(word)
            lexicon.append(word)
    scripts = sorted({"cyrillic" if c in _CYRILLIC else "latin" for c in codes})
    lexicons = {"latin": lexicon}
    if "cyrillic" in scripts:
        lexicons["cyrillic"] = [_cyrillic(w) for w in lexicon]
    weights = 1.0 / np.arange(1, size.lexicon + 1)
    weights /= weights.sum()
    lengths = rng.integers(4, 20, size=size.sentences)
    picks = rng.choice(size.lexicon, size=int(lengths.sum()), p=weights)
    enders = rng.choice(np.array([".", ".", ".", "?", "!", ","], dtype=object), size=size.sentences)
    out: list[str] = []
    offset = 0
    for i, n in enumerate(lengths):
        lex = lexicons[scripts[i % len(scripts)]]
        ws = [lex[j] for j in picks[offset : offset + n]]
        offset += n
        ws[0] = ws[0].capitalize()
        out.append(" ".join(ws) + enders[i])
    return out


def _corpus(size: _Size, seed: int, from_code: str, to_code: str, corpus: str | None) -> list[str]:
    lines: list[str] = []
    for code in (from_code, to_code):
        lines += _SAMPLES.get(code, "").splitlines() * 3
    if corpus:
        # SentencePiece skips lines longer than max_sentence_length (bytes).
        lines += [ln for ln in corpus.splitlines() if ln.strip() and len(ln.encode("utf-8")) < 4000] * 3
    lines += [_ASCII_LINE, "… « » “ ” ‘ ’ – — € £ ¿ ¡ ° § ©"]
    lines += _synthetic_sentences(size, seed, (from_code, to_code))
    return [ln for ln in lines if ln.strip()]


def _train_sentencepiece(lines: list[str], vocab_size: int) -> bytes:
    import io

    import sentencepiece as spm

    spm.set_random_generator_seed(1)
    buf = io.BytesIO()
    spm.SentencePieceTrainer.train(
        sentence_iterator=iter(lines),
        model_writer=buf,
        model_type="unigram",
        vocab_size=vocab_size,
        hard_vocab_limit=False,
        character_coverage=1.0,
        input_sentence_size=0,
        shuffle_input_sentence=False,
        num_threads=1,
        unk_id=0,
        bos_id=1,
        eos_id=2,
        pad_id=-1,
        minloglevel=2,
    )
    return buf.getvalue()


# --------------------------------------------------------------------------- model


def _sinusoids(n_pos: int, dim: int):
    import numpy as np

    pos = np.arange(n_pos, dtype=np.float64)[:, None]
    half = dim // 2
    inv = np.exp(-np.log(10000.0) * np.arange(half, dtype=np.float64) / max(half - 1, 1))
    ang = pos * inv[None, :]
    out = np.zeros((n_pos, dim), dtype=np.float64)
    out[:, :half] = np.sin(ang)
    out[:, half : 2 * half] = np.cos(ang)
    return out.astype(np.float32)


# Scales of the random weights (tuned by hand: larger sublayer outputs ("out")
# make the decoder collapse into repeating one token).
_KNOBS = {"pe_dec": 1.0, "emb": 1.0, "target_bias": 1.5, "proj": 2.0, "out": 0.3}


def _build_spec(size: _Size, pieces: list[str], target_pieces: set[int], seed: int, pair: tuple[str, str]):
    """A TransformerSpec with seeded random weights plus the deterministic length head."""
    import numpy as np
    import ctranslate2.specs as specs

    rng = _rng(seed, "weights", *pair)
    d, h, ffn, V, P = size.d_model, size.heads, size.ffn, len(pieces), size.positions
    dh = d // h
    # Reserved residual dimensions (the last 4).  Encoder: P+, P-, C+, C-.
    # Decoder: D (signed distance to the target length), Z (always 0).
    free = d - 4
    e_pp, e_pm, e_cp, e_cm = d - 4, d - 3, d - 2, d - 1
    d_dist, d_zero = d - 4, d - 3
    a_enc = 0.05  # encoder: P+- = +-a_enc*pos
    c_dec = 0.05  # decoder: D grows by c_dec per step (small: D must not dominate the final norm)
    sigma_c = 16.0  # std contributed by the +-M dims at the encoder's last norm
    big_m = sigma_c * np.sqrt(d / 2.0)
    alpha = 50.0  # </s> weight on D and Z
    eos_id, unk_id, bos_id = pieces.index("</s>"), pieces.index("<unk>"), pieces.index("<s>")

    f32 = np.float32

    def normal(shape, std):
        return (rng.standard_normal(shape, dtype=f32) * f32(std)).astype(f32)

    def ln(gamma_free=1.0, gamma_reserved=0.0):
        g = np.full(d, gamma_free, dtype=f32)
        g[free:] = gamma_reserved
        return g, np.zeros(d, dtype=f32)

    def set_ln(spec, gamma, beta):
        spec.gamma, spec.beta = gamma, beta

    def out_proj(rows, cols, std):
        w = normal((rows, cols), std)
        w[free:, :] = 0.0  # never write into the reserved dims
        b = normal((rows,), 0.02)
        b[free:] = 0.0
        return w, b

    def in_proj(rows, std):
        w = normal((rows, d), std)
        w[:, free:] = 0.0  # never read the reserved dims
        return w, normal((rows,), 0.02)

    spec = specs.TransformerSpec.from_config((size.enc_layers, size.dec_layers), size.heads)

    # Source and target embeddings are shared (one vocabulary, as in Argos
    # models); CTranslate2 multiplies them by sqrt(d).  The output projection is
    # separate: tied to the input embeddings, a random decoder predicts the
    # token it was just fed and repeats it forever.  Logits get std ~2.
    emb = normal((V, d), _KNOBS["emb"] / np.sqrt(free))
    emb[:, free:] = 0.0
    proj = normal((V, d), _KNOBS["proj"] / np.sqrt(free))
    proj[:, free:] = 0.0
    proj[eos_id, :] = 0.0
    proj[eos_id, d_dist] = alpha
    proj[eos_id, d_zero] = -alpha
    proj_bias = np.zeros(V, dtype=f32)
    if target_pieces:
        proj_bias[sorted(target_pieces)] = _KNOBS["target_bias"]
    proj_bias[[unk_id, bos_id]] = -1e4
    proj_bias[eos_id] = 0.0

    pe_free = _sinusoids(P, free)
    positions = np.arange(P, dtype=f32)
    pe_enc = np.zeros((P, d), dtype=f32)
    pe_enc[:, :free] = pe_free
    pe_enc[:, e_pp] = a_enc * positions
    pe_enc[:, e_pm] = -a_enc * positions
    pe_dec = np.zeros((P, d), dtype=f32)
    pe_dec[:, :free] = pe_free * _KNOBS["pe_dec"]
    pe_dec[:, d_dist] = c_dec * (positions - 0.5)

    # ---- encoder
    enc = spec.encoder
    enc.embeddings[0].weight = emb
    enc.position_encodings.encodings = pe_enc
    for i, layer in enumerate(enc.layer):
        set_ln(layer.self_attention.layer_norm, *ln())
        layer.self_attention.linear[0].weight, layer.self_attention.linear[0].bias = in_proj(3 * d, 1.0 / np.sqrt(free))
        layer.self_attention.linear[1].weight, layer.self_attention.linear[1].bias = out_proj(d, d, _KNOBS["out"] / np.sqrt(d))
        set_ln(layer.ffn.layer_norm, *ln())
        layer.ffn.linear_0.weight, layer.ffn.linear_0.bias = in_proj(ffn, np.sqrt(2.0 / free))
        w1, b1 = out_proj(d, ffn, _KNOBS["out"] / np.sqrt(ffn))
        if i == len(enc.layer) - 1:
            b1[e_cp], b1[e_cm] = big_m, -big_m
        layer.ffn.linear_1.weight, layer.ffn.linear_1.bias = w1, b1
    g, b = ln(gamma_free=sigma_c, gamma_reserved=sigma_c)
    g[e_cp] = g[e_cm] = 0.0
    set_ln(enc.layer_norm, g, b)

    # ---- decoder
    dec = spec.decoder
    dec.embeddings.weight = emb
    dec.position_encodings.encodings = pe_dec
    dec.projection.weight = proj
    dec.projection.bias = proj_bias
    g, b = ln(gamma_free=1.0, gamma_reserved=0.0)
    g[d_dist] = g[d_zero] = 8.0  # resolution under int8 activation quantization
    set_ln(dec.layer_norm, g, b)
    for i, layer in enumerate(dec.layer):
        set_ln(layer.self_attention.layer_norm, *ln())
        layer.self_attention.linear[0].weight, layer.self_attention.linear[0].bias = in_proj(3 * d, 1.0 / np.sqrt(free))
        layer.self_attention.linear[1].weight, layer.self_attention.linear[1].bias = out_proj(d, d, _KNOBS["out"] / np.sqrt(d))
        set_ln(layer.attention.layer_norm, *ln())
        wq, bq = in_proj(d, 1.0 / np.sqrt(free))
        wkv = normal((2 * d, d), 1.0 / np.sqrt(free))
        wkv[:, free:] = 0.0
        bkv = normal((2 * d,), 0.02)
        wo, bo = out_proj(d, d, _KNOBS["out"] / np.sqrt(d))
        if i == 0:
            # The length head: last head attends uniformly (zero query) and
            # averages 2*a_enc*pos over the source; its output is -c_dec*(L-1) in D.
            head = slice((h - 1) * dh, h * dh)
            j0 = (h - 1) * dh
            wq[head, :] = 0.0
            bq[head] = 0.0
            wkv[d + (h - 1) * dh : d + h * dh, :] = 0.0
            bkv[d + (h - 1) * dh : d + h * dh] = 0.0
            gain = c_dec / a_enc
            wkv[d + j0, e_pp] = gain
            wkv[d + j0, e_pm] = -gain
            wo[:, head] = 0.0
            wo[d_dist, :] = 0.0
            wo[d_dist, j0] = -1.0
        layer.attention.linear[0].weight, layer.attention.linear[0].bias = wq, bq
        layer.attention.linear[1].weight, layer.attention.linear[1].bias = wkv, bkv
        layer.attention.linear[2].weight, layer.attention.linear[2].bias = wo, bo
        set_ln(layer.ffn.layer_norm, *ln())
        layer.ffn.linear_0.weight, layer.ffn.linear_0.bias = in_proj(ffn, np.sqrt(2.0 / free))
        layer.ffn.linear_1.weight, layer.ffn.linear_1.bias = out_proj(d, ffn, _KNOBS["out"] / np.sqrt(ffn))

    spec.register_source_vocabulary(pieces)
    spec.register_target_vocabulary(pieces)
    return spec


# --------------------------------------------------------------------------- MiniSBD


def _pb_varint(n: int) -> bytes:
    if n < 0:
        n += 1 << 64
    out = bytearray()
    while True:
        byte = n & 0x7F
        n >>= 7
        if n:
            out.append(byte | 0x80)
        else:
            out.append(byte)
            return bytes(out)


def _pb_int(field: int, value: int) -> bytes:
    return _pb_varint(field << 3) + _pb_varint(value)


def _pb_bytes(field: int, data: bytes | str) -> bytes:
    if isinstance(data, str):
        data = data.encode("utf-8")
    return _pb_varint((field << 3) | 2) + _pb_varint(len(data)) + data


_SENTENCE_END = (".", "!", "?", "…", "。", "！", "？")


def _minisbd_onnx(lang: str) -> bytes:
    """A MiniSBD-compatible ONNX model (protobuf written by hand).

    Per character: 2 (end of sentence) if it is one of ``_SENTENCE_END`` and the
    next character is a space or the padding after the paragraph; else 1 (end
    of token) if the next character is a space/padding; else 0.
    """
    import numpy as np

    vocab = ["<PAD>", "<UNK>", " ", *_SENTENCE_END]
    n = len(vocab)
    is_end = np.zeros(n, dtype=np.int64)
    is_end[3:] = 1
    is_break = np.zeros(n, dtype=np.int64)
    is_break[0] = is_break[2] = 1  # padding, space

    def tensor(name: str, arr) -> bytes:
        arr = np.ascontiguousarray(arr)
        elem = {np.dtype(np.float32): 1, np.dtype(np.int64): 7}[arr.dtype]
        dims = b"".join(_pb_int(1, x) for x in arr.shape)
        return dims + _pb_int(2, elem) + _pb_bytes(8, name) + _pb_bytes(9, arr.astype(arr.dtype.newbyteorder("<")).tobytes())

    def value_info(name: str, elem: int, dims) -> bytes:
        shape = b"".join(_pb_bytes(1, _pb_bytes(2, x) if isinstance(x, str) else _pb_int(1, x)) for x in dims)
        return _pb_bytes(1, name) + _pb_bytes(2, _pb_bytes(1, _pb_int(1, elem) + _pb_bytes(2, shape)))

    def node(op: str, inputs, outputs, name: str, axis: int | None = None) -> bytes:
        msg = b"".join(_pb_bytes(1, x) for x in inputs) + b"".join(_pb_bytes(2, x) for x in outputs)
        msg += _pb_bytes(3, name) + _pb_bytes(4, op)
        if axis is not None:  # AttributeProto: name, i, type=INT
            msg += _pb_bytes(5, _pb_bytes(1, "axis") + _pb_int(3, axis) + _pb_int(20, 2))
        return msg

    initializers = [
        tensor("is_end", is_end),
        tensor("is_break", is_break),
        tensor("one_hot", np.eye(3, dtype=np.float32)),
        tensor("one", np.array(1, dtype=np.int64)),
        tensor("starts", np.array([1], dtype=np.int64)),
        tensor("ends", np.array([2**62], dtype=np.int64)),
        tensor("axes", np.array([1], dtype=np.int64)),
        tensor("pads", np.array([0, 0, 0, 1], dtype=np.int64)),
        tensor("pad_id", np.array(0, dtype=np.int64)),
    ]
    nodes = [
        node("Slice", ["units", "starts", "ends", "axes"], ["tail"], "next_0"),
        node("Pad", ["tail", "pads", "pad_id"], ["next_units"], "next_1"),
        node("Gather", ["is_end", "units"], ["end_here"], "end_here", axis=0),
        node("Gather", ["is_break", "next_units"], ["break_next"], "break_next", axis=0),
        node("Add", ["end_here", "one"], ["end_plus_one"], "label_0"),
        node("Mul", ["break_next", "end_plus_one"], ["label"], "label_1"),
        node("Gather", ["one_hot", "label"], ["logits"], "logits", axis=0),
    ]
    graph = b"".join(_pb_bytes(1, x) for x in nodes) + _pb_bytes(2, "rule_sbd")
    graph += b"".join(_pb_bytes(5, x) for x in initializers)
    graph += _pb_bytes(11, value_info("units", 7, ["batch", "time"]))
    graph += _pb_bytes(11, value_info("features", 1, ["batch", "time", "feats"]))
    graph += _pb_bytes(12, value_info("logits", 1, ["batch", "time", 3]))
    meta = {
        "lang_code": lang,
        "config": json.dumps({"feat_funcs": [], "max_seqlen": 1000, "batch_size": 1, "use_dictionary": False}),
        "vocab": json.dumps(
            {"lang": lang, "idx": 0, "cutoff": 0, "lower": False,
             "_unit2id": {u: i for i, u in enumerate(vocab)}, "_id2unit": vocab},
            ensure_ascii=False,
        ),
        "lexicon": "null",
    }
    model = _pb_int(1, 8) + _pb_bytes(2, "pipeline.testmodels") + _pb_bytes(3, "1")
    model += _pb_bytes(7, graph) + _pb_bytes(8, _pb_bytes(1, "") + _pb_int(2, 13))
    model += b"".join(_pb_bytes(14, _pb_bytes(1, k) + _pb_bytes(2, v)) for k, v in meta.items())
    return model


# --------------------------------------------------------------------------- package


def _zip_dir(root: Path, top: str, dest: Path) -> None:
    """Deterministic zip: sorted entries, fixed timestamps and permissions."""
    with zipfile.ZipFile(dest, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=6) as zf:
        entries = sorted(root.rglob("*"), key=lambda p: p.relative_to(root).as_posix())
        info = zipfile.ZipInfo(top + "/", date_time=(1980, 1, 1, 0, 0, 0))
        info.create_system = 3
        info.external_attr = (0o40755 << 16) | 0x10
        zf.writestr(info, b"")
        for path in entries:
            arc = f"{top}/{path.relative_to(root).as_posix()}"
            if path.is_dir():
                info = zipfile.ZipInfo(arc + "/", date_time=(1980, 1, 1, 0, 0, 0))
                info.create_system = 3
                info.external_attr = (0o40755 << 16) | 0x10
                zf.writestr(info, b"")
            else:
                info = zipfile.ZipInfo(arc, date_time=(1980, 1, 1, 0, 0, 0))
                info.create_system = 3
                info.external_attr = 0o100644 << 16
                info.compress_type = zipfile.ZIP_DEFLATED
                zf.writestr(info, path.read_bytes(), compresslevel=6)


def _check_code(code: str, what: str) -> None:
    if not code or not code.replace("-", "").replace("_", "").isalnum() or not code.isascii():
        raise ValueError(f"{what}: {code!r} is not a language code")


def build_package(
    out_dir: Path,
    *,
    from_code: str = "en",
    to_code: str = "uk",
    size: str = "tiny",
    seed: int = 0,
    corpus: str | None = None,
    package_version: str = "1.0",
    quantization: str | None = None,
) -> Path:
    """Build a genuine .argosmodel in out_dir and return its path.

    The file is ``out_dir/translate-<from>_<to>-<version with _>.argosmodel``,
    replaced atomically if it exists.  ``corpus`` is extra text (lines) for the
    SentencePiece training; ``quantization`` defaults to float32 for ``tiny``
    and int8 for ``base``.  Same arguments, same bytes.
    """
    if size not in SIZES:
        raise ValueError(f"size must be one of {', '.join(SIZES)}, not {size!r}")
    _check_code(from_code, "from_code")
    _check_code(to_code, "to_code")
    cfg = SIZES[size]
    quantization = quantization or cfg.quantization
    if quantization not in _QUANTIZATIONS:
        raise ValueError(f"quantization must be one of {', '.join(_QUANTIZATIONS)}, not {quantization!r}")

    import sentencepiece as spm

    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    top = package_filename(from_code, to_code, package_version)
    dest = out_dir / f"{top}.argosmodel"

    sp_bytes = _train_sentencepiece(_corpus(cfg, seed, from_code, to_code, corpus), cfg.vocab)
    sp = spm.SentencePieceProcessor(model_proto=sp_bytes)
    pieces = [sp.id_to_piece(i) for i in range(sp.get_piece_size())]
    target_pieces: set[int] = set()
    if to_code != from_code:
        for line in _SAMPLES.get(to_code, "").splitlines():
            target_pieces.update(sp.encode(line))
    spec = _build_spec(cfg, pieces, target_pieces, seed, (from_code, to_code))
    spec.validate()
    spec.optimize(quantization=quantization)

    work = Path(tempfile.mkdtemp(prefix=".testmodel-", dir=out_dir))
    try:
        root = work / top
        (root / "model").mkdir(parents=True)
        spec.save(str(root / "model"))
        (root / "sentencepiece.model").write_bytes(sp_bytes)
        (root / "minisbd").mkdir()
        (root / "minisbd" / f"{from_code}.onnx").write_bytes(_minisbd_onnx(from_code))
        metadata = {
            "package_version": package_version,
            "argos_version": ARGOS_VERSION,
            "from_code": from_code,
            "from_name": language_name(from_code),
            "to_code": to_code,
            "to_name": language_name(to_code),
            "type": "translate",
            "links": [],
        }
        (root / "metadata.json").write_text(json.dumps(metadata, indent=4, ensure_ascii=False) + "\n", encoding="utf-8")
        (root / "README.md").write_text(
            f"# Synthetic {language_name(from_code)} -> {language_name(to_code)} test model\n\n"
            f"Random weights (size {size}, seed {seed}, {quantization}), built by tests/support/testmodels.py.\n"
            "Its output is not a translation.\n",
            encoding="utf-8",
        )
        tmp_zip = work / "package.argosmodel"
        _zip_dir(root, top, tmp_zip)
        os.chmod(tmp_zip, 0o644)
        os.replace(tmp_zip, dest)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return dest


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python tests/support/testmodels.py",
        description="Build a genuine Argos Translate package (.argosmodel) with random weights.",
    )
    parser.add_argument("--size", choices=sorted(SIZES), default="tiny")
    parser.add_argument("--from", dest="from_code", default="en", help="source language code (default en)")
    parser.add_argument("--to", dest="to_code", default="uk", help="target language code (default uk)")
    parser.add_argument("--out", type=Path, required=True, help="folder to write the .argosmodel into")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--corpus", type=Path, help="extra text file for SentencePiece training")
    parser.add_argument("--version", dest="package_version", default="1.0")
    parser.add_argument("--quantization", choices=_QUANTIZATIONS)
    args = parser.parse_args(argv)
    corpus = args.corpus.read_text(encoding="utf-8") if args.corpus else None
    try:
        path = build_package(
            args.out, from_code=args.from_code, to_code=args.to_code, size=args.size, seed=args.seed,
            corpus=corpus, package_version=args.package_version, quantization=args.quantization,
        )
    except (ValueError, OSError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
