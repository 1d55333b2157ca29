"""Placeholder until its issue lands."""

import streamlit as st

st.title("mitigation")
st.info("This page is being built.")
