"""The wheel's packages: every package under khoiapp/ and ui/ (found, so a new one is never left out),
plus the top-level resources/ and docs/ folders shipped as khoiapp/resources and khoiapp/docs
(read through importlib.resources, see khoiapp/paths.py). Everything else is in pyproject.toml."""

from setuptools import find_packages, setup

setup(
    packages=[*find_packages(include=["khoiapp", "khoiapp.*", "ui", "ui.*"]), "khoiapp.resources", "khoiapp.docs"],
    package_dir={"khoiapp.resources": "resources", "khoiapp.docs": "docs"},
)
