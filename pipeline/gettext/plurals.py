"""Plural rules: read a `Plural-Forms` header, check it, compare two rules by meaning.

A rule is data that changes between releases (Babel 2.19 writes uk's rule in
other words than 2.18 and gives fr three forms where gettext gives two), so
rules are never compared as text. The expression is parsed with gettext's
grammar (the C operators of `plural.y`: `?:`, `||`, `&&`, `==`, `!=`, `<`,
`>`, `<=`, `>=`, `+`, `-`, `*`, `/`, `%`, `!`, parentheses, `n` and decimal
numbers) and evaluated, without Python's `eval`, on every n of `SAMPLE`
at once (numpy arrays of unsigned 64-bit integers, gettext's `unsigned long`).

`SAMPLE` is 0..1,000,000 plus large powers of ten and their neighbours: every
CLDR rule depends on n, n % 10, n % 100, n % 1000 or n % 1000000, so two rules
that agree there agree everywhere a reader will meet.

That evaluation costs half a second, and its answers are data: whether a
header's rule is valid, and whether two rules agree, depend only on their
texts and on this module's code. So they are remembered in this process, and
across runs in the project's result cache (`locale/.cache/results.sqlite`,
:mod:`pipeline.runtime.resultcache`) while a verb works on a project (it
holds the project lock). The key is ("plural-answer", a digest of this
module's source, the question, the rule texts); a changed module asks
afresh. Outside a project, or when the cache cannot be used, the rules are
evaluated as before.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Callable

from pipeline.errors import CatalogueError


class PluralFormsError(CatalogueError):
    """A Plural-Forms header is not a valid gettext plural rule."""


@dataclass(frozen=True)
class PluralRule:
    """A parsed `Plural-Forms` value: how many forms, and which form each n takes."""

    nplurals: int
    expression: str  # the `plural=` text as written
    _tree: tuple

    @property
    def header(self) -> str:
        return f"nplurals={self.nplurals}; plural={self.expression};"

    def index(self, n: int) -> int:
        """The form used for *n*."""
        import numpy

        return int(_evaluate(self._tree, numpy.array([n], dtype=numpy.uint64))[0])

    def __str__(self) -> str:
        return self.header


_HEADER = re.compile(r"^\s*nplurals\s*=\s*(?P<n>[^;]*?)\s*;\s*plural\s*=\s*(?P<expr>.*?)\s*;?\s*$", re.S)


def parse(value: str) -> PluralRule:
    """Parse a Plural-Forms header value, or raise PluralFormsError saying what is wrong.

    Valid means: `nplurals` is a positive integer, `plural` is an expression
    in gettext's grammar, and its value lies in 0..nplurals-1 for every n of
    the sample.
    """
    return _parse(value if isinstance(value, str) else "")


@lru_cache(maxsize=256)
def _parse(value: str) -> PluralRule:
    match = _HEADER.match(value)
    if not match:
        raise PluralFormsError(f"Plural-Forms {value!r} is not of the form 'nplurals=N; plural=EXPRESSION;'")
    count = match["n"]
    if not count.isdigit() or not count.isascii() or int(count) < 1 or int(count) > 1000:
        raise PluralFormsError(f"Plural-Forms {value!r}: nplurals must be a positive whole number")
    expression = match["expr"]
    tree = _Parser(expression, value).parse()
    rule = PluralRule(int(count), expression, tree)
    if value in _GETTEXT_RULE_TEXTS:
        # gettext's own rules (the table above; tests/test_plurals.py checks each
        # one over the sample): no need to evaluate a million n (and import numpy)
        # on every start of a command that opens a catalogue.
        return rule
    return _checked(rule, value)


def _checked(rule: PluralRule, value: str) -> PluralRule:
    """*rule*, once its value is known to lie in 0..nplurals-1 over the sample."""
    problem = _remembered(("valid", value, ""), lambda: _problem(rule, value))
    if problem:
        raise PluralFormsError(problem)
    return rule


def _problem(rule: PluralRule, value: str) -> str:
    """Why *rule* (read from *value*) is not valid over the sample, or "" when it is."""
    try:
        values = _values(rule)
    except ZeroDivisionError:
        return f"Plural-Forms {value!r}: the plural expression divides by zero for some n"
    if values.max() >= rule.nplurals:
        import numpy

        first = int(SAMPLE()[numpy.argmax(values >= rule.nplurals)])
        return f"Plural-Forms {value!r}: plural gives form {int(values.max())} (for n = {first}) but nplurals is {rule.nplurals}"
    return ""


def agree(a: PluralRule, b: PluralRule) -> bool:
    """True when both rules have the same forms and pick the same one for every n of the sample."""
    if a.nplurals != b.nplurals:
        return False
    if a._tree == b._tree:
        return True
    first, second = sorted((a, b), key=lambda rule: rule.expression)  # the question is symmetric
    answer = _remembered(("agree", first.expression, second.expression), lambda: _same_values(first, second))
    return answer == "yes"


def _same_values(a: PluralRule, b: PluralRule) -> str:
    return "yes" if bool((_values(a) == _values(b)).all()) else "no"


# --- answers remembered: in this process, and across runs in the project's result cache ---

_ANSWERS: dict[tuple[str, str, str], str] = {}  # this process's answers, by (question, text, text)


def _remembered(question: tuple[str, str, str], compute: Callable[[], str]) -> str:
    """The answer to *question*: from this process, else from the project's result cache, else *compute*d and kept."""
    answer = _ANSWERS.get(question)
    if answer is None:
        from pipeline.runtime.resultcache import project_cache

        with project_cache() as cache:
            key = cache.key("plural-answer", code_key(), *question)
            answer = cache.get(key)
            if not isinstance(answer, str):
                answer = compute()
                cache.put(key, answer)
        _ANSWERS[question] = answer
    return answer


@lru_cache(maxsize=1)
def code_key() -> str:
    """A digest of this module's source: the evaluator and the sample that every answer depends on."""
    return hashlib.sha256(Path(__file__).read_bytes()).hexdigest()[:32]


# What GNU msginit writes into a new catalogue: the table of gettext 0.21's
# gettext-tools/src/plural-table.c, itself "taken from the documentation, node
# 'Plural forms'" of the gettext manual. Copied as data because it is the
# convention Poedit, Lokalize and msginit users expect, and Babel's own rules
# change between releases (2.19 gives fr, es and pt three forms).
GETTEXT_PLURAL_FORMS = {
    **dict.fromkeys(("ja", "vi", "ko"), "nplurals=1; plural=0;"),
    **dict.fromkeys(
        ("en", "de", "nl", "sv", "da", "no", "nb", "nn", "fo", "es", "pt", "it", "bg", "el", "fi", "et", "he", "eo", "hu", "tr", "ca"),
        "nplurals=2; plural=(n != 1);",
    ),
    "pt_BR": "nplurals=2; plural=(n > 1);",
    "fr": "nplurals=2; plural=(n > 1);",
    "lv": "nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n != 0 ? 1 : 2);",
    "ga": "nplurals=3; plural=n==1 ? 0 : n==2 ? 1 : 2;",
    "ro": "nplurals=3; plural=n==1 ? 0 : (n==0 || (n%100 > 0 && n%100 < 20)) ? 1 : 2;",
    "lt": "nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && (n%100<10 || n%100>=20) ? 1 : 2);",
    **dict.fromkeys(
        ("ru", "uk", "be", "sr", "hr"),
        "nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2);",
    ),
    **dict.fromkeys(("cs", "sk"), "nplurals=3; plural=(n==1) ? 0 : (n>=2 && n<=4) ? 1 : 2;"),
    "pl": "nplurals=3; plural=(n==1 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2);",
    "sl": "nplurals=4; plural=(n%100==1 ? 0 : n%100==2 ? 1 : n%100==3 || n%100==4 ? 2 : 3);",
}


_GETTEXT_RULE_TEXTS = frozenset(GETTEXT_PLURAL_FORMS.values())


def gettext_rule(code: str) -> str | None:
    """The Plural-Forms that GNU msginit writes for *code* (as msginit: `pt_BR` first, then `pt`), if it has one."""
    return GETTEXT_PLURAL_FORMS.get(code) or GETTEXT_PLURAL_FORMS.get(code.split("_")[0])


@lru_cache(maxsize=1)
def SAMPLE():
    """Every n the rules are compared on (see the module docstring)."""
    import numpy

    extra = []
    for exponent in range(6, 20):
        power = 10**exponent
        for multiple in (1, 2, 5):
            base = multiple * power
            if base < 2**64 - 200:
                extra += [base - 1, base, base + 1, base + 2, base + 11, base + 101]
    return numpy.concatenate([numpy.arange(0, 1_000_001, dtype=numpy.uint64), numpy.array(extra, dtype=numpy.uint64)])


@lru_cache(maxsize=256)
def _values_cached(rule: PluralRule):
    return _evaluate(rule._tree, SAMPLE())


def _values(rule: PluralRule):
    return _values_cached(rule)


# --- the expression: tokenizer, precedence-climbing parser, vectorised evaluator ---

_TOKEN = re.compile(r"\s*(?:(?P<num>[0-9]+)|(?P<n>n)|(?P<op>\|\||&&|==|!=|<=|>=|[<>+\-*/%!?:()]))")
_BINARY = {  # operator -> precedence (C's, as in gettext's plural.y)
    "||": 1,
    "&&": 2,
    "==": 3,
    "!=": 3,
    "<": 4,
    ">": 4,
    "<=": 4,
    ">=": 4,
    "+": 5,
    "-": 5,
    "*": 6,
    "/": 6,
    "%": 6,
}


class _Parser:
    def __init__(self, text: str, header: str):
        self.header = header
        self.tokens: list[str] = []
        position = 0
        text = text.rstrip()
        while position < len(text):
            match = _TOKEN.match(text, position)
            if not match or match.end() == position:
                rest = text[position:].strip()
                if not rest:
                    break
                raise PluralFormsError(f"Plural-Forms {header!r}: unexpected {rest[:20]!r} in the plural expression")
            self.tokens.append(match.group(match.lastgroup))
            position = match.end()
        self.position = 0

    def parse(self) -> tuple:
        if not self.tokens:
            raise PluralFormsError(f"Plural-Forms {self.header!r}: the plural expression is empty")
        tree = self._conditional()
        if self.position != len(self.tokens):
            raise PluralFormsError(f"Plural-Forms {self.header!r}: unexpected {self.tokens[self.position]!r} in the plural expression")
        return tree

    def _peek(self) -> str | None:
        return self.tokens[self.position] if self.position < len(self.tokens) else None

    def _take(self, expected: str | None = None) -> str:
        token = self._peek()
        if token is None or (expected is not None and token != expected):
            wanted = f"{expected!r}" if expected else "more"
            raise PluralFormsError(f"Plural-Forms {self.header!r}: expected {wanted} in the plural expression")
        self.position += 1
        return token

    def _conditional(self) -> tuple:
        condition = self._binary(1)
        if self._peek() == "?":
            self._take("?")
            then = self._conditional()
            self._take(":")
            otherwise = self._conditional()
            return ("?", condition, then, otherwise)
        return condition

    def _binary(self, level: int) -> tuple:
        left = self._unary()
        while True:
            op = self._peek()
            precedence = _BINARY.get(op or "")
            if precedence is None or precedence < level:
                return left
            self._take()
            right = self._binary(precedence + 1)
            left = (op, left, right)

    def _unary(self) -> tuple:
        token = self._take()
        if token == "!":
            return ("!", self._unary())
        if token == "(":
            inner = self._conditional()
            self._take(")")
            return inner
        if token == "n":
            return ("n",)
        if token.isdigit():
            if int(token) >= 2**64:
                raise PluralFormsError(f"Plural-Forms {self.header!r}: the number {token} is too large")
            return ("num", int(token))
        raise PluralFormsError(f"Plural-Forms {self.header!r}: unexpected {token!r} in the plural expression")


def _evaluate(tree: tuple, n):
    """The expression's value for every element of the uint64 array *n* (C unsigned semantics)."""
    import numpy

    kind = tree[0]
    if kind == "n":
        return n
    if kind == "num":
        return numpy.full(n.shape, tree[1], dtype=numpy.uint64)
    if kind == "!":
        return (_evaluate(tree[1], n) == 0).astype(numpy.uint64)
    if kind == "?":
        return numpy.where(_evaluate(tree[1], n) != 0, _evaluate(tree[2], n), _evaluate(tree[3], n))
    left, right = _evaluate(tree[1], n), _evaluate(tree[2], n)
    with numpy.errstate(over="ignore"):
        if kind in ("/", "%"):
            if (right == 0).any():
                raise ZeroDivisionError
            result = left // right if kind == "/" else left % right
            return result.astype(numpy.uint64)
        operations = {
            "||": lambda: (left != 0) | (right != 0),
            "&&": lambda: (left != 0) & (right != 0),
            "==": lambda: left == right,
            "!=": lambda: left != right,
            "<": lambda: left < right,
            ">": lambda: left > right,
            "<=": lambda: left <= right,
            ">=": lambda: left >= right,
            "+": lambda: left + right,
            "-": lambda: left - right,
            "*": lambda: left * right,
        }
        return operations[kind]().astype(numpy.uint64)
