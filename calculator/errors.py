"""User-facing errors: one clear sentence, never a traceback."""

from __future__ import annotations

import json
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
        shown = "" if item["type"] in ("missing", "extra_forbidden") or isinstance(got, dict) else f" (got {got!r})"
        lines.append(f"{where}: {msg}{shown}")
    return "\n".join(lines)


def parse_model_json(text: str | bytes, model: type[M], *, source: str = "input") -> M:
    """Parse JSON text into ``model``; raise :class:`InputError` with a readable reason."""
    try:
        data = json.loads(text)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise InputError(f"{source} is not valid JSON: {exc}") from None
    if not isinstance(data, dict):
        raise InputError(f"{source} must hold a JSON object, not {type(data).__name__}")
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise InputError(f"{source} has invalid values:\n{describe_validation_error(exc)}") from None


def load_model_file(path: str | Path, model: type[M]) -> M:
    """Read a JSON file into ``model``; raise :class:`InputError` for every failure mode."""
    p = Path(path)
    try:
        text = p.read_bytes()
    except FileNotFoundError:
        raise InputError(f"file not found: {p}") from None
    except OSError as exc:
        raise InputError(f"cannot read {p}: {exc.strerror}") from None
    return parse_model_json(text, model, source=str(p))
