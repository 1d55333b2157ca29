"""User-facing errors: one clear sentence, never a traceback."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TypeVar

from pydantic import BaseModel, ValidationError

M = TypeVar("M", bound=BaseModel)


class InputError(ValueError):
    """Bad user input; ``str(err)`` is a message fit to show as it is."""


def describe_validation_error(err: ValidationError) -> str:
    """Turn a pydantic error into lines like ``growth.users_multiple: must be ≥ 1 (got 0)``."""
    lines = []
    for item in err.errors():
        where = ".".join(str(p) for p in item["loc"]) or "(top level)"
        msg = item["msg"]
        if item["type"] == "extra_forbidden":
            msg = "unknown key"
        elif item["type"] == "missing":
            msg = "required field is missing"
        got = item.get("input")
        shown = (
            ""
            if item["type"] in ("missing", "extra_forbidden") or isinstance(got, dict)
            else f" (got {got!r})"
        )
        lines.append(f"{where}: {msg}{shown}")
    return "\n".join(lines)


def read_json(path: str | Path) -> tuple[object, str]:
    """Read and decode a JSON file (``"-"``: standard input); return ``(data, source name)``.

    Every failure (missing file, directory, unreadable, not JSON) is an :class:`InputError`.
    """
    source = "standard input" if str(path) == "-" else str(path)
    try:
        text = sys.stdin.buffer.read() if str(path) == "-" else Path(path).read_bytes()
    except FileNotFoundError:
        raise InputError(f"file not found: {source}") from None
    except IsADirectoryError:
        raise InputError(f"{source} is a directory, not a JSON file") from None
    except OSError as exc:
        raise InputError(f"cannot read {source}: {exc.strerror}") from None
    return decode_json(text, source), source


def decode_json(text: str | bytes, source: str) -> object:
    """``json.loads`` with an :class:`InputError` naming ``source`` on failure."""
    try:
        return json.loads(text)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise InputError(f"{source} is not valid JSON: {exc}") from None


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
