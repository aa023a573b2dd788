-- The grant model of Supabase projects created before 30 May 2026: every table, sequence and
-- function the migrating role creates in public is granted in full to the API roles, so what a
-- client may do with a new table is decided by its RLS policies alone.
alter default privileges in schema public grant all on tables to anon, authenticated, service_role;
alter default privileges in schema public
  grant all on sequences to anon, authenticated, service_role;
alter default privileges in schema public
  grant all on functions to anon, authenticated, service_role;
