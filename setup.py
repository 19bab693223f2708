"""Package layout only (everything else is in pyproject.toml).

The repository keeps its data files in the top-level ``resources/`` folder; it installs
as the package ``cockpit_resources`` beside ``cockpit`` and ``widgets``, so a wheel
carries the layouts, themes, translations, fonts and icons. pyproject.toml's
``[tool.setuptools]`` table cannot map one folder to another package name while also
finding the others, hence this file.
"""

from setuptools import find_namespace_packages, find_packages, setup

# resources/ and each folder of data files in it (fonts, fonts/figures, i18n...): packages
# without __init__.py, so setuptools does not warn that their files belong to no package
RESOURCES = ["cockpit_resources", *(f"cockpit_resources.{p}" for p in
                                    find_namespace_packages("resources", exclude=["__pycache__", "*.__pycache__"]))]

setup(
    packages=[*find_packages(include=["cockpit", "cockpit.*", "widgets", "widgets.*"]), *RESOURCES],
    package_dir={"cockpit_resources": "resources"},
)
