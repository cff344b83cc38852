"""The transport side: the command line, the terminal console and the demo.

Nothing here decides anything: every rule lives in ``core``. This package
turns typed lines into engine calls and engine answers into text to show.
"""
