-- The roles a new Supabase project has before its first migration runs.
--
-- Roles belong to the whole cluster, and several runs may provision the same server at the same
-- moment: every role is created only when missing, and a run that loses the race to create it
-- (duplicate_object) or to grant a membership (unique_violation) carries on. Roles that already
-- exist are left exactly as they are.
--
-- The API roles: anon (no token), authenticated (a signed-in user's token), service_role (the
-- backend key, which bypasses RLS), and authenticator, the login PostgREST switches from.
-- supabase_auth_admin and supabase_storage_admin own the auth and storage schemas (the auth
-- server and the storage server connect as them). dashboard_user, supabase_admin and postgres
-- are the owners migrations written for Supabase name in OWNER TO and GRANT statements. None of
-- the service roles may log in here: the harness only switches to them with SET ROLE.
do $platform$
declare
  spec record;
begin
  for spec in
    select * from (values
      ('anon', 'nologin noinherit'),
      ('authenticated', 'nologin noinherit'),
      ('service_role', 'nologin noinherit bypassrls'),
      ('authenticator', 'login noinherit'),
      ('supabase_admin', 'nologin'),
      ('postgres', 'nologin'),
      ('dashboard_user', 'nologin'),
      ('supabase_auth_admin', 'nologin noinherit'),
      ('supabase_storage_admin', 'nologin noinherit'),
      ('supabase_realtime_admin', 'nologin noinherit'),
      ('supabase_read_only_user', 'nologin bypassrls')
    ) as r (name, options)
  loop
    if not exists (select from pg_roles where rolname = spec.name) then
      begin
        execute format('create role %I %s', spec.name, spec.options);
      exception when duplicate_object or unique_violation then
        null;  -- created by a concurrent run a moment ago
      end;
    end if;
  end loop;
end
$platform$;

-- PostgREST logs in as authenticator and switches to the role the token names.
do $platform$
declare
  api_role text;
begin
  foreach api_role in array array['anon', 'authenticated', 'service_role'] loop
    if not pg_has_role('authenticator', api_role, 'member') then
      begin
        execute format('grant %I to authenticator', api_role);
      exception when duplicate_object or unique_violation then
        null;
      end;
    end if;
  end loop;
end
$platform$;
