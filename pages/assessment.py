"""Placeholder until its issue lands."""

import streamlit as st

st.title("assessment")
st.info("This page is being built.")
