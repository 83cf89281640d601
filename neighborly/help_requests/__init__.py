"""help requests domain."""
