"""The cockpit's data files (layouts, themes, translations, fonts, icons, desktop entry).

This folder installs as the package ``cockpit_resources`` (see setup.py) so that the
wheel, the sdist, the editable install and the PyInstaller app all carry it; the code
finds it through ``importlib.resources`` (``cockpit.resources.resources_dir``).
"""
