"""The command grammar shared by every transport, and its dispatch."""
