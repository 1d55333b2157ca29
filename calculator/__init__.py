"""ScaleRisk calculator: pure, streamlit-free formulas behind every number the app shows.

One module per domain (``risk``/``forecast``, ``sizing``, ``finetune``, ``mitigation``,
``greenmoney``); ``hardware`` holds the GPU catalogue as data; ``charts`` turns results
into Altair charts; ``report`` builds the PDF summary.  ``python -m calculator`` is the
CLI front of the same code.
"""

__version__ = "0.1.0"
