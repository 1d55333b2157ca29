"""Text for the PDF: untrusted text made safe to print, values formatted for a cell, data as
a JSON listing.

User text (a scenario name, a model name from a benchmark run) goes through
:func:`clean_text` and is printed as plain text, never parsed as markup.  The vendored DejaVu
fonts (``calculator/fonts``) decide which characters can be drawn.
"""

from __future__ import annotations

import json
import re
import unicodedata
from functools import lru_cache
from pathlib import Path
from typing import Any

FONT_DIR = Path(__file__).resolve().parents[1] / "fonts"

_DROP_CATEGORIES = {"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"}
MISSING_GLYPH = "\ufffd"


@lru_cache(maxsize=1)
def _covered_codepoints() -> frozenset[int]:
    from fontTools.ttLib import TTFont

    return frozenset(TTFont(FONT_DIR / "DejaVuSans.ttf").getBestCmap())


def clean_text(text: object, max_chars: int | None = None, *, keep_newlines: bool = False) -> str:
    """Make untrusted text safe to print: no control/format characters, no markup meaning.

    Control, format (bidi overrides, zero-width), private-use and unassigned characters
    are dropped; runs of whitespace collapse to one space; characters the vendored font
    cannot draw become U+FFFD; text longer than ``max_chars`` is cut with an ellipsis.
    The result is printed as plain text (never parsed as HTML or Markdown).

    >>> clean_text("Q3\\x00 plan\\u202e <b>**x**</b>\\n\\tend")
    'Q3 plan <b>**x**</b> end'
    >>> clean_text("Сценарий × 2 ≈ €5", max_chars=12)
    'Сценарий ×…'
    >>> clean_text("中文")
    '��'
    """
    covered = _covered_codepoints()
    out = []
    for ch in str(text):
        if ch == "\n" and keep_newlines:
            out.append(ch)
        elif ch.isspace():
            out.append(" ")
        elif unicodedata.category(ch) in _DROP_CATEGORIES:
            continue
        else:
            out.append(ch if ord(ch) in covered else MISSING_GLYPH)
    joined = "".join(out)
    if keep_newlines:
        cleaned = "\n".join(re.sub(r" +", " ", line).strip() for line in joined.split("\n"))
    else:
        cleaned = re.sub(r" +", " ", joined).strip()
    if max_chars is not None and len(cleaned) > max_chars:
        cleaned = cleaned[: max_chars - 1].rstrip() + "…"
    return cleaned


def display_text(text: object, max_chars: int | None = None) -> str:
    """:func:`clean_text`, then right-to-left runs put in visual order (fpdf2 draws glyphs
    left to right unless text shaping, which needs uharfbuzz, is on).

    >>> display_text("Plan שלום"), display_text("שלום plan")
    ('Plan םולש', 'םולש plan')
    """
    cleaned = clean_text(text, max_chars)
    if not any(unicodedata.bidirectional(ch) in ("R", "AL") for ch in cleaned):
        return cleaned
    from fpdf.bidi import BidiParagraph
    from fpdf.enums import TextDirection

    # the document is left to right: RTL runs are reversed in place, never the whole line
    return BidiParagraph(cleaned, base_direction=TextDirection.LTR).get_reordered_string()


def json_listing(data: Any) -> str:
    """Indented JSON for the PDF: exact data (copy-paste gives it back), with every character
    the font cannot draw, and every invisible format character, written as a ``\\uXXXX`` escape.

    >>> json_listing({"name": "Q3 計\u202e"})
    '{\\n  "name": "Q3 \\\\u8a08\\\\u202e"\\n}'
    """
    covered = _covered_codepoints()

    def escape(ch: str) -> str:
        if ord(ch) in covered and unicodedata.category(ch) not in _DROP_CATEGORIES:
            return ch
        return json.dumps(ch)[1:-1] if ord(ch) > 0xFFFF else f"\\u{ord(ch):04x}"

    text = _compact_json(data, 0)
    return "".join(ch if ch.isascii() else escape(ch) for ch in text)


def _compact_json(value: Any, indent: int, width: int = 100, lead: int = 0) -> str:
    """JSON indented by two spaces, but any object or array that fits in ``width`` columns kept
    on one line (a plain ``indent=2`` dump of the mitigation actions runs to pages).

    >>> lines = _compact_json({"a": [1, 2], "b": {"c": "x" * 100}}, 0).splitlines()
    >>> lines[:3], lines[3].startswith('    "c": "xxx'), lines[-2:]
    (['{', '  "a": [1, 2],', '  "b": {'], True, ['  }', '}'])
    """
    flat = json.dumps(value, ensure_ascii=False, separators=(", ", ": "))
    if (
        not isinstance(value, (dict, list))
        or not value
        or indent + lead + len(flat) <= width
        and indent > 0
    ):
        return flat
    pad = " " * (indent + 2)
    if isinstance(value, dict):
        keys = {k: json.dumps(k, ensure_ascii=False) + ": " for k in value}
        items = [
            f"{pad}{keys[k]}{_compact_json(v, indent + 2, width, len(keys[k]))}"
            for k, v in value.items()
        ]
        return "{\n" + ",\n".join(items) + "\n" + " " * indent + "}"
    items = [pad + _compact_json(v, indent + 2, width) for v in value]
    return "[\n" + ",\n".join(items) + "\n" + " " * indent + "]"


SUPERSCRIPTS = str.maketrans("0123456789-", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻")
_SUFFIXES = ((1e12, "T"), (1e9, "B"), (1e6, "M"))


def sig(x: float, digits: int = 3) -> str:
    """``x`` to ``digits`` significant figures, without trailing zeros or an exponent.

    >>> sig(6.738415616), sig(77.686), sig(100.0), sig(0.35), sig(12345.6)
    ('6.74', '77.7', '100', '0.35', '12,346')
    """
    if x == 0 or abs(x) >= 10 ** (digits - 1):
        return f"{x:,.0f}"
    text = f"{x:.{digits}g}"
    return text if "e" not in text else f"{x:f}".rstrip("0").rstrip(".")


def scientific(x: float, digits: int = 3) -> str:
    """``1.21 × 10²¹`` (a power of ten a person reads, never ``1.21e21``).

    >>> scientific(1.2096e21), scientific(1e21), scientific(-4.37e18)
    ('1.21 × 10²¹', '1 × 10²¹', '-4.37 × 10¹⁸')
    """
    mantissa, exponent = f"{x:.{digits - 1}e}".split("e")
    mantissa = mantissa.rstrip("0").rstrip(".")
    return f"{mantissa} × 10{str(int(exponent)).translate(SUPERSCRIPTS)}"


def count(x: float) -> str:
    """A count at a humane scale: grouped below a million, then M / B / T to three
    significant figures, then a power of ten; small fractions to four significant figures.

    >>> count(10_000), count(7e9), count(6_738_415_616), count(77.69e6), count(1e21)
    ('10,000', '7B', '6.74B', '77.7M', '1 × 10²¹')
    >>> count(0.5), count(12.3456), count(0.000123), count(1.0)
    ('0.5', '12.35', '0.000123', '1')
    """
    ax = abs(x)
    if ax >= 1e15 or (0 < ax < 1e-4):
        return scientific(x)
    for size, suffix in _SUFFIXES:
        if ax >= size * 0.9995:
            return f"{sig(x / size)}{suffix}"
    if float(x).is_integer() or ax >= 1e3:
        return f"{x:,.0f}"
    return f"{x:.4g}"


def money(usd: float) -> str:
    """Dollars: exact to the dollar below a million (cents below $100 when there are any),
    then M / B / T to three significant figures.

    >>> money(4000), money(1.79), money(90.0), money(1_464_904), money(-896_436), money(4.2e6)
    ('$4,000', '$1.79', '$90', '$1.46M', '-$896,436', '$4.2M')
    """
    sign, x = ("-" if usd < 0 else ""), abs(usd)
    if x >= 1e15:
        return f"{sign}${scientific(x)}"
    for size, suffix in _SUFFIXES:
        if x >= size * 0.9995:
            return f"{sign}${sig(x / size)}{suffix}"
    if x >= 100 or float(x).is_integer():
        return f"{sign}${x:,.0f}"
    return f"{sign}${x:,.2f}"


def percent(fraction: float) -> str:
    """A fraction as a percentage: ``0.2`` → ``20%``, ``0.0625`` → ``6.25%``.

    >>> percent(0.2), percent(0.35), percent(1.0), percent(0.000625)
    ('20%', '35%', '100%', '0.0625%')
    """
    return f"{sig(100 * fraction)}%"


def unit_for(value: float, unit: str) -> str:
    """``unit`` in the singular after exactly 1 (``1 epoch``, ``1 GPU``, ``1 deploy/month``).

    >>> unit_for(1, "epochs"), unit_for(1, "micro-batches"), unit_for(2, "GPUs")
    ('epoch', 'micro-batch', 'GPUs')
    >>> unit_for(1, "deploys/month"), unit_for(1, "items/s"), unit_for(1, "GB/s")
    ('deploy/month', 'item/s', 'GB/s')
    """
    head, slash, tail = unit.partition("/")
    if value != 1 or not head.endswith("s") or head.isupper() or len(head) < 3:
        return unit
    head = head[:-2] if head.endswith(("ches", "shes", "sses")) else head[:-1]
    return head + slash + tail


def fmt_value(value: Any, unit: str | None = None) -> str:
    """Format an input or result value for a table cell, with its unit, at a humane scale:
    a fraction as a percentage, dollars with ``$``, large counts as 7B / 100M, a power of
    ten for the largest, the unit in the singular after 1.

    >>> fmt_value(1234567.0, "USD/month"), fmt_value(6666.67), fmt_value(0.2, "fraction")
    ('$1.23M/month', '6,667', '20%')
    >>> fmt_value(7e9, "parameters"), fmt_value(1e21, "FLOP"), fmt_value(10.0, "×")
    ('7B parameters', '1 × 10²¹ FLOP', '10×')
    >>> fmt_value(1.0, "epochs"), fmt_value(0.1, "fraction/year"), fmt_value(1.79, "USD/h")
    ('1 epoch', '10%/year', '$1.79/h')
    >>> fmt_value(0.000123), fmt_value(12.3456), fmt_value(True), fmt_value(None)
    ('0.000123', '12.35', 'yes', '—')
    >>> fmt_value(["a", "b"]), fmt_value([])
    ('a, b', 'none')
    """
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (int, float)):
        if unit and unit.startswith("fraction"):
            return percent(value) + unit.removeprefix("fraction")
        if unit and unit.startswith("USD"):
            return money(value) + unit.removeprefix("USD")
        text = count(value)
        if not unit:
            return text
        return f"{text}{unit}" if unit == "×" else f"{text} {unit_for(value, unit)}"
    if isinstance(value, (list, tuple)):
        return (
            ", ".join(
                str(v.get("name") or v.get("id") or fmt_value(v))
                if isinstance(v, dict)
                else fmt_value(v)
                for v in value
            )
            or "none"
        )
    if isinstance(value, dict):
        return "; ".join(f"{k}: {fmt_value(v)}" for k, v in value.items()) or "none"
    text = str(value)
    return f"{text} {unit}" if unit else text


_SCI = re.compile(r"(?<![\w.])(-?\d+(?:\.\d+)?)e([+-]?\d+)(?![\w])")
_GROUPED = re.compile(r"(?<![\w.,])(-?)(\$?)(\d{1,3}(?:,\d{3}){2,})(?:\.\d+)?(?![\d,])")


def humane(text: str) -> str:
    """An engine's figure text at a humane scale: ``1.21e21`` → ``1.21 × 10²¹``, a number of
    a million or more written out → ``6.74B`` / ``$1.46M``; the rest as it is.

    >>> humane("1.21e21 FLOP"), humane("Llama-2-7B (6,738,415,616 parameters)")
    ('1.21 × 10²¹ FLOP', 'Llama-2-7B (6.74B parameters)')
    >>> humane("$1,464,904 ($455,000 cash); likely -$1,075,301 to -$725,485")
    '$1.46M ($455,000 cash); likely -$1.08M to -$725,485'
    """

    def grouped(m: re.Match[str]) -> str:
        x = float(m[3].replace(",", ""))
        return m[1] + (money(x) if m[2] else count(x))

    text = _SCI.sub(lambda m: scientific(float(f"{m[1]}e{m[2]}")), text)
    return _GROUPED.sub(grouped, text)


def field_label(info: Any, name: str) -> str:
    """What a person reads for a model field: its ``label``, else its title, else its name
    in words."""
    extra = info.json_schema_extra if isinstance(info.json_schema_extra, dict) else {}
    words = name.removesuffix("_usd").replace("_", " ")  # the unit is shown with the value
    return str(extra.get("label") or info.title or words.capitalize())


def field_unit(info: Any) -> str | None:
    """A model field's ``unit`` (``json_schema_extra``), if it declares one."""
    extra = info.json_schema_extra if isinstance(info.json_schema_extra, dict) else {}
    return extra.get("unit")
