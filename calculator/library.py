"""Scenario library: saved scenarios in the same SQLite file as the benchmark history.

Default file: ``bench.history.default_path()`` (``$SCALERISK_HISTORY`` or the per-user data
directory's ``bench_history.sqlite3``); pass ``path`` to use another.  One table,
``scenarios`` (name unique, the :class:`~calculator.scenario.Scenario` as JSON, when created
and updated).  Every method opens and closes its own connection.
"""

from __future__ import annotations

import sqlite3
from contextlib import closing
from datetime import datetime, timezone
from pathlib import Path

from pydantic import BaseModel, ValidationError

from calculator.errors import InputError
from calculator.scenario import Scenario

SCHEMA = """
CREATE TABLE IF NOT EXISTS scenarios (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    scenario_json TEXT NOT NULL
);
"""


class SavedScenario(BaseModel, frozen=True):
    """One row of the library."""

    id: int
    name: str
    created_at: str
    updated_at: str
    scenario: Scenario


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


class Library:
    """The scenario store.

    Examples
    --------
    >>> import tempfile, os
    >>> lib = Library(os.path.join(tempfile.mkdtemp(), "s.sqlite3"))
    >>> lib.save(Scenario(name="pilot")).name, [s.name for s in lib.list()]
    ('pilot', ['pilot'])
    """

    def __init__(self, path: str | Path | None = None):
        if path is None:
            from bench.history import default_path  # pydantic + sqlite only: no torch

            path = default_path()
        self.path = Path(path)

    def _connect(self) -> sqlite3.Connection:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(self.path, timeout=10)
            conn.executescript(SCHEMA)
        except (OSError, sqlite3.Error) as exc:
            raise InputError(f"the scenario library {self.path} cannot be opened: {exc}") from None
        return conn

    def save(self, scenario: Scenario, name: str | None = None) -> SavedScenario:
        """Store ``scenario`` under ``name`` (default: its own name), replacing one of that name."""
        name = (name if name is not None else scenario.name).strip()
        if not name:
            raise InputError("give the scenario a name before saving it")
        stored = scenario.model_copy(update={"name": name})
        now = _now()
        with closing(self._connect()) as conn, conn:
            conn.execute(
                "INSERT INTO scenarios (name, created_at, updated_at, scenario_json) "
                "VALUES (?, ?, ?, ?) ON CONFLICT(name) DO UPDATE SET "
                "updated_at = excluded.updated_at, scenario_json = excluded.scenario_json",
                (name, now, now, stored.model_dump_json()),
            )
        return self.get(name)

    def _rows(self, where: str = "", args: tuple = ()) -> list[SavedScenario]:
        with closing(self._connect()) as conn:
            rows = conn.execute(
                "SELECT id, name, created_at, updated_at, scenario_json FROM scenarios "
                f"{where} ORDER BY name COLLATE NOCASE",
                args,
            ).fetchall()
        out = []
        for id_, name, created, updated, text in rows:
            try:
                scenario = Scenario.model_validate_json(text)
            except ValidationError:
                continue  # a row this version cannot read is skipped, never fatal
            out.append(
                SavedScenario(
                    id=id_, name=name, created_at=created, updated_at=updated, scenario=scenario
                )
            )
        return out

    def list(self) -> list[SavedScenario]:
        """Every saved scenario, by name (rows this version cannot read are left out:
        :meth:`unreadable`)."""
        return self._rows()

    def unreadable(self) -> list[str]:
        """Names of saved rows this version cannot read (kept in the file, never changed).

        Examples
        --------
        >>> import tempfile, os
        >>> lib = Library(os.path.join(tempfile.mkdtemp(), "s.sqlite3"))
        >>> lib.save(Scenario(name="ok")).name
        'ok'
        >>> with closing(lib._connect()) as conn, conn:
        ...     _ = conn.execute("UPDATE scenarios SET scenario_json = ?", ('{"version": 9}',))
        >>> lib.list(), lib.unreadable()
        ([], ['ok'])
        """
        with closing(self._connect()) as conn:
            rows = conn.execute(
                "SELECT name, scenario_json FROM scenarios ORDER BY name COLLATE NOCASE"
            ).fetchall()
        out = []
        for name, text in rows:
            try:
                Scenario.model_validate_json(text)
            except ValidationError:
                out.append(name)
        return out

    def get(self, name: str) -> SavedScenario:
        """The scenario saved as ``name``; :class:`InputError` when there is none."""
        rows = self._rows("WHERE name = ?", (name,))
        if not rows:
            raise InputError(f"no saved scenario is called {name!r}")
        return rows[0]

    def rename(self, old: str, new: str) -> SavedScenario:
        """Rename a saved scenario (its content's name follows)."""
        new = new.strip()
        if not new:
            raise InputError("the new name is empty")
        row = self.get(old)
        if new != old and any(s.name == new for s in self.list()):
            raise InputError(f"a scenario called {new!r} already exists")
        renamed = row.scenario.model_copy(update={"name": new})
        with closing(self._connect()) as conn, conn:
            conn.execute(
                "UPDATE scenarios SET name = ?, updated_at = ?, scenario_json = ? WHERE id = ?",
                (new, _now(), renamed.model_dump_json(), row.id),
            )
        return self.get(new)

    def duplicate(self, name: str, new: str | None = None) -> SavedScenario:
        """A copy of a saved scenario, as ``new`` (default: "NAME (copy)", numbered if taken)."""
        row = self.get(name)
        taken = {s.name for s in self.list()}
        if new is None:
            new, i = f"{name} (copy)", 2
            while new in taken:
                new, i = f"{name} (copy {i})", i + 1
        elif new in taken:
            raise InputError(f"a scenario called {new!r} already exists")
        return self.save(row.scenario, new)

    def delete(self, name: str) -> None:
        """Remove a saved scenario."""
        self.get(name)
        with closing(self._connect()) as conn, conn:
            conn.execute("DELETE FROM scenarios WHERE name = ?", (name,))
