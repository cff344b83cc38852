"""Konsilo's domain: assemblies, motions, ballots, statutes, audit, storage.

Nothing in this package imports a chat library: transports in ``bot/`` turn
platform events into commands and render the messages returned here.
"""
