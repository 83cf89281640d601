"""Resources tables (being built)."""
