"""Calendars: when an assembly's ordinary sittings recur."""
