"""Generic attacks on a Supabase-style schema that need no access matrix (SEC110-SEC119)."""
