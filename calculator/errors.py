"""User-facing errors: one clear sentence, never a traceback."""

from __future__ import annotations

import json
import os
import stat
import sys
from pathlib import Path
from typing import TypeVar

from pydantic import BaseModel, ValidationError

M = TypeVar("M", bound=BaseModel)


class InputError(ValueError):
    """Bad user input; ``str(err)`` is a message fit to show as it is."""


QUOTE_CHARS = 80
"""Longest piece of a user's value (or key, or file name) an error message repeats."""

MAX_FILE_BYTES = 10_000_000
"""Largest JSON file any command or upload reads (real answers files are a few KB)."""

MAX_PROBLEMS = 10
"""Most validation problems one message lists."""


def quote(value: object, limit: int = QUOTE_CHARS) -> str:
    """``repr(value)``, cut to ``limit`` characters with "… (N characters)" when longer.

    Examples
    --------
    >>> quote("x" * 1000, 20)
    "'xxxxxxxxxxxxxxxxx… (1,000 characters)"
    >>> quote(3.5)
    '3.5'
    """
    text = repr(value)
    if len(text) <= limit:
        return text
    size = len(value) if isinstance(value, str) else len(text)
    return f"{text[: limit - 2]}… ({size:,} characters)"


def shorten(text: str, limit: int = QUOTE_CHARS) -> str:
    """``text`` cut to ``limit`` characters with an ellipsis (file names, keys in messages)."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def describe_validation_error(err: ValidationError) -> str:
    """Turn a pydantic error into lines like ``growth.users_multiple: must be ≥ 1 (got 0)``.

    Values and keys are quoted at most :data:`QUOTE_CHARS` long, so a megabyte-long value never
    comes back in full; at most :data:`MAX_PROBLEMS` problems are listed.
    """
    lines = []
    items = err.errors()
    for item in items[:MAX_PROBLEMS]:
        where = shorten(".".join(str(p) for p in item["loc"]) or "(top level)")
        msg = shorten(item["msg"].removeprefix("Value error, "), 300)
        if item["type"] == "extra_forbidden":
            msg = "unknown key"
        elif item["type"] == "missing":
            msg = "required field is missing"
        got = item.get("input")
        shown = (
            ""
            if item["type"] in ("missing", "extra_forbidden") or isinstance(got, (dict, list))
            else f" (got {quote(got)})"
        )
        lines.append(f"{where}: {msg}{shown}")
    if len(items) > MAX_PROBLEMS:
        lines.append(f"… and {len(items) - MAX_PROBLEMS:,} more problems")
    return "\n".join(lines)


def read_bytes(
    path: str | Path, *, what: str = "file", max_bytes: int = MAX_FILE_BYTES
) -> tuple[bytes, str]:
    """The bytes of a regular file (``"-"``: standard input), at most ``max_bytes``, and its name.

    Refuses, with an :class:`InputError` naming the path: a missing or unreadable file, a
    directory, anything that is not a regular file (a pipe, a device, a socket — checked before
    opening, so a pipe nobody writes to never hangs the command) and a file larger than
    ``max_bytes``.
    """
    if str(path) == "-":
        source = "standard input"
        data = sys.stdin.buffer.read(max_bytes + 1)
    else:
        source = shorten(str(path))
        try:
            info = os.stat(path)
            if stat.S_ISDIR(info.st_mode):
                raise InputError(f"{source} is a directory, not a {what}")
            if not stat.S_ISREG(info.st_mode):
                raise InputError(
                    f"{source} is not a regular file (it is a pipe, device or socket); save "
                    f"the {what} as an ordinary file and give its path"
                )
            with open(path, "rb") as fh:
                data = fh.read(max_bytes + 1)
        except FileNotFoundError:
            raise InputError(f"{what} not found: {source}") from None
        except OSError as exc:
            raise InputError(f"cannot read {source}: {exc.strerror or exc}") from None
    if len(data) > max_bytes:
        raise InputError(
            f"{source} is larger than {max_bytes / 1e6:,.0f} MB; no {what} needs to be that long"
        )
    return data, source


def read_json(path: str | Path) -> tuple[object, str]:
    """Read and decode a JSON file (``"-"``: standard input); return ``(data, source name)``.

    Every failure (see :func:`read_bytes` and :func:`decode_json`) is an :class:`InputError`.
    """
    data, source = read_bytes(path, what="JSON file")
    return decode_json(data, source), source


def _refuse_constant(name: str) -> object:
    raise InputError(f"{name} is not a number a file may hold; write a finite number")


def decode_json(text: str | bytes, source: str) -> object:
    """``json.loads`` with an :class:`InputError` naming ``source`` on any failure: not JSON,
    not UTF-8, ``NaN`` / ``Infinity``, nesting too deep for the parser, an integer of more
    digits than Python converts.

    Examples
    --------
    >>> decode_json('{"a": [1, 2]}', "x.json")
    {'a': [1, 2]}
    >>> for bad in ("[" * 100_000, '{"a": NaN}', "9" * 5000):
    ...     try:
    ...         decode_json(bad, "x.json")
    ...     except InputError as exc:
    ...         print(str(exc)[:58])
    x.json is nested too deeply to be an answers, plan or scen
    x.json is not valid JSON: NaN is not a number a file may h
    x.json is not valid JSON: a number has more than 4,300 dig
    """
    source = shorten(source)
    try:
        return json.loads(text, parse_constant=_refuse_constant)
    except RecursionError:
        raise InputError(
            f"{source} is nested too deeply to be an answers, plan or scenario file"
        ) from None
    except InputError as exc:
        raise InputError(f"{source} is not valid JSON: {exc}") from None
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise InputError(f"{source} is not valid JSON: {shorten(str(exc), 200)}") from None
    except ValueError:  # int("9" * 5000): CPython's integer-string conversion limit
        raise InputError(
            f"{source} is not valid JSON: a number has more than "
            f"{sys.get_int_max_str_digits():,} digits"
        ) from None


def validate_model(data: object, model: type[M], *, source: str = "input") -> M:
    """Validate decoded JSON against ``model``; raise :class:`InputError` with a readable reason."""
    if not isinstance(data, dict):
        raise InputError(f"{source} must hold a JSON object, not {type(data).__name__}")
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise InputError(
            f"{source} has invalid values:\n{describe_validation_error(exc)}"
        ) from None


def parse_model_json(text: str | bytes, model: type[M], *, source: str = "input") -> M:
    """Parse JSON text into ``model``; raise :class:`InputError` with a readable reason."""
    return validate_model(decode_json(text, source), model, source=source)


def load_model_file(path: str | Path, model: type[M]) -> M:
    """Read a JSON file (``"-"``: standard input) into ``model``; every failure is an
    :class:`InputError`."""
    data, source = read_json(path)
    return validate_model(data, model, source=source)
