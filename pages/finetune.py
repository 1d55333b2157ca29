"""Placeholder until its issue lands."""

import streamlit as st

st.title("finetune")
st.info("This page is being built.")
