"""Word search over exercises: stems, tags and one typo, alike on PostgreSQL and SQLite.

A search matches an exercise when every word of it is in the exercise's document (title,
tags, description) by its stem -- PostgreSQL's `english` text search, SQLite's FTS5
`porter` tokenizer -- or when the text as typed is part of the title or the description
(what 0004's trigram indexes serve, and what a half-typed word needs). When nothing
matches, each word that is in no document is replaced by the closest word that is (one
edit for short words, two for long ones) and the search runs again: `corrected` says so.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Select,
    String,
    bindparam,
    func,
    literal_column,
    or_,
    select,
    text,
)

from practika.db_reads import Reads
from practika.domain.exercises import Exercise

MAX_WORDS = 10
# Dropped on both databases alike (PostgreSQL's english config drops these and more).
STOPWORDS = frozenset(
    {
        *("a", "an", "and", "are", "as", "at", "be", "but", "by", "for", "from", "in"),
        *("into", "is", "it", "its", "of", "on", "or", "so", "the", "this", "to", "with"),
    }
)
_WORD = re.compile(r"[^\W_]+")


def words(q: str) -> list[str]:
    """The words of a query, lowercased, without stopwords (letters and digits only, so
    nothing in them is query syntax on either database)."""
    found = [w for w in _WORD.findall(q.lower()) if w not in STOPWORDS]
    return list(dict.fromkeys(found))[:MAX_WORDS]


def like_pattern(text_: str) -> str:
    escaped = text_.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


# The bind parameters of `matches`: the text as typed (a LIKE pattern) and its words.
TYPED, WORDS = "search_typed", "search_words"


def _stems_match(dialect: str) -> ColumnElement[bool]:
    words_ = bindparam(WORDS, type_=String)
    if dialect == "postgresql":
        document = func.to_tsvector(literal_column("'english'"), Exercise.search_document)
        return document.op("@@")(func.plainto_tsquery(literal_column("'english'"), words_))
    matching: Select[Any] = select(literal_column("exercise_id")).select_from(text("exercises_fts"))
    return Exercise.id.in_(matching.where(literal_column("exercises_fts").op("MATCH")(words_)))


def matches(dialect: str, *, stems: bool) -> ColumnElement[bool]:
    """The exercises a search finds (before access and the other filters), its text and
    words bound as `values` gives them; `stems` when the search has words to stem."""
    typed = bindparam(TYPED, type_=String)
    found = or_(
        Exercise.title.ilike(typed, escape="\\"),
        Exercise.description.ilike(typed, escape="\\"),
    )
    return or_(_stems_match(dialect), found) if stems else found


def values(dialect: str, q: str, terms: Sequence[str]) -> dict[str, str]:
    """The bind parameters of `matches` for a search as typed and its words."""
    bound = {TYPED: like_pattern(q.strip())}
    if terms:
        # FTS5: quoted strings are tokenized (stemmed) like the documents; AND of each word.
        bound[WORDS] = (
            " ".join(terms) if dialect == "postgresql" else " AND ".join(f'"{t}"' for t in terms)
        )
    return bound


_VOCABULARY = {
    "postgresql": text(
        "SELECT word, ndoc FROM ts_stat("
        "'SELECT to_tsvector(''simple'', search_document) FROM exercises')"
    ),
    "sqlite": text("SELECT term AS word, doc AS ndoc FROM exercises_words_vocab"),
}


async def vocabulary(db: Reads) -> dict[str, int]:
    """Every word in any exercise's document, as written (lowercased), with how many
    documents hold it. Only words: which exercises hold them stays behind access rules."""
    return {row["word"]: row["ndoc"] for row in await db.rows(_VOCABULARY[db.dialect], {})}


def distance(a: str, b: str) -> int:
    """Edits (insert, delete, substitute, swap two neighbours) from `a` to `b`."""
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb))
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                current[j] = min(current[j], previous2[j - 2] + 1)
        previous2, previous = previous, current
    return previous[-1]


def allowed_edits(word: str) -> int:
    if len(word) < 4 or word.isdigit():
        return 0
    return 1 if len(word) <= 6 else 2


def corrected(terms: Sequence[str], known: dict[str, int]) -> list[str] | None:
    """The terms with each unknown word replaced by the nearest known one (the most common
    of equally near ones); None when no word could be corrected."""
    result, changed = [], False
    for term in terms:
        limit = allowed_edits(term)
        if term in known or limit == 0:
            result.append(term)
            continue
        near = [
            (d, -count, word)
            for word, count in known.items()
            if abs(len(word) - len(term)) <= limit and (d := distance(term, word)) <= limit
        ]
        if near:
            result.append(min(near)[2])
            changed = True
        else:
            result.append(term)
    return result if changed else None
