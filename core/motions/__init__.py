"""Motions: proposals put to the assembly, their ballots and how they are counted."""
