"""Compact, URL-safe packing of a JSON object (a scenario in a share link).

zlib-compressed JSON in URL-safe base64 without padding.  No engine imports: the app packs
the session's scenario into its URL on every run, so this stays off the start-up path.
"""

from __future__ import annotations

import base64
import binascii
import json
import zlib
from typing import Any

from calculator.errors import InputError

MAX_LINK_CHARS = 16_000
"""Longest payload accepted (a scenario with every page filled in is ≈ 1–2K)."""

MAX_INFLATED_BYTES = 1_000_000
"""Largest decompressed payload (a zip bomb in a link must not fill memory)."""


def pack(data: Any) -> str:
    """URL-safe text that :func:`unpack` turns back into ``data``.

    Examples
    --------
    >>> unpack(pack({"a": [1, 2]}))
    {'a': [1, 2]}
    """
    raw = json.dumps(data, separators=(",", ":"), sort_keys=True).encode()
    return base64.urlsafe_b64encode(zlib.compress(raw, 9)).decode().rstrip("=")


def unpack(text: str) -> Any:
    """The JSON value :func:`pack` packed; :class:`InputError` for anything else."""
    if len(text) > MAX_LINK_CHARS:
        raise InputError(f"the link's scenario is longer than {MAX_LINK_CHARS:,} characters")
    damaged = InputError("the link does not carry a ScaleRisk scenario (it may be cut short)")
    try:
        packed = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
        inflater = zlib.decompressobj()
        raw = inflater.decompress(packed, MAX_INFLATED_BYTES)
    except (binascii.Error, zlib.error, ValueError):
        raise damaged from None
    if inflater.unconsumed_tail:
        raise InputError("the link's scenario is too large")
    try:
        return json.loads(raw)
    except (ValueError, RecursionError):
        raise damaged from None
