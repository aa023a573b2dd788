-- 0010_api_helpers.sql
-- Shared pieces of the business functions (the PostgREST API, 0011-0015):
--   * who is calling (request role, app role, scope) in a way that also works inside
--     SECURITY DEFINER code, where current_user is the function owner;
--   * error helpers with stable SQLSTATEs and messages naming the offending field;
--   * argument validation for enum values passed as text, opaque keyset cursors;
--   * the rate-limit counter table and the indexes the API queries rely on.
-- Everything here lives in schema private (not exposed by PostgREST).

-- ================================================================ who is calling
-- The API role of the request. Reads the `role` GUC (set by PostgREST with
-- set_config('role', ..., true)), which SECURITY DEFINER does not change, so definer code
-- still sees the caller. Owner/superuser sessions without claims count as 'service_role'
-- (seeds, migrations, server jobs), like private.is_trusted_caller().
create function private.request_role() returns text
language sql stable
set search_path = ''
as $$
  select case
    when current_user::text in ('anon', 'authenticated', 'service_role') then current_user::text
    when current_setting('role', true) in ('anon', 'authenticated', 'service_role')
      then current_setting('role', true)
    when coalesce(auth.role(), '') = 'service_role' then 'service_role'
    when nullif(current_setting('request.jwt.claims', true), '') is null
         and nullif(current_setting('request.jwt.claim.sub', true), '') is null then 'service_role'
    else 'authenticated'
  end
$$;
comment on function private.request_role() is
  'API role of the request (anon, authenticated, service_role), correct inside security definer functions too.';

-- The caller as the business functions see it. trusted = service_role (or owner without
-- claims): every warehouse, no app role. Otherwise an active profile is required (42501).
create function private.api_actor(
  out uid uuid, out role public.app_role, out trusted boolean, out scope uuid[]
)
language plpgsql stable security definer
set search_path = ''
as $$
declare
  v_req text := private.request_role();
begin
  uid := auth.uid();
  if v_req = 'service_role' then
    trusted := true;
    role := null;
    scope := (select coalesce(array_agg(w.id), '{}') from public.warehouses w);
    return;
  end if;
  trusted := false;
  if v_req = 'anon' or uid is null then
    raise exception 'not authenticated: sign in to call this function'
      using errcode = '42501', hint = 'Send a user access token (role authenticated).';
  end if;
  role := private.current_role();
  if role is null then
    raise exception 'not permitted: no active profile for this user'
      using errcode = '42501';
  end if;
  scope := private.warehouse_scope();
end
$$;
comment on function private.api_actor() is
  'Caller of a business function: uid, app role, trusted (service_role/owner), warehouse scope. Raises 42501 for anon or users without an active profile.';

-- ================================================================ errors
-- The raise helpers are volatile on purpose: an immutable call with constant arguments may be
-- folded by the planner at plan time and raise on a path that is never taken.
-- 22023 invalid_parameter_value: a bad argument value. Message 'invalid <field>: <reason>'.
create function private.raise_invalid(p_field text, p_reason text) returns void
language plpgsql volatile
set search_path = ''
as $$
begin
  raise exception 'invalid %: %', p_field, p_reason
    using errcode = '22023', detail = 'field: ' || p_field;
end
$$;

-- 42501 insufficient_privilege with a fixed message: the same error for a missing row and a row
-- outside the caller's reach, so that an error never reveals whether a foreign id exists.
-- (42501 rather than P0002: PostgREST answers 403 for it, but 500 for P0002.)
create function private.raise_not_found(p_what text, p_field text) returns void
language plpgsql volatile
set search_path = ''
as $$
begin
  raise exception '% not found or not accessible', p_what
    using errcode = '42501', detail = 'field: ' || p_field;
end
$$;

-- 42501 insufficient_privilege: the caller's role may not do this (on a row it may see).
create function private.raise_forbidden(p_reason text) returns void
language plpgsql volatile
set search_path = ''
as $$
begin
  raise exception 'not permitted: %', p_reason using errcode = '42501';
end
$$;

-- 23514 check_violation: a business rule (illegal transition, insufficient stock, ...).
create function private.raise_rule(p_field text, p_reason text) returns void
language plpgsql volatile
set search_path = ''
as $$
begin
  raise exception 'rule violated: %', p_reason
    using errcode = '23514', detail = 'field: ' || p_field;
end
$$;
comment on function private.raise_invalid(text, text) is 'Raise 22023 "invalid <field>: <reason>" (detail "field: <field>").';
comment on function private.raise_not_found(text, text) is 'Raise 42501 "<what> not found or not accessible" (detail "field: <field>"), the same for missing and foreign ids.';
comment on function private.raise_forbidden(text) is 'Raise 42501 "not permitted: <reason>".';
comment on function private.raise_rule(text, text) is 'Raise 23514 "rule violated: <reason>" (detail "field: <field>").';

-- ================================================================ argument helpers
-- Enum arguments are taken as text so that a bad value is a 22023 naming the field instead of
-- PostgreSQL's 22P02 cast error.
create function private.enum_arg(p_field text, p_value text, p_allowed text[]) returns text
language plpgsql immutable
set search_path = ''
as $$
begin
  if p_value is null or not (p_value = any (p_allowed)) then
    perform private.raise_invalid(p_field, format('must be one of %s (got %s)',
      array_to_string(p_allowed, ', '), coalesce(quote_literal(p_value), 'null')));
  end if;
  return p_value;
end
$$;
comment on function private.enum_arg(text, text, text[]) is 'Return p_value when it is one of p_allowed, else raise 22023 naming p_field.';

create function private.page_size_arg(p_value integer, p_max integer default 200) returns integer
language plpgsql immutable
set search_path = ''
as $$
begin
  if p_value is null or p_value < 1 or p_value > p_max then
    perform private.raise_invalid('page_size', format('must be between 1 and %s', p_max));
  end if;
  return p_value;
end
$$;

-- Keyset cursors: url-safe base64 (no padding) of '<sort key>|<uuid>'. Opaque to clients.
create function private.cursor_encode(p_key text, p_id uuid) returns text
language sql immutable
set search_path = ''
as $$
  select rtrim(translate(encode(convert_to(p_key || '|' || p_id::text, 'UTF8'), 'base64'),
                         E'+/\n', '-_'), '=')
$$;

create function private.cursor_decode(p_cursor text, out sort_key text, out id uuid)
language plpgsql immutable
set search_path = ''
as $$
declare
  v_b64   text;
  v_plain text;
begin
  begin
    v_b64 := translate(p_cursor, '-_', '+/');
    v_b64 := v_b64 || repeat('=', (4 - length(v_b64) % 4) % 4);
    v_plain := convert_from(decode(v_b64, 'base64'), 'UTF8');
    sort_key := split_part(v_plain, '|', 1);
    id := split_part(v_plain, '|', 2)::uuid;
  exception when others then
    perform private.raise_invalid('after_cursor', 'not a cursor returned by this function');
  end;
  if sort_key = '' or id is null then
    perform private.raise_invalid('after_cursor', 'not a cursor returned by this function');
  end if;
end
$$;
comment on function private.cursor_encode(text, uuid) is 'Opaque keyset cursor (url-safe base64 of sort key and id).';
comment on function private.cursor_decode(text) is 'Inverse of cursor_encode; 22023 on anything else.';

create function private.ts_cursor_key(p_ts timestamptz) returns text
language sql immutable
set search_path = ''
as $$
  select to_char(p_ts at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')
$$;

-- A uuid argument that must be present.
create function private.require_arg(p_field text, p_value anyelement) returns anyelement
language plpgsql immutable
set search_path = ''
as $$
begin
  if p_value is null then
    perform private.raise_invalid(p_field, 'is required');
  end if;
  return p_value;
end
$$;

-- Assignees must be active users whose scope includes the warehouse. Returns the first
-- offending id (or null). Only answers for warehouses in the caller's own scope.
create function private.invalid_assignee(p_assignees uuid[], p_warehouse uuid) returns uuid
language plpgsql stable security definer
set search_path = ''
as $$
declare
  v_actor record := private.api_actor();
  v_bad   uuid;
begin
  if not (p_warehouse = any (v_actor.scope)) then
    return null;
  end if;
  select u into v_bad
  from unnest(p_assignees) as u
  where u is null or not exists (
    select 1 from public.profiles p
    where p.id = u and p.is_active and p_warehouse = any (private.user_scope(u)))
  limit 1;
  if found and v_bad is null then
    return '00000000-0000-0000-0000-000000000000'::uuid;
  end if;
  return v_bad;
end
$$;
comment on function private.invalid_assignee(uuid[], uuid) is
  'First assignee that is not an active user with access to the warehouse (null when all are fine); answers only for warehouses in the caller''s scope.';

-- ================================================================ rate limiting state
-- UNLOGGED: a counter lost in a crash only forgives one hour of requests; no WAL per request.
create unlogged table private.rate_limits (
  user_id      uuid not null,
  window_start timestamptz not null,
  count        integer not null default 0,
  primary key (user_id, window_start)
);
comment on table private.rate_limits is
  'Requests per user per hour for public.check_rate_limit (db-pre-request). Old windows are deleted by the function itself.';
revoke all on private.rate_limits from public, anon, authenticated;

-- ================================================================ indexes used by the API
-- Open work orders per warehouse (dashboard: open, overdue, backlog) as an index-only scan.
create index work_orders_open_due_idx on public.work_orders (warehouse_id, due_date)
  include (estimated_hours, priority, escalation_level)
  where status in ('requested', 'open', 'assigned', 'in_progress', 'on_hold');
-- MTTR / PM compliance over recent completions.
create index work_orders_completed_idx on public.work_orders (warehouse_id, completed_at)
  where completed_at is not null;
-- Keyset pagination across all warehouses in scope (created_at desc, id desc).
create index work_orders_created_all_idx on public.work_orders (created_at, id);
-- Idempotency of record_part_transaction(reference => ...).
create index part_transactions_reference_idx on public.part_transactions (part_id, type, reference)
  where reference is not null;

-- ================================================================ privileges
revoke execute on function
  private.request_role(), private.api_actor(), private.raise_invalid(text, text),
  private.raise_not_found(text, text), private.raise_forbidden(text), private.raise_rule(text, text),
  private.enum_arg(text, text, text[]), private.page_size_arg(integer, integer),
  private.cursor_encode(text, uuid), private.cursor_decode(text), private.ts_cursor_key(timestamptz),
  private.require_arg(text, anyelement), private.invalid_assignee(uuid[], uuid)
  from public, anon;
grant execute on function
  private.request_role(), private.api_actor(), private.raise_invalid(text, text),
  private.raise_not_found(text, text), private.raise_forbidden(text), private.raise_rule(text, text),
  private.enum_arg(text, text, text[]), private.page_size_arg(integer, integer),
  private.cursor_encode(text, uuid), private.cursor_decode(text), private.ts_cursor_key(timestamptz),
  private.require_arg(text, anyelement), private.invalid_assignee(uuid[], uuid)
  to authenticated, service_role;
