"""Limits shared by the quality services."""

MAX_COMMENT = 5000  # a free-text comment, guidance or description
