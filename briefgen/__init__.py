"""briefgen: validated, sourced briefing notes from hand-curated YAML facts."""

__version__ = "0.1.0"
