"""Data files shipped with bertdesk (installed as the package ``bertdesk.resources``).

Read them with ``importlib.resources.files("bertdesk.resources")``, never by a path relative
to the repository, so that an installed bertdesk finds them too.
"""
