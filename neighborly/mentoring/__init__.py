"""mentoring domain."""
