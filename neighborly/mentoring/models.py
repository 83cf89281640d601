"""Mentoring tables (being built)."""
