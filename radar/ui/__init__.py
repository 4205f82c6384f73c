"""Streamlit pieces used by app.py: the only package (with app.py) that imports streamlit."""
