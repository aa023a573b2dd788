"""The commands of ``dbharness``, one module each.

Every public module here defines ``command``, a click command; ``harness.cli`` finds and
registers them all, so a new command is a new file and nothing else.
"""
