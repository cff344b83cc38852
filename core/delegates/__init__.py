"""Delegates: elections, seats and mandates, recall, report-backs."""
