"""ScaleRisk entry point: page config, shared sidebar and navigation only."""

import streamlit as st

from ui.report import pdf_summary_control
from ui.scenario_link import publish_link, restore_from_link, share_link_control

st.set_page_config(page_title="ScaleRisk", page_icon=":material/trending_up:", layout="wide")

PAGES = {
    "Assess": [
        st.Page(
            "pages/assessment.py", title="Risk assessment", icon=":material/speed:", default=True
        ),
    ],
    "What-if": [
        st.Page("pages/sizing.py", title="Compute-optimal sizing", icon=":material/straighten:"),
        st.Page("pages/finetune.py", title="Fine-tuning cost", icon=":material/tune:"),
        st.Page("pages/mitigation.py", title="Mitigation ROI", icon=":material/savings:"),
    ],
    "Measure": [
        st.Page("pages/benchmark.py", title="Live benchmark", icon=":material/bolt:"),
    ],
    "Compare": [
        st.Page("pages/scenarios.py", title="Saved scenarios", icon=":material/compare:"),
    ],
    "Reference": [
        st.Page("pages/methodology.py", title="Methodology", icon=":material/menu_book:"),
    ],
}

navigation = st.navigation(PAGES)
restore_from_link()
with st.sidebar:
    st.caption("ScaleRisk · scalability risk and cost what-ifs for AI infrastructure")
    pdf_summary_control()
try:
    navigation.run()
finally:  # also after a page's st.stop(): the link must follow every run
    with st.sidebar:
        share_link_control()
    publish_link()
