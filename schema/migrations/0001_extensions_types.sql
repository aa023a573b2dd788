-- 0001_extensions_types.sql
-- Extensions, the private (non-exposed) schema, enum types and shared trigger helpers.

create extension if not exists pgcrypto with schema extensions;

-- ---------------------------------------------------------------- private schema
-- Helpers used by policies and triggers. Not exposed through PostgREST.
create schema private;
revoke all on schema private from public, anon;
grant usage on schema private to authenticated, service_role;

alter default privileges in schema public revoke execute on functions from public;
alter default privileges in schema private revoke execute on functions from public;

-- ---------------------------------------------------------------- enums
create type public.app_role as enum (
  'admin', 'manager', 'supervisor', 'technician', 'inventory_clerk', 'contractor', 'requester'
);
comment on type public.app_role is 'Application role of a user (profiles.role); never read from the JWT.';

create type public.wo_status as enum (
  'requested', 'open', 'assigned', 'in_progress', 'on_hold', 'completed', 'verified', 'closed',
  'cancelled'
);
comment on type public.wo_status is
  'Work order life cycle: requested -> open -> assigned -> in_progress <-> on_hold -> completed -> verified -> closed; cancelled from any non-terminal state.';

create type public.wo_priority as enum ('low', 'medium', 'high', 'critical');
create type public.wo_type as enum (
  'corrective', 'preventive', 'predictive', 'inspection', 'emergency', 'project', 'safety'
);
create type public.equipment_status as enum (
  'operational', 'needs_maintenance', 'under_maintenance', 'down', 'standby', 'retired'
);
create type public.criticality as enum ('low', 'medium', 'high', 'critical');
create type public.part_txn_type as enum ('receipt', 'issue', 'adjustment', 'transfer', 'return');
create type public.pm_interval_unit as enum ('days', 'weeks', 'months', 'meter');
create type public.notification_channel as enum ('in_app', 'email', 'sms', 'push');
create type public.audit_action as enum ('INSERT', 'UPDATE', 'DELETE');

-- ---------------------------------------------------------------- caller classification
-- True when the statement does not come from an app user: service_role, or a database
-- owner/superuser without request claims (seeds, migrations, server-side jobs).
-- SECURITY INVOKER on purpose: it must see the real current_user.
create function private.is_trusted_caller() returns boolean
language sql stable
set search_path = ''
as $$
  select case
    when current_user in ('anon', 'authenticated') then false
    when current_user = 'service_role' then true
    else coalesce(auth.role(), '') = 'service_role'
         or (nullif(current_setting('request.jwt.claims', true), '') is null
             and nullif(current_setting('request.jwt.claim.sub', true), '') is null)
  end
$$;
comment on function private.is_trusted_caller() is
  'True for service_role and for owner/superuser sessions without request claims; rule triggers skip then.';

-- ---------------------------------------------------------------- updated_at
create function private.set_updated_at() returns trigger
language plpgsql
set search_path = ''
as $$
begin
  new.updated_at := now();
  return new;
end
$$;
comment on function private.set_updated_at() is 'Shared BEFORE UPDATE trigger: stamps updated_at.';

-- ---------------------------------------------------------------- encryption at rest
-- The key is a server setting (app.settings.encryption_key, e.g. ALTER DATABASE ... SET or
-- Supabase Vault-fed config), never a table an API role can read.
create function private.encryption_key() returns text
language plpgsql stable
set search_path = ''
as $$
declare
  k text := nullif(current_setting('app.settings.encryption_key', true), '');
begin
  if k is null then
    raise exception 'app.settings.encryption_key is not configured'
      using errcode = '55000';
  end if;
  return k;
end
$$;

create function private.encrypt_text(plain text) returns bytea
language sql volatile
set search_path = ''
as $$
  select case when plain is null then null
              else extensions.pgp_sym_encrypt(plain, private.encryption_key()) end
$$;

create function private.decrypt_text(cipher bytea) returns text
language sql stable
set search_path = ''
as $$
  select case when cipher is null then null
              else extensions.pgp_sym_decrypt(cipher, private.encryption_key()) end
$$;
comment on function private.encrypt_text(text) is 'pgp_sym_encrypt with app.settings.encryption_key.';
comment on function private.decrypt_text(bytea) is 'pgp_sym_decrypt with app.settings.encryption_key.';

revoke execute on all functions in schema private from public, anon, authenticated;
grant execute on function private.is_trusted_caller() to authenticated, service_role;
grant execute on function private.encrypt_text(text), private.decrypt_text(bytea),
  private.encryption_key() to service_role;
