"""Streamlit-free helpers behind the app (the UI in ``app_pages`` only renders)."""
