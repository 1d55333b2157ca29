"""Placeholder until its issue lands."""

import streamlit as st

st.title("sizing")
st.info("This page is being built.")
