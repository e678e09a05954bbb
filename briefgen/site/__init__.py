"""Static site stage: the releasable briefings of a project as a folder of HTML pages.

Only briefings at or below the project's publish ceiling reach this stage
(:func:`~briefgen.site.ceiling.apply_ceiling` runs first and is the only way in).
"""
