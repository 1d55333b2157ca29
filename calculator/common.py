"""Small shared value types used by several calculator domains."""

from __future__ import annotations

import types
from typing import Any, Literal, Union, get_args, get_origin

from pydantic import BaseModel, Field, ValidationInfo, field_validator

Stage = Literal["design", "pilot", "production"]
"""Lifecycle stage of the system (seed 001 §4: lock-in grows from design to production)."""

COMPONENTS: tuple[str, ...] = ("inference", "storage", "training", "operations")
"""The cost components of seed 001 §6, ``C(u,d,m) = C_inf + C_sto + C_train + C_ops``."""


def usd_field(description: str, default: float = 0.0) -> float:
    """A non-negative monthly-USD pydantic field (description doubles as UI help)."""
    return Field(
        default, ge=0, le=1e10, description=description, json_schema_extra={"unit": "USD/month"}
    )


def _is_number(annotation: Any) -> bool:
    """True for ``int``, ``float`` and their ``| None`` forms (not bool, not Literal)."""
    if annotation in (int, float):
        return True
    if get_origin(annotation) in (Union, types.UnionType):
        args = [a for a in get_args(annotation) if a is not type(None)]
        return len(args) == 1 and args[0] in (int, float)
    return False


class InputModel(BaseModel):
    """Base of every model a person's input enters through: a number field takes a number.

    Pydantic's lax mode reads ``true`` as 1 and ``"12"`` as 12; here a JSON boolean or a
    string given for a number is refused with a message, instead of silently becoming one
    (issue 15: ``true`` was accepted as a growth multiple of 1.0).
    """

    @field_validator("*", mode="before")
    @classmethod
    def _numbers_are_numbers(cls, value: Any, info: ValidationInfo) -> Any:
        if isinstance(value, (bool, str)) and info.field_name is not None:
            field = cls.model_fields.get(info.field_name)
            if field is not None and _is_number(field.annotation):
                kind = "true/false" if isinstance(value, bool) else "text"
                raise ValueError(f"must be a number, not {kind}")
        return value


class ComponentCosts(InputModel, frozen=True, extra="forbid"):
    """Monthly cost per seed 001 §6 component, in USD/month."""

    inference: float = usd_field("Serving / inference compute (seed 001 §2.1).")
    storage: float = usd_field("Storage of raw data, features, logs and telemetry (seed 001 §2.4).")
    training: float = usd_field("Training and retraining compute (seed 001 §2.3).")
    operations: float = usd_field(
        "Operations: engineering time, monitoring, pipelines (seed 001 §2.2, §2.5)."
    )

    @property
    def total(self) -> float:
        """Sum of the four components, USD/month."""
        return self.inference + self.storage + self.training + self.operations

    def as_dict(self) -> dict[str, float]:
        """Component name → USD/month, in :data:`COMPONENTS` order."""
        return {name: getattr(self, name) for name in COMPONENTS}


MAX_PROJECTED_USD = 1e22
"""Upper bound of a projected monthly cost per component (USD/month).

Derived, not chosen: the largest projection legal answers can produce is today's cost at its
bound ($1e10/month) × the largest growth multiples (users and data ×10⁴, models ×10³) under the
steepest laws — operations under a high-cardinality feature store, high variant: ≈ $2.5e21/month
(``tests/test_forecast.py`` computes it over every architecture, pipeline and retraining
choice).  A projection is a result; it is never checked against today's $1e10 bound."""


def projected_usd_field(description: str, default: float = 0.0) -> float:
    """A projected monthly-USD field: non-negative, at most :data:`MAX_PROJECTED_USD`."""
    return Field(
        default,
        ge=0,
        le=MAX_PROJECTED_USD,
        description=description,
        json_schema_extra={"unit": "USD/month"},
    )


class ProjectedCosts(ComponentCosts, frozen=True, extra="forbid"):
    """Monthly cost per component at a growth horizon (USD/month): a projection, whose bound is
    what growth can reach (:data:`MAX_PROJECTED_USD`), not today's."""

    inference: float = projected_usd_field("Serving / inference compute at the horizon.")
    storage: float = projected_usd_field("Storage at the horizon.")
    training: float = projected_usd_field("Training and retraining compute at the horizon.")
    operations: float = projected_usd_field("Operations at the horizon.")


def format_money(usd: float) -> str:
    """Compact dollars for a range beside a headline: ``$730K``, ``$1.1M``, ``$950``.

    Examples
    --------
    >>> format_money(730_329), format_money(1_003_400), format_money(950), format_money(2.5e9)
    ('$730K', '$1.0M', '$950', '$2.5B')
    """
    sign, x = ("-" if usd < 0 else ""), abs(usd)
    for size, suffix in ((1e12, "T"), (1e9, "B"), (1e6, "M"), (1e3, "K")):
        if x >= size * 0.9995:
            v = x / size
            digits = f"{v:.1f}" if v < 9.95 else f"{v:,.0f}"
            return f"{sign}${digits}{suffix}"
    return f"{sign}${x:,.0f}"
