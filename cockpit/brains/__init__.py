"""Brain screens: layout files and their checks (Qt-free)."""
