"""Placeholder until its issue lands."""

import streamlit as st

st.title("benchmark")
st.info("This page is being built.")
