-- Schema extensions, with the extensions every new Supabase project has installed there.
--
-- Supabase keeps extensions out of public so the Data API does not expose their functions; the
-- database's search_path lists the schema (the harness sets it when it creates the database),
-- so unqualified calls such as uuid_generate_v4() resolve. An extension this server's packages
-- lack is skipped here; a migration that needs it fails with the server's own message naming it.
create schema if not exists extensions;
grant usage on schema extensions to anon, authenticated, service_role, postgres, dashboard_user;

do $platform$
declare
  ext text;
begin
  foreach ext in array array['pgcrypto', 'uuid-ossp', 'pg_stat_statements'] loop
    if exists (select from pg_available_extensions where name = ext) then
      execute format('create extension if not exists %I with schema extensions', ext);
    end if;
  end loop;
end
$platform$;
