-- Test helpers under the names the Supabase community uses (schema "tests"), so pgTAP files
-- written for `supabase test db` with those helpers run here unchanged. dbharness installs them
-- into the throwaway copy the pgTAP files run in, never into the schema under test.
--
-- A user is a row of auth.users; the name a test gives it is kept in
-- raw_user_meta_data.test_identifier. Authenticating sets what PostgREST sets for a request:
-- the role and request.jwt.claims, local to the transaction (the test file's BEGIN ... ROLLBACK).

create schema if not exists tests;
grant usage on schema tests to public;

-- A user the test can refer to by name; returns its id.
create or replace function tests.create_supabase_user(
  identifier text, email text default null, phone text default null, metadata jsonb default null
) returns uuid
language plpgsql security definer set search_path = '' as $$
declare
  new_id uuid := pg_catalog.gen_random_uuid();
begin
  insert into auth.users (id, aud, role, email, phone, raw_user_meta_data, raw_app_meta_data,
                          created_at, updated_at)
  values (new_id, 'authenticated', 'authenticated',
          coalesce(email, identifier || '@example.test'), phone,
          coalesce(metadata, '{}'::jsonb) || jsonb_build_object('test_identifier', identifier),
          '{"provider": "email", "providers": ["email"]}'::jsonb, now(), now());
  return new_id;
end
$$;

-- The user a test created (or any auth.users row with that e-mail) as json: id, email, phone,
-- raw_user_meta_data, raw_app_meta_data.
create or replace function tests.get_supabase_user(identifier text) returns json
language plpgsql stable security definer set search_path = '' as $$
declare
  found_user json;
begin
  select json_build_object('id', u.id, 'email', u.email, 'phone', u.phone,
                           'raw_user_meta_data', u.raw_user_meta_data,
                           'raw_app_meta_data', u.raw_app_meta_data)
    into found_user
    from auth.users u
   where u.raw_user_meta_data ->> 'test_identifier' = identifier
      or (u.email = identifier and not exists (
            select from auth.users t where t.raw_user_meta_data ->> 'test_identifier' = identifier))
   order by (u.raw_user_meta_data ->> 'test_identifier' = identifier) desc nulls last
   limit 1;
  if found_user is null then
    raise exception 'User with identifier % not found', identifier using errcode = 'P0002';
  end if;
  return found_user;
end
$$;

create or replace function tests.get_supabase_uid(identifier text) returns uuid
language sql stable security definer set search_path = '' as $$
  select (tests.get_supabase_user(identifier) ->> 'id')::uuid
$$;

-- Act as the user for the rest of the transaction: role authenticated and the claims of a
-- GoTrue access token (sub, email, phone, role, aud, app_metadata, user_metadata).
-- Not security definer: a definer function may not change the role.
create or replace function tests.authenticate_as(identifier text) returns void
language plpgsql as $$
declare
  u json := tests.get_supabase_user(identifier);
begin
  perform set_config('role', 'authenticated', true);
  perform set_config('request.jwt.claims', json_build_object(
      'sub', u ->> 'id', 'email', u ->> 'email', 'phone', coalesce(u ->> 'phone', ''),
      'role', 'authenticated', 'aud', 'authenticated',
      'app_metadata', coalesce(u -> 'raw_app_meta_data', '{}'::json),
      'user_metadata', coalesce(u -> 'raw_user_meta_data', '{}'::json))::text, true);
end
$$;

-- Act with the service_role key: no user, the role that bypasses RLS.
create or replace function tests.authenticate_as_service_role() returns void
language plpgsql as $$
begin
  perform set_config('role', 'service_role', true);
  perform set_config('request.jwt.claims', '{"role": "service_role"}', true);
end
$$;

-- Act with only the anon key: no user, role anon, no claims.
create or replace function tests.clear_authentication() returns void
language plpgsql as $$
begin
  perform set_config('role', 'anon', true);
  perform set_config('request.jwt.claims', '', true);
end
$$;

-- pgTAP assertion: every table of the schema has row level security enabled.
create or replace function tests.rls_enabled(testing_schema text) returns text
language sql as $$
  select ok(
    not exists (
      select from pg_catalog.pg_class c
      join pg_catalog.pg_namespace n on n.oid = c.relnamespace
      where n.nspname = testing_schema and c.relkind in ('r', 'p') and not c.relrowsecurity),
    format('All tables in the %s schema should have row level security enabled', testing_schema))
$$;

-- pgTAP assertion: this table has row level security enabled.
create or replace function tests.rls_enabled(testing_schema text, testing_table text) returns text
language sql as $$
  select ok(
    coalesce((
      select c.relrowsecurity
      from pg_catalog.pg_class c
      join pg_catalog.pg_namespace n on n.oid = c.relnamespace
      where n.nspname = testing_schema and c.relname = testing_table), false),
    format('Table %s.%s should have row level security enabled', testing_schema, testing_table))
$$;

grant execute on all functions in schema tests to public;
