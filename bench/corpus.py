"""Texts to embed: a deterministic email-like generator, or the user's own corpus.

Generated corpus
    Seed 000 embedded 103,000 e-mails.  :func:`generate` writes e-mail-like texts (subject,
    greeting, body paragraphs, sign-off) whose body length in words is log-normal, so a few
    long threads sit beside many short notes.  With the default parameters the mean is
    about 250 BERT tokens per text (DESIGN.md measured 247 on its 1,000-text corpus);
    the real distribution is measured by the tokenizer at run time and reported, never
    assumed.  Text ``i`` depends only on ``(seed, i)``: the first *k* texts of any run are
    the same.

User corpora
    ``.txt`` one text per line; ``.csv`` one column (``field``, else a ``text`` column, else
    the only column); ``.jsonl`` one JSON object per line with the text in ``field``
    (default ``text``).  Files are read as UTF-8.  Every failure raises
    :class:`calculator.errors.InputError` with one sentence.
"""

from __future__ import annotations

import csv
import io
import json
import math
import random
from dataclasses import dataclass
from pathlib import Path

from calculator.errors import InputError, read_bytes

#: Log-normal body length in words: median e^μ ≈ 122 words, σ = 0.75 (mean ≈ 160 words).
BODY_WORDS_MU = math.log(122)
BODY_WORDS_SIGMA = 0.75
BODY_WORDS_MAX = 1500

_NAMES = (
    "Alex",
    "Priya",
    "Jordan",
    "Mei",
    "Sam",
    "Carlos",
    "Fatima",
    "Tom",
    "Ingrid",
    "Kenji",
    "Olivia",
    "Noah",
    "Amara",
    "Lukas",
    "Sofia",
    "Raj",
    "Elena",
    "Marcus",
    "Hannah",
    "Yusuf",
)
_SUBJECTS = (
    "Q{q} budget review",
    "Re: contract renewal for {co}",
    "Meeting notes — {co} sync",
    "Fwd: invoice #{n}",
    "Action items from Tuesday",
    "Re: Re: staging deploy failed",
    "Hiring plan update",
    "{co} pilot results",
    "Travel approval needed",
    "Quick question",
    "Board deck draft v{q}",
    "Re: vendor shortlist",
    "Customer escalation: {co}",
    "Weekly status",
    "Security review follow-up",
)
_COMPANIES = (
    "Acme",
    "Globex",
    "Initech",
    "Umbrella",
    "Hooli",
    "Stark Industries",
    "Wayne Enterprises",
    "Soylent",
    "Tyrell",
    "Cyberdyne",
    "Vandelay",
    "Wonka",
)
_OPENERS = (
    "Thanks for the quick turnaround on this.",
    "Following up on our call earlier today.",
    "As discussed in the meeting, here is the summary.",
    "I wanted to flag something before Friday.",
    "Hope you had a good weekend.",
    "See the thread below.",
    "Quick update on where we are.",
)
_CLAUSES = (
    "the numbers for last quarter came in slightly below forecast",
    "we need sign-off from legal before the purchase order goes out",
    "the staging cluster ran out of memory during the nightly batch",
    "the customer asked whether the discount applies to the renewal",
    "I have attached the revised spreadsheet with the updated assumptions",
    "procurement wants three quotes for anything above fifty thousand dollars",
    "the embedding pipeline took twice as long after the model upgrade",
    "we should schedule a review with the infrastructure team next week",
    "the shipment was delayed at customs and should arrive on Monday",
    "finance flagged two invoices that were paid twice in March",
    "the onboarding checklist still references the old VPN instructions",
    "latency on the search endpoint spiked around 3 pm yesterday",
    "the draft agreement caps liability at twelve months of fees",
    "marketing would like the launch moved to the second week of June",
    "our GPU reservation expires at the end of the month",
    "the new hire starts on the 14th and needs a laptop and accounts",
    "the auditors requested access logs for the last ninety days",
    "I am not convinced the vendor's benchmark reflects our workload",
    "can you confirm the headcount numbers before I send the plan upstairs",
    "the fine-tuning run diverged after about two thousand steps",
)
_CONNECTORS = (
    "Also,",
    "In addition,",
    "That said,",
    "On a related note,",
    "Separately,",
    "However,",
    "For context,",
    "To be clear,",
    "Meanwhile,",
    "",
)
_CLOSINGS = ("Best,", "Thanks,", "Cheers,", "Regards,", "Talk soon,", "Thanks in advance,")


def _sentence(rng: random.Random) -> str:
    connector = rng.choice(_CONNECTORS)
    clause = rng.choice(_CLAUSES)
    if rng.random() < 0.35:
        clause += ", and " + rng.choice(_CLAUSES)
    text = f"{connector} {clause}" if connector else clause[0].upper() + clause[1:]
    if rng.random() < 0.15:
        text += f" (ref. {rng.choice(_COMPANIES)}-{rng.randint(100, 9999)})"
    return text + rng.choice((".", ".", ".", "?", "!"))


def email(seed: int, index: int) -> str:
    """The ``index``-th generated e-mail of corpus ``seed`` (depends on nothing else).

    >>> email(0, 5) == email(0, 5)
    True
    >>> email(0, 5) != email(1, 5)
    True
    """
    rng = random.Random(f"scalerisk-corpus:{seed}:{index}")
    words_target = min(
        BODY_WORDS_MAX, max(8, int(rng.lognormvariate(BODY_WORDS_MU, BODY_WORDS_SIGMA)))
    )
    sender, recipient = rng.sample(_NAMES, 2)
    subject = rng.choice(_SUBJECTS).format(
        q=rng.randint(1, 4), co=rng.choice(_COMPANIES), n=rng.randint(1000, 99999)
    )
    paragraphs: list[str] = []
    words = 0
    current = [rng.choice(_OPENERS)]
    while words < words_target:
        sentence = _sentence(rng)
        current.append(sentence)
        words += len(sentence.split())
        if len(current) >= rng.randint(3, 6):
            paragraphs.append(" ".join(current))
            current = []
    if current:
        paragraphs.append(" ".join(current))
    body = "\n\n".join(paragraphs)
    return f"Subject: {subject}\n\nHi {recipient},\n\n{body}\n\n{rng.choice(_CLOSINGS)}\n{sender}"


def generate(n: int, seed: int = 0) -> list[str]:
    """``n`` e-mail-like texts, deterministic in ``seed``; prefix-stable in ``n``.

    >>> generate(3, seed=7) == generate(5, seed=7)[:3]
    True
    """
    if n < 1:
        raise InputError("the number of items must be at least 1")
    return [email(seed, i) for i in range(n)]


@dataclass(frozen=True)
class Corpus:
    """Texts plus where they came from."""

    texts: tuple[str, ...]
    source: str

    def take(self, n: int) -> list[str]:
        """The first ``n`` texts, cycling through the corpus when it is shorter than ``n``."""
        if not self.texts:
            raise InputError(f"the corpus {self.source} holds no texts")
        return [self.texts[i % len(self.texts)] for i in range(n)]


MAX_CORPUS_BYTES = 200_000_000
"""Largest corpus file read: 200 MB hold several hundred thousand e-mail-length texts, more
than any live benchmark embeds."""


def _read_text(path: Path) -> str:
    raw, _ = read_bytes(path, what="corpus file", max_bytes=MAX_CORPUS_BYTES)
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(
            f"corpus file {path} is not UTF-8 text (invalid byte at position {exc.start}); "
            "save it as UTF-8 and try again"
        ) from None


def _from_txt(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def _from_csv(text: str, field: str | None, path: Path) -> list[str]:
    try:
        reader = csv.DictReader(io.StringIO(text, newline=""))
        columns = reader.fieldnames or []
        if not columns:
            return []
        if field is None:
            if "text" in columns:
                field = "text"
            elif len(columns) == 1:
                field = columns[0]
            else:
                raise InputError(
                    f"{path} has several columns ({', '.join(columns)}); name the one holding the "
                    "text "
                    "(--corpus-field in the CLI)"
                )
        if field not in columns:
            raise InputError(f"{path} has no column {field!r}; columns: {', '.join(columns)}")
        return [row[field].strip() for row in reader if row.get(field) and row[field].strip()]
    except csv.Error as exc:
        raise InputError(f"{path} is not a readable CSV file: {exc}") from None


def _from_jsonl(text: str, field: str | None, path: Path) -> list[str]:
    field = field or "text"
    texts = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            raise InputError(f"{path} line {number} is not valid JSON: {exc.msg}") from None
        if not isinstance(obj, dict):
            raise InputError(f"{path} line {number} is not a JSON object")
        if field not in obj:
            raise InputError(
                f"{path} line {number} has no field {field!r}; fields: {', '.join(map(str, obj))}"
            )
        value = obj[field]
        if not isinstance(value, str):
            raise InputError(f"{path} line {number}: field {field!r} is not a string")
        if value.strip():
            texts.append(value.strip())
    return texts


SUFFIXES = {".txt": "one text per line", ".csv": "a column", ".jsonl": "a field per line"}


def load_corpus(path: str | Path, field: str | None = None) -> Corpus:
    """Read a user corpus (.txt, .csv, .jsonl); raise :class:`InputError` on any problem."""
    p = Path(path)
    suffix = p.suffix.lower()
    if suffix not in SUFFIXES:
        raise InputError(
            f"corpus file {p} must end in .txt, .csv or .jsonl (got {suffix or 'no suffix'!r})"
        )
    text = _read_text(p)
    if suffix == ".txt":
        texts = _from_txt(text)
    elif suffix == ".csv":
        texts = _from_csv(text, field, p)
    else:
        texts = _from_jsonl(text, field, p)
    if not texts:
        raise InputError(f"corpus file {p} holds no texts (it is empty or every entry is blank)")
    return Corpus(tuple(texts), source=str(p))


def corpus_texts(
    n: int, path: str | None = None, field: str | None = None, seed: int = 0
) -> tuple[list[str], str]:
    """The ``n`` texts to embed and a description of their source."""
    if path:
        corpus = load_corpus(path, field)
        note = "" if len(corpus.texts) >= n else f" (cycled: {len(corpus.texts)} unique texts)"
        return corpus.take(n), f"{corpus.source}{note}"
    return generate(n, seed), f"generated e-mail-like corpus (seed {seed})"
