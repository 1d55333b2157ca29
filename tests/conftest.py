"""Shared fixtures: the app path, AppTest factory with clean caches, hypothesis profile."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

ROOT = Path(__file__).resolve().parents[1]
APP = ROOT / "app.py"

settings.register_profile(
    "ci", max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


@pytest.fixture(autouse=True)
def _clear_streamlit_caches():
    """Cached results must not leak between tests (DESIGN §9)."""
    yield
    try:
        import streamlit as st
    except ImportError:  # pragma: no cover
        return
    st.cache_data.clear()
    st.cache_resource.clear()


@pytest.fixture
def app_test():
    """Return a factory: ``app_test("pages/sizing.py")`` → AppTest of the whole app on that page."""
    from streamlit.testing.v1 import AppTest

    def make(page: str | None = None) -> AppTest:
        at = AppTest.from_file(str(APP), default_timeout=30)
        at.run()
        assert not at.exception, at.exception
        if page is not None:
            at.switch_page(page)
            at.run()
            assert not at.exception, at.exception
        return at

    return make
