"""Methodology: every formula, constant and threshold with its source, and the seed
inconsistencies."""

import streamlit as st

from calculator import methodology

st.title("Methodology")
st.write(
    "Every number ScaleRisk shows comes from the formulas below, each with its source. "
    "The seed documents are cited by file and section (e.g. *seed 001 §6*). Where the seeds "
    "contradict themselves, the last section says so and which reading the calculator follows."
)
sections = [(name, title, methodology.load(name)) for name, title in methodology.SECTIONS]
available = [(name, title, text) for name, title, text in sections if text]
tabs = st.tabs([title for _, title, _ in available])
for tab, (_, _, text) in zip(tabs, available, strict=False):
    with tab:
        st.markdown(text)
