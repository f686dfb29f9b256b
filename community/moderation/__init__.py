"""Moderation: labels, notices and holds for posts (filters in `filters/`)."""
