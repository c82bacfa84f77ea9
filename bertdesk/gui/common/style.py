"""Colours that carry a meaning across tabs, so the same warning looks the same everywhere."""

WARNING_COLOUR = "#a65f00"  # a caution, not an error: e.g. a model guessing on words it does not know
ERROR_COLOUR = "#a61b1b"  # something stops the work until it is fixed: a missing GPU, an unreadable model
