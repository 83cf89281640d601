"""Site-wide pages: home, health."""
