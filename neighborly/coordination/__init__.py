"""The coordinator console: it may import every domain; no domain imports it."""
