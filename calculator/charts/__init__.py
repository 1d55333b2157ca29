"""Results → Altair charts, one module per domain; no streamlit.  Pages show them with
``st.altair_chart`` and the PDF report renders the same charts to PNG (vl-convert)."""
