"""The state of ``pytest --update-golden`` (set once by tests/conftest.py)."""

UPDATE = False
