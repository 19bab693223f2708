"""Package layout only (everything else is in pyproject.toml).

The repository keeps its data files in the top-level ``resources/`` folder; it installs
as the package ``cockpit_resources`` beside ``cockpit`` and ``widgets``, so a wheel
carries the layouts, themes, translations, fonts and icons. pyproject.toml's
``[tool.setuptools]`` table cannot map one folder to another package name while also
finding the others, hence this file.
"""

from setuptools import find_packages, setup

setup(
    packages=[*find_packages(include=["cockpit", "cockpit.*", "widgets", "widgets.*"]), "cockpit_resources"],
    package_dir={"cockpit_resources": "resources"},
)
