"""Storyline: make sense of everything written about a developing news story.

The flow is in :mod:`storyline.flow`; settings in :mod:`storyline.settings`; the store in
:mod:`storyline.store.db`.
"""

__version__ = "0.1.0"
