"""Uncertainty engine: which inputs are uncertain, how, and what that does to a headline.

Every headline the product shows is a formula on point inputs, yet most of its inputs are
ranges (the seeds give exponents as 1.2–1.6, reductions as 30–60%, and nobody knows a
fine-tune's MFU to better than ±30%).  Each domain module describes its uncertain inputs as
:class:`Uncertain` objects and evaluates its headline formula on arrays of samples
(numpy-financial's style: one formula, arrays in, arrays out).  This module draws the samples,
turns them into :class:`Range` (P10 / P50 / P90 beside the point value) and builds tornado
bars (:func:`tornado`).

Three shapes, chosen per input (stated on the Methodology page):

* **uniform** over a range the source gives (a seed's "1.2–1.6"): it says nothing about which
  value inside is likelier, so every value is equally likely;
* **triangular** around a value the user gave, with the user's ± spread: the user's value is
  the likeliest, the ends of the spread the least likely;
* **log-normal** for multiplicative quantities known only to a factor (MFU, prices,
  throughputs): the point value is the median, and *low* / *high* are its P10 / P90.

The point value is always the formula on the base inputs; a simulation never changes it.
Samples are drawn with a fixed seed (:data:`DEFAULT_SEED`), so the same scenario gives the same
range on the page, in the CLI and in the PDF.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from typing import Any, Literal

import numpy as np
from pydantic import BaseModel, Field, field_validator, model_validator

Kind = Literal["uniform", "triangular", "lognormal"]
Source = Literal["seed range", "your spread", "assumption"]

DEFAULT_SAMPLES = 16_000
"""Samples per simulation (Latin hypercube).  At this size every headline's P10 and P90 move by
less than 1% between seeds (max − min over ten; ``scripts/measure_convergence.py``, table on
the Methodology page); at 4,000 the plan NPV's P90 moved by 2.8%."""

DEFAULT_SEED = 2026
"""Seed of the random generator, so a scenario's range is reproducible everywhere."""

MAX_SAMPLES = 100_000
"""Upper bound of ``--samples`` (memory: a few arrays of this length per headline)."""

Z90 = 1.2815515655446004
"""Standard-normal quantile of 0.9: a log-normal's P90 / median = e^(σ·z90)."""


class Uncertain(BaseModel, frozen=True, extra="forbid"):
    """One uncertain input: its shape, range, point value and where the range comes from."""

    key: str = Field(
        description="Stable identifier, e.g. 'growth.users_multiple' or 'training_alpha'."
    )
    label: str = Field(description="What a person reads, e.g. 'User growth'.")
    kind: Kind
    low: float = Field(description="Low end (uniform, triangular) or P10 (log-normal).")
    base: float = Field(description="The point value the headline uses.")
    high: float = Field(description="High end (uniform, triangular) or P90 (log-normal).")
    source: Source = Field(description="Where the range comes from.")
    reference: str = Field("", description="The section the range is taken from, if any.")
    floor: float | None = Field(
        None,
        description="Samples are clipped to [floor, ceiling], the input's bounds (None: none).",
    )
    ceiling: float | None = Field(None)

    @model_validator(mode="after")
    def _ordered(self) -> Uncertain:
        if not self.low <= self.base <= self.high:
            raise ValueError(
                f"{self.label}: need low ≤ base ≤ high (got {self.low:g}, {self.base:g}, "
                f"{self.high:g})"
            )
        if self.kind == "lognormal" and self.low <= 0:
            raise ValueError(f"{self.label}: a log-normal input must be positive")
        return self

    @property
    def fixed(self) -> bool:
        """True when the range is a single point (nothing to sample)."""
        return self.low == self.high

    def sample(self, rng: np.random.Generator, n: int) -> np.ndarray:
        """``n`` Latin-hypercube draws, clipped to the input's bounds.

        Notes
        -----
        Latin hypercube sampling (McKay, Beckman & Conover 1979): the unit interval is cut
        into ``n`` equal strata, one uniform draw falls in each, the strata are shuffled, and
        the input's inverse CDF turns them into values.  Every input covers its whole range
        evenly in every simulation, so a quantile moves less between seeds than with plain
        random draws of the same size (measured: ``scripts/measure_convergence.py``).

        Examples
        --------
        >>> u = Uncertain(key="a", label="A", kind="uniform", low=1.2, base=1.3, high=1.6,
        ...               source="seed range")
        >>> x = u.sample(np.random.default_rng(0), 1000)
        >>> bool(x.min() >= 1.2 and x.max() <= 1.6)
        True
        """
        if self.fixed:
            return np.full(n, self.base)
        x = self.inverse_cdf((rng.permutation(n) + rng.random(n)) / n)
        lo = -math.inf if self.floor is None else self.floor
        return np.clip(x, lo, math.inf if self.ceiling is None else self.ceiling)

    def inverse_cdf(self, u: np.ndarray) -> np.ndarray:
        """The input's value at cumulative probability ``u`` (0 < u < 1), before clipping.

        Notes
        -----
        uniform: :math:`a + u (b - a)`; triangular with mode :math:`c`:
        :math:`a + \\sqrt{u (b-a)(c-a)}` for :math:`u < (c-a)/(b-a)`, else
        :math:`b - \\sqrt{(1-u)(b-a)(b-c)}`; log-normal with median :math:`m` and
        :math:`\\sigma = \\ln(\\max(high/m, m/low)) / z_{0.9}`:
        :math:`m\\,e^{\\sigma\\,\\Phi^{-1}(u)}`.

        Examples
        --------
        >>> t = Uncertain(key="t", label="T", kind="triangular", low=0.0, base=1.0, high=4.0,
        ...               source="your spread")
        >>> [round(float(v), 6) for v in t.inverse_cdf(np.array([0.25, 0.5]))]
        [1.0, 1.55051]
        """
        a, c, b = self.low, self.base, self.high
        if self.kind == "uniform":
            return a + u * (b - a)
        if self.kind == "triangular":
            split = (c - a) / (b - a)
            left = a + np.sqrt(u * (b - a) * (c - a))
            right = b - np.sqrt((1 - u) * (b - a) * (b - c))
            return np.where(u < split, left, right)
        sigma = math.log(max(b / c, c / a)) / Z90
        return c * np.exp(sigma * normal_quantile(u))


def normal_quantile(p: np.ndarray) -> np.ndarray:
    """The standard normal's inverse CDF :math:`\\Phi^{-1}(p)`, vectorised (0 < p < 1).

    Notes
    -----
    Acklam's rational approximation (P. J. Acklam, "An algorithm for computing the inverse
    normal cumulative distribution function", 2003): relative error below 1.15 × 10⁻⁹,
    a central rational function for 0.02425 ≤ p ≤ 0.97575 and a tail one outside.

    Examples
    --------
    >>> [round(float(z), 6) for z in normal_quantile(np.array([0.5, 0.9, 0.025]))]
    [0.0, 1.281552, -1.959964]
    """
    p = np.asarray(p, dtype=float)
    a = (
        -39.69683028665376,
        220.9460984245205,
        -275.9285104469687,
        138.3577518672690,
        -30.66479806614716,
        2.506628277459239,
    )
    b = (
        -54.47609879822406,
        161.5858368580409,
        -155.6989798598866,
        66.80131188771972,
        -13.28068155288572,
    )
    c = (
        -7.784894002430293e-03,
        -0.3223964580411365,
        -2.400758277161838,
        -2.549732539343734,
        4.374664141464968,
        2.938163982698783,
    )
    d = (7.784695709041462e-03, 0.3224671290700398, 2.445134137142996, 3.754408661907416)
    low = 0.02425
    q = p - 0.5
    r = q * q
    central = (
        (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5])
        * q
        / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1)
    )
    t = np.sqrt(-2 * np.log(np.where(q < 0, p, 1 - p).clip(1e-300)))
    tail = (((((c[0] * t + c[1]) * t + c[2]) * t + c[3]) * t + c[4]) * t + c[5]) / (
        (((d[0] * t + d[1]) * t + d[2]) * t + d[3]) * t + 1
    )
    tail = np.where(q < 0, tail, -tail)
    return np.where(np.abs(q) <= 0.5 - low, central, tail)


def around(
    key: str,
    label: str,
    value: float,
    spread: float,
    *,
    floor: float = -math.inf,
    ceiling: float = math.inf,
) -> Uncertain:
    """A user's value with a ± relative spread, triangular, clipped to the input's bounds.

    Examples
    --------
    >>> u = around("growth.users_multiple", "User growth", 10.0, 0.3, floor=1.0)
    >>> (u.low, u.base, u.high, u.kind, u.source)
    (7.0, 10.0, 13.0, 'triangular', 'your spread')
    """
    lo, hi = max(value * (1 - spread), floor), min(value * (1 + spread), ceiling)
    if value < 0:
        lo, hi = max(value * (1 + spread), floor), min(value * (1 - spread), ceiling)
    return Uncertain(
        key=key,
        label=label,
        kind="triangular",
        low=lo,
        base=value,
        high=hi,
        source="your spread",
        floor=floor if math.isfinite(floor) else None,
        ceiling=ceiling if math.isfinite(ceiling) else None,
    )


def draw(
    inputs: Sequence[Uncertain], n: int = DEFAULT_SAMPLES, seed: int = DEFAULT_SEED
) -> dict[str, np.ndarray]:
    """Samples of every input, one array of length ``n`` each, from one seeded generator.

    Inputs are drawn in the order given, so adding an input at the end never changes the
    others' samples.

    Examples
    --------
    >>> u = Uncertain(key="a", label="A", kind="uniform", low=0.0, base=0.5, high=1.0,
    ...               source="seed range")
    >>> bool((draw([u], 10, seed=1)["a"] == draw([u], 10, seed=1)["a"]).all())
    True
    """
    rng = np.random.default_rng(seed)
    return {u.key: u.sample(rng, n) for u in inputs}


def point(inputs: Sequence[Uncertain]) -> dict[str, np.ndarray]:
    """Every input at its point value, as length-1 arrays (the headline's own value)."""
    return {u.key: np.array([u.base]) for u in inputs}


class Range(BaseModel, frozen=True, extra="forbid"):
    """A headline's point value and the P10 / P50 / P90 of its simulation."""

    point: float = Field(description="The formula on the base inputs (what the headline shows).")
    p10: float
    p50: float
    p90: float

    def as_dict(self) -> dict[str, float]:
        """``{"p10", "p50", "p90"}`` for the CLI's JSON."""
        return {"p10": self.p10, "p50": self.p50, "p90": self.p90}


def quantiles(samples: np.ndarray, point_value: float) -> Range:
    """P10 / P50 / P90 of ``samples`` beside the point value (NaN samples are dropped).

    Notes
    -----
    Linear interpolation between order statistics (numpy's default), so P10 ≤ P50 ≤ P90.

    Examples
    --------
    >>> r = quantiles(np.arange(101, dtype=float), 50.0)
    >>> r.p10, r.p50, r.p90
    (10.0, 50.0, 90.0)
    """
    x = np.asarray(samples, dtype=float)
    x = x[np.isfinite(x)]
    if x.size == 0:
        return Range(point=point_value, p10=point_value, p50=point_value, p90=point_value)
    p10, p50, p90 = np.quantile(x, [0.1, 0.5, 0.9])
    return Range(point=point_value, p10=float(p10), p50=float(p50), p90=float(p90))


def format_likely(r: Range, fmt: Callable[[float], str]) -> str:
    """``"likely $520K–$1.1M"``: the P10–P90 of a range in the headline's own format.

    A headline outside its own P10–P90 (its stated inputs sit at one end of their ranges, as
    the linear archetype's inference exponent of 1.0 in 1.0–1.18 does) says so, so that no
    reader takes the range for a mistake.

    Examples
    --------
    >>> format_likely(Range(point=5, p10=4, p50=5, p90=7), lambda x: f"{x:.0f}")
    'likely 4–7'
    >>> format_likely(Range(point=-5, p10=-7, p50=-5, p90=-4), lambda x: f"{x:.0f}")
    'likely -7 to -4'
    >>> text = format_likely(Range(point=5.3, p10=5.7, p50=7.6, p90=10.2), lambda x: f"{x:.1f}")
    >>> text.startswith("likely 5.7–10.2 (above the headline, which takes the stated values")
    True
    """
    lo, hi, at = fmt(r.p10), fmt(r.p90), fmt(r.point)
    text = (
        f"likely {lo}"
        if lo == hi
        else (f"likely {lo} to {hi}" if "-" in lo + hi else f"likely {lo}–{hi}")
    )
    side = (
        "above" if r.point < r.p10 and at != lo else "below" if r.point > r.p90 and at != hi else ""
    )
    if side:
        text += (
            f" ({side} the headline, which takes the stated values: they sit at one end of their "
            "ranges)"
        )
    return text


class TornadoBar(BaseModel, frozen=True, extra="forbid"):
    """One input moved to its low and its high end, the others at base: the headline at each."""

    key: str
    label: str
    input_low: float
    input_high: float
    low: float = Field(description="Headline with this input at its low end.")
    high: float = Field(description="Headline with this input at its high end.")
    source: Source

    @property
    def swing(self) -> float:
        """|high − low|: how much this input alone moves the headline."""
        return abs(self.high - self.low)


def tornado(
    evaluate: Callable[[Mapping[str, np.ndarray]], np.ndarray], inputs: Sequence[Uncertain]
) -> list[TornadoBar]:
    """Swing of a headline per uncertain input, largest first.

    Parameters
    ----------
    evaluate : the headline's vectorised formula: input arrays (one per key) → headline array.
    inputs : the uncertain inputs; fixed ones (low = high) are left out.

    Returns
    -------
    list : one :class:`TornadoBar` per input that can move, sorted by swing (largest first).

    Notes
    -----
    One call of ``evaluate`` on 2k rows: row 2i has input i at its low end, row 2i+1 at its
    high end, every other input at its point value.

    Examples
    --------
    >>> a = Uncertain(key="a", label="A", kind="uniform", low=1, base=2, high=3,
    ...               source="seed range")
    >>> b = Uncertain(key="b", label="B", kind="uniform", low=0, base=1, high=5,
    ...               source="seed range")
    >>> [(t.key, t.low, t.high) for t in tornado(lambda x: x["a"] * x["b"], [a, b])]
    [('b', 0.0, 10.0), ('a', 1.0, 3.0)]
    """
    moving = [u for u in inputs if not u.fixed]
    if not moving:
        return []
    rows = 2 * len(moving)
    columns = {u.key: np.full(rows, u.base, dtype=float) for u in inputs}
    for i, u in enumerate(moving):
        columns[u.key][2 * i] = u.low
        columns[u.key][2 * i + 1] = u.high
    out = np.asarray(evaluate(columns), dtype=float)
    bars = [
        TornadoBar(
            key=u.key,
            label=u.label,
            input_low=u.low,
            input_high=u.high,
            low=float(out[2 * i]),
            high=float(out[2 * i + 1]),
            source=u.source,
        )
        for i, u in enumerate(moving)
    ]
    return sorted(bars, key=lambda t: -t.swing)


class Spreads(BaseModel, frozen=True, extra="forbid"):
    """The inputs a user marked as uncertain: dotted field path → relative ± spread (0–1).

    Examples
    --------
    >>> Spreads(values={"growth.users_multiple": 0.3}).values
    {'growth.users_multiple': 0.3}
    """

    values: dict[str, float] = Field(
        default_factory=dict, description="Field path → ± spread as a fraction."
    )

    @field_validator("values")
    @classmethod
    def _fractions(cls, v: dict[str, float]) -> dict[str, float]:
        for key, spread in v.items():
            if isinstance(spread, bool) or not 0 <= spread <= 1:
                raise ValueError(
                    f"the spread of {key} must be between 0 and 1 (a fraction: 0.3 = ±30%)"
                )
        return v


def numeric_fields(model: type[BaseModel], prefix: str = "") -> dict[str, Any]:
    """Dotted path → field info of every int/float field of ``model`` (nested models walked).

    Examples
    --------
    >>> class A(BaseModel):
    ...     x: float = 1.0
    ...     name: str = ""
    >>> list(numeric_fields(A))
    ['x']
    """
    out: dict[str, Any] = {}
    for name, info in model.model_fields.items():
        ann = info.annotation
        if isinstance(ann, type) and issubclass(ann, BaseModel):
            out.update(numeric_fields(ann, f"{prefix}{name}."))
        elif ann in (int, float) or ann in (int | None, float | None):
            out[f"{prefix}{name}"] = info
    return out


def field_bounds(info: Any) -> tuple[float, float]:
    """(lower, upper) bound of a numeric pydantic field (±inf when absent)."""
    lo, hi = -math.inf, math.inf
    for meta in info.metadata:
        for attr in ("ge", "gt"):
            if getattr(meta, attr, None) is not None:
                lo = float(getattr(meta, attr))
        for attr in ("le", "lt"):
            if getattr(meta, attr, None) is not None:
                hi = float(getattr(meta, attr))
    return lo, hi


def field_label(info: Any, path: str) -> str:
    """The label a person reads for a field (its ``json_schema_extra`` label, else its name)."""
    extra = info.json_schema_extra if isinstance(info.json_schema_extra, dict) else {}
    return str(extra.get("label") or path.rsplit(".", 1)[-1].replace("_", " ").capitalize())


def user_spreads(model: BaseModel, spreads: Mapping[str, float]) -> list[Uncertain]:
    """The user's marked inputs of ``model`` as triangular :class:`Uncertain` around their values.

    Raises
    ------
    ValueError : a path that is not a numeric field of the model.

    Examples
    --------
    >>> class G(BaseModel):
    ...     users_multiple: float = Field(10.0, ge=1, le=1e4)
    >>> [(u.low, u.high) for u in user_spreads(G(), {"users_multiple": 0.5})]
    [(5.0, 15.0)]
    """
    fields = numeric_fields(type(model))
    out = []
    for path, spread in spreads.items():
        if path not in fields:
            raise ValueError(f"{path} is not a numeric input, so it cannot carry a spread")
        value: Any = model
        for part in path.split("."):
            value = getattr(value, part)
        if value is None:
            continue
        lo, hi = field_bounds(fields[path])
        out.append(
            around(
                path, field_label(fields[path], path), float(value), spread, floor=lo, ceiling=hi
            )
        )
    return out


def validate_spread_paths(model: type[BaseModel], spreads: Mapping[str, float]) -> None:
    """Raise ValueError naming any spread path that is not a numeric field of ``model``."""
    fields = numeric_fields(model)
    unknown = [p for p in spreads if p not in fields]
    if unknown:
        raise ValueError(
            "spreads name inputs that do not exist or are not numbers: "
            f"{', '.join(sorted(unknown))}"
        )


def set_path(values: dict[str, Any], path: str, value: Any) -> dict[str, Any]:
    """A copy of the nested dict ``values`` with ``path`` (dotted) set to ``value``."""
    head, _, rest = path.partition(".")
    out = dict(values)
    out[head] = set_path(dict(values.get(head) or {}), rest, value) if rest else value
    return out


class Basis(BaseModel, frozen=True, extra="forbid"):
    """How sure a headline is: which inputs are assumed, which the user gave, what was measured."""

    assumed: tuple[str, ...] = Field(description="Inputs taken from seed ranges or defaults.")
    given: tuple[str, ...] = Field(
        description="Inputs the user gave (changed from the defaults or marked uncertain)."
    )
    measured: tuple[str, ...] = Field(
        (), description="Figures measured on this machine that fed it."
    )

    def sentence(self) -> str:
        """One plain line for a budget owner.

        Examples
        --------
        >>> Basis(assumed=("growth exponents",), given=("user growth",)).sentence()
        'How sure: from formulas only; you gave user growth; assumed: growth exponents.'
        """
        parts = [
            "from "
            + (
                "measurements on this machine (" + ", ".join(self.measured) + ")"
                if self.measured
                else "formulas only"
            )
        ]
        if self.given:
            parts.append("you gave " + _some(self.given))
        if self.assumed:
            parts.append("assumed: " + _some(self.assumed))
        return "How sure: " + "; ".join(parts) + "."


BASIS_NAMES = 4
"""Names a basis line lists before it says "and N more" (a line, not a paragraph)."""


def _some(names: Sequence[str]) -> str:
    """``"a, b, c, d and 3 more"``.

    Examples
    --------
    >>> _some(["a", "b"]), _some(list("abcdef"))
    ('a, b', 'a, b, c, d and 2 more')
    """
    if len(names) <= BASIS_NAMES:
        return ", ".join(names)
    return ", ".join(names[:BASIS_NAMES]) + f" and {len(names) - BASIS_NAMES} more"


def _get(model: Any, path: str) -> Any:
    for part in path.split("."):
        model = getattr(model, part)
    return model


def changed_paths(model: BaseModel, default: BaseModel) -> list[str]:
    """Dotted paths of the numeric fields of ``model`` that differ from ``default``."""
    return [p for p in numeric_fields(type(model)) if _get(model, p) != _get(default, p)]


def changed_fields(model: BaseModel, default: BaseModel) -> list[str]:
    """Labels of the numeric fields of ``model`` that differ from ``default``."""
    fields = numeric_fields(type(model))
    return [field_label(fields[p], p).lower() for p in changed_paths(model, default)]
