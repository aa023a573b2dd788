"""PLT001-PLT002: what the platform's grant model means for the schema.

PLT001 a policy whose role holds no privilege for its command (never consulted: 42501).
PLT002 a table reachable only through the 2025 default grants (no migration GRANTs it).

Anti-pattern: a schema tested on a base more generous than the platform it ships to. Since 2026
a Supabase project grants a new table in ``public`` to no API role; a table whose policies were
written for the API but that no migration GRANTs is unreachable (the Data API answers 42501),
and a schema that relied on the older default grants loses its API the day it moves. Best
practice: every table the API should reach is granted explicitly, per role and per command, in
the migration that creates it, and the policies name only roles that hold the command.
"""
