"""sapxep Streamlit app, run from a checkout: ``streamlit run app.py``.

``sapxep app`` serves the installed copy with offline flags; both call
:func:`sapxep.app_pages.main.run`. Pass ``--browser.gatherUsageStats false`` when running
Streamlit yourself (without it Streamlit reports usage to an outside host).
"""

from sapxep.app_pages.main import run

run()
