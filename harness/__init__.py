"""dbharness: a database quality and security test harness for PostgreSQL and Supabase schemas."""

__version__ = "0.1.0"
