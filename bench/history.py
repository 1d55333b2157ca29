"""History of benchmark runs in a SQLite file: machine, settings and results.

Default file: ``platformdirs.user_data_dir("scalerisk")/bench_history.sqlite3``; override it
with the ``path`` argument, ``--history PATH`` or the env var ``SCALERISK_HISTORY``.
No torch here: the page imports this module.

Two tables: ``runs`` (one row per benchmark: when, machine, the config and the whole
:class:`~bench.protocol.BenchResult` as JSON) and ``model_runs`` (one row per model of a run,
the flat figures, for listing, comparing and CSV export).
"""

from __future__ import annotations

import csv
import io
import json
import os
import sqlite3
from contextlib import closing
from datetime import datetime, timezone
from pathlib import Path

from pydantic import BaseModel, ValidationError

from bench.protocol import BenchConfig, BenchResult
from calculator.errors import InputError, describe_validation_error, shorten

SCHEMA = """
CREATE TABLE IF NOT EXISTS runs (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    created_at TEXT NOT NULL,
    machine TEXT NOT NULL,
    device_kind TEXT NOT NULL,
    mode TEXT,
    scaling_penalty REAL,
    config_json TEXT NOT NULL,
    result_json TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS model_runs (
    run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    model TEXT NOT NULL,
    weights TEXT NOT NULL,
    mode TEXT NOT NULL,
    precision TEXT NOT NULL,
    batch_size INTEGER NOT NULL,
    items INTEGER NOT NULL,
    items_per_second REAL NOT NULL,
    tokens_per_second REAL NOT NULL,
    p50_batch_ms REAL NOT NULL,
    p95_batch_ms REAL NOT NULL,
    peak_memory_mb REAL,
    peak_flops_share REAL,
    fidelity_cosine REAL,
    PRIMARY KEY (run_id, position)
);
"""

CSV_COLUMNS = (
    "run_id",
    "created_at",
    "machine",
    "device_kind",
    "model",
    "weights",
    "mode",
    "precision",
    "batch_size",
    "items",
    "items_per_second",
    "tokens_per_second",
    "p50_batch_ms",
    "p95_batch_ms",
    "peak_memory_mb",
    "peak_flops_share",
    "fidelity_cosine",
    "scaling_penalty",
    "passes",
    "items_per_second_iqr",
    "trusted",
)
"""The CSV's columns; ``passes``, ``items_per_second_iqr`` and ``trusted`` come from the stored
result (runs stored before repeated passes: 1 pass, no IQR, not trusted)."""


def default_path() -> Path:
    """``$SCALERISK_HISTORY`` or the per-user data directory's ``bench_history.sqlite3``."""
    env = os.environ.get("SCALERISK_HISTORY")
    if env:
        return Path(env)
    from platformdirs import user_data_dir

    return Path(user_data_dir("scalerisk")) / "bench_history.sqlite3"


class HistoryEntry(BaseModel, frozen=True):
    """One stored benchmark."""

    id: int
    created_at: str
    machine: str
    device_kind: str
    mode: str | None
    scaling_penalty: float | None
    config: BenchConfig
    result: BenchResult

    @property
    def label(self) -> str:
        """Short label for select boxes, e.g. '#3 2025-11-10 14:02 · AMD EPYC · reference'."""
        return f"#{self.id} {self.created_at[:16].replace('T', ' ')} · {self.machine} · {self.mode}"


class History:
    """The SQLite store.  Every method opens and closes its own connection (thread-safe enough
    for a Streamlit session and a CLI).

    A damaged store never ends in a traceback: a file that is not a readable database raises
    :class:`~calculator.errors.InputError` naming it; a stored run that no longer validates
    (invalid JSON, an older format) is left out of the listing and described in
    :attr:`unreadable` after each read.
    """

    def __init__(self, path: str | Path | None = None):
        self.path = Path(path) if path else default_path()
        self.unreadable: list[str] = []
        """Runs the last read left out, one sentence each ("#4: result is not valid JSON")."""

    def _connect(self) -> sqlite3.Connection:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(self.path, timeout=10)
            conn.execute("PRAGMA foreign_keys = ON")
            conn.executescript(SCHEMA)
        except (sqlite3.Error, OSError) as exc:
            raise InputError(
                f"the benchmark history {self.path} cannot be used ({exc}); it is damaged or "
                "not a history database: move it away, or choose another with --history"
            ) from None
        return conn

    def _fetch(self, sql: str, params: tuple | list = ()) -> list[tuple]:
        try:
            with closing(self._connect()) as conn:
                return conn.execute(sql, params).fetchall()
        except sqlite3.Error as exc:
            raise InputError(
                f"the benchmark history {self.path} cannot be read ({exc}); it is damaged: "
                "move it away, or choose another with --history"
            ) from None

    def add(
        self, result: BenchResult, config: BenchConfig, created_at: datetime | None = None
    ) -> int:
        """Store one benchmark; returns its id."""
        when = (created_at or datetime.now(timezone.utc)).isoformat(timespec="seconds")
        modes = sorted({r.mode for r in result.runs})
        with closing(self._connect()) as conn, conn:
            cur = conn.execute(
                "INSERT INTO runs (created_at, machine, device_kind, mode, scaling_penalty, "
                "config_json, result_json)"
                " VALUES (?, ?, ?, ?, ?, ?, ?)",
                (
                    when,
                    result.device.name,
                    result.device.kind,
                    ",".join(modes) or config.mode,
                    result.scaling_penalty,
                    config.model_dump_json(),
                    result.model_dump_json(),
                ),
            )
            run_id = int(cur.lastrowid)
            conn.executemany(
                "INSERT INTO model_runs VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    (
                        run_id,
                        i,
                        r.model,
                        r.weights,
                        r.mode,
                        r.precision,
                        r.batch_size,
                        r.items,
                        r.items_per_second,
                        r.tokens_per_second,
                        r.p50_batch_ms,
                        r.p95_batch_ms,
                        r.peak_memory_mb,
                        r.peak_flops_share,
                        r.fidelity_cosine,
                    )
                    for i, r in enumerate(result.runs)
                ],
            )
        return run_id

    def list(self, limit: int | None = None) -> list[HistoryEntry]:
        """Stored benchmarks, newest first."""
        if not self.path.exists():
            return []
        sql = (
            "SELECT id, created_at, machine, device_kind, mode, scaling_penalty, config_json, "
            "result_json"
            " FROM runs ORDER BY id DESC"
        )
        params: tuple = ()
        if limit is not None:
            sql += " LIMIT ?"
            params = (limit,)
        self.unreadable = []
        entries = []
        for row in self._fetch(sql, params):
            entry = self._readable_entry(row)
            if entry is not None:
                entries.append(entry)
        return entries

    def get(self, run_id: int) -> HistoryEntry:
        """One stored benchmark; ``KeyError`` when absent."""
        found = self._fetch(
            "SELECT id, created_at, machine, device_kind, mode, scaling_penalty, config_json, "
            "result_json FROM runs WHERE id = ?",
            (run_id,),
        )
        if not found:
            raise KeyError(f"no benchmark #{run_id} in {self.path}")
        self.unreadable = []
        entry = self._readable_entry(found[0])
        if entry is None:
            raise InputError(
                f"benchmark #{run_id} in {self.path} cannot be read: "
                + self.unreadable[0].split(": ", 1)[1]
            )
        return entry

    def delete(self, run_id: int) -> None:
        with closing(self._connect()) as conn, conn:
            conn.execute("DELETE FROM runs WHERE id = ?", (run_id,))

    def _readable_entry(self, row: tuple) -> HistoryEntry | None:
        """The row as an entry, or None (and a sentence in :attr:`unreadable`)."""
        try:
            return self._entry(row)
        except (ValidationError, ValueError, TypeError) as exc:
            reason = (
                describe_validation_error(exc).splitlines()[0]
                if isinstance(exc, ValidationError)
                else str(exc)
            )
            self.unreadable.append(f"#{row[0]}: {shorten(reason, 160)}")
            return None

    @staticmethod
    def _entry(row: tuple) -> HistoryEntry:
        return HistoryEntry(
            id=row[0],
            created_at=row[1],
            machine=row[2],
            device_kind=row[3],
            mode=row[4],
            scaling_penalty=row[5],
            config=BenchConfig.model_validate_json(row[6]),
            result=BenchResult.model_validate_json(row[7]),
        )

    def rows(self, run_ids: list[int] | None = None) -> list[dict]:
        """Flat per-model rows (the :data:`CSV_COLUMNS`), oldest first; only ``run_ids`` if
        given."""
        if not self.path.exists():
            return []
        sql = (
            "SELECT m.run_id, r.created_at, r.machine, r.device_kind, m.model, m.weights, m.mode, "
            "m.precision,"
            " m.batch_size, m.items, m.items_per_second, m.tokens_per_second, m.p50_batch_ms, "
            "m.p95_batch_ms,"
            " m.peak_memory_mb, m.peak_flops_share, m.fidelity_cosine, r.scaling_penalty, "
            "m.position,"
            " r.result_json FROM model_runs m JOIN runs r ON r.id = m.run_id"
        )
        params: list = []
        if run_ids:
            sql += f" WHERE m.run_id IN ({','.join('?' * len(run_ids))})"
            params = list(run_ids)
        sql += " ORDER BY m.run_id, m.position"
        self.unreadable = []
        results: dict[int, BenchResult | None] = {}
        out = []
        for *flat, position, result_json in self._fetch(sql, params):
            run_id = flat[0]
            if run_id not in results:
                try:
                    results[run_id] = BenchResult.model_validate_json(result_json)
                except ValidationError as exc:
                    reason = describe_validation_error(exc).splitlines()[0]
                    self.unreadable.append(f"#{run_id}: {shorten(reason, 160)}")
                    results[run_id] = None
            result = results[run_id]
            if result is None or position >= len(result.runs):
                continue
            run = result.runs[position]
            out.append(
                dict(
                    zip(
                        CSV_COLUMNS,
                        (*flat, run.passes, run.items_per_second_iqr, run.trusted),
                        strict=True,
                    )
                )
            )
        return out

    def compare(self, run_ids: list[int]) -> list[dict]:
        """Per-model rows of the given runs, each with its items/s relative to the first run's
        same model."""
        rows = self.rows(run_ids)
        missing = set(run_ids) - {r["run_id"] for r in rows}
        if missing:
            raise KeyError(
                f"no benchmark {', '.join('#' + str(i) for i in sorted(missing))} in {self.path}"
            )
        first = run_ids[0]
        base = {r["model"]: r["items_per_second"] for r in rows if r["run_id"] == first}
        for r in rows:
            b = base.get(r["model"])
            r["relative_to_first"] = r["items_per_second"] / b if b else None
        return rows

    def to_csv(self, run_ids: list[int] | None = None) -> str:
        """All (or the given) runs as CSV text, one line per model run."""
        buf = io.StringIO()
        writer = csv.DictWriter(buf, fieldnames=CSV_COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(self.rows(run_ids))
        return buf.getvalue()


def summary_line(entry: HistoryEntry) -> str:
    """One line per stored run for ``python -m bench history``."""
    figures = ", ".join(
        f"{r.model} {r.items_per_second:.1f} items/s ({r.precision}, batch {r.batch_size}"
        f"{', synthetic' if r.weights == 'synthetic' else ''}"
        f"{'' if r.trusted else ', not trustworthy'})"
        for r in entry.result.runs
    )
    penalty = (
        f"; scaling penalty {entry.scaling_penalty:.2f}×"
        + ("" if entry.result.scaling_penalty_trusted else " (not trustworthy)")
        if entry.scaling_penalty
        else ""
    )
    return f"{entry.label}: {figures}{penalty}"


def dumps(entries: list[HistoryEntry]) -> str:
    """JSON list of stored runs (for ``history --json``)."""
    return json.dumps([e.model_dump(mode="json") for e in entries], indent=2)
