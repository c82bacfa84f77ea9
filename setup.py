"""Only here to install the top-level resources/ folder as the package bertdesk.resources."""

from setuptools import find_packages, setup

setup(packages=find_packages(include=["bertdesk", "bertdesk.*"]) + ["bertdesk.resources"])
