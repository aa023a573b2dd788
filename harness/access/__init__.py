"""The access matrix of a schema as data, and the oracle over it.

``dbharness/access.toml`` holds the matrix; the oracle says, for one actor and one row, what the
database must do. The RLS suites compare the oracle with the
database; nothing here talks to PostgreSQL except :mod:`harness.access.snapshot` and
:mod:`harness.access.probe`.
"""

from harness.access.matrix import AccessMatrix, load_matrix
from harness.access.oracle import Expectation, Oracle, Principal

__all__ = ["AccessMatrix", "Expectation", "Oracle", "Principal", "load_matrix"]
