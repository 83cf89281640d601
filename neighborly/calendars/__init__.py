"""calendars domain: a person's secret calendar feed and a calendar file for each accepted task."""
