"""Pages of the sapxep Streamlit app (UI only: widgets -> ``scenarios`` calls -> rendering)."""
