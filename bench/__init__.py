"""Live embedding benchmark engine (no streamlit; torch imported only when a run starts).

``python -m bench`` is its CLI; the app drives it in a subprocess through
:mod:`bench.process` and reads JSON-lines events defined in :mod:`bench.protocol`.
"""
