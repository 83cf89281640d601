"""messages domain: one thread per help request and per mentoring pair, visible to coordinators."""
