-- 0015_api_platform.sql
-- Platform functions: the per-user rate limit for PostgREST's db-pre-request hook, and access
-- to encrypted vendor fields (the key is a server setting, never stored in a table).

-- ================================================================ check_rate_limit
create function private.rate_limit_per_hour(p_user uuid) returns integer
language plpgsql stable security definer
set search_path = ''
as $$
declare
  v_raw text;
  v_n   integer;
begin
  -- the setting of the user's home warehouse; 'rate_limit_per_hour' wins over the seed's
  -- 'rate_limit.requests_per_hour'
  select s.value #>> '{}' into v_raw
    from public.profiles p
    join public.system_settings s on s.warehouse_id = p.warehouse_id
   where p.id = p_user and s.key in ('rate_limit_per_hour', 'rate_limit.requests_per_hour')
   order by (s.key = 'rate_limit_per_hour') desc
   limit 1;
  begin
    v_n := v_raw::integer;
  exception when others then
    v_n := null;
  end;
  return case when v_n > 0 then v_n else 1000 end;
end
$$;
comment on function private.rate_limit_per_hour(uuid) is
  'Requests per hour allowed to a user: system_settings rate_limit_per_hour (or rate_limit.requests_per_hour) of the home warehouse, default 1000.';

create function private.check_rate_limit_impl() returns void
language plpgsql volatile security definer
set search_path = ''
as $$
declare
  v_uid    uuid := auth.uid();
  v_window timestamptz := date_trunc('hour', now());
  v_limit  integer;
  v_count  integer;
begin
  -- anon reaches nothing in the CMMS; service_role is the server itself
  if private.request_role() <> 'authenticated' or v_uid is null then
    return;
  end if;
  v_limit := private.rate_limit_per_hour(v_uid);
  if current_setting('transaction_read_only', true) = 'on' then
    -- PostgREST runs GET/HEAD in READ ONLY transactions, where nothing can be counted: check
    -- the counter written by the caller's other requests without incrementing it.
    select r.count into v_count from private.rate_limits r
     where r.user_id = v_uid and r.window_start = v_window;
    v_count := coalesce(v_count, 0) + 1;
  else
    insert into private.rate_limits as r (user_id, window_start, count)
    values (v_uid, v_window, 1)
    on conflict (user_id, window_start) do update set count = r.count + 1
    returning r.count into v_count;
    if v_count = 1 then
      delete from private.rate_limits r where r.user_id = v_uid and r.window_start < v_window;
    end if;
  end if;
  if v_count > v_limit then
    -- the raise rolls the increment back: the counter stays at the limit while blocked
    raise exception 'rate_limit_exceeded: more than % requests in the current hour', v_limit
      using errcode = 'P0001',
            detail = format('limit: %s requests per user per hour', v_limit),
            hint = format('Retry after %s.', to_char((v_window + interval '1 hour') at time zone 'UTC',
                                                     'YYYY-MM-DD"T"HH24:MI:SS"Z"'));
  end if;
end
$$;

create function public.check_rate_limit() returns void
language plpgsql volatile
set search_path = ''
as $$
begin
  -- anon has no usage on schema private and reaches nothing in the CMMS: not limited here
  -- (limit anonymous traffic per IP at the gateway)
  if current_user = 'anon' then
    return;
  end if;
  perform private.check_rate_limit_impl();
end
$$;
comment on function public.check_rate_limit() is
$$PostgREST db-pre-request hook (db-pre-request = "public.check_rate_limit"): counts the requests of the calling user (auth.uid()) per clock hour in private.rate_limits and refuses the request when over the limit: system_settings key rate_limit_per_hour of the user's home warehouse (or rate_limit.requests_per_hour), default 1000. anon and service_role are not limited. In READ ONLY transactions (GET/HEAD) the counter is checked but cannot be incremented.
Errors: P0001 "rate_limit_exceeded: more than <n> requests in the current hour" with a hint naming the time to retry after.$$;

-- ================================================================ vendor tax id
create function private.vendor_tax_id_impl(p_vendor_id uuid, p_tax_id text, p_write boolean)
returns text
language plpgsql volatile security definer
set search_path = ''
as $$
declare
  v_a      record;
  v_vendor public.vendors;
begin
  select * into v_a from private.api_actor();
  perform private.require_arg('vendor_id', p_vendor_id);
  select * into v_vendor from public.vendors v where v.id = p_vendor_id;
  -- same answer for a missing vendor and one the caller's role may not read
  if not found or not (v_a.trusted or (v_vendor.warehouse_id = any (v_a.scope)
                                       and v_a.role in ('admin', 'manager', 'supervisor', 'inventory_clerk'))) then
    perform private.raise_not_found('vendor', 'vendor_id');
  end if;
  if p_write then
    if not v_a.trusted and v_a.role not in ('admin', 'manager', 'inventory_clerk') then
      perform private.raise_forbidden(format('a %s may not change vendor tax ids', v_a.role));
    end if;
    if p_tax_id is not null and (btrim(p_tax_id) !~ '^[A-Za-z0-9][A-Za-z0-9 ./-]{0,49}$') then
      perform private.raise_invalid('tax_id', '1 to 50 letters, digits, spaces, dots, slashes or dashes');
    end if;
    update public.vendors v set tax_id_encrypted = private.encrypt_text(btrim(p_tax_id))
     where v.id = v_vendor.id;
    return null;
  end if;
  if not v_a.trusted and v_a.role not in ('admin', 'manager') then
    perform private.raise_forbidden(format('a %s may not read vendor tax ids', v_a.role));
  end if;
  return private.decrypt_text(v_vendor.tax_id_encrypted);
end
$$;

create function public.set_vendor_tax_id(vendor_id uuid, tax_id text) returns void
language plpgsql volatile
set search_path = ''
as $$
begin
  perform private.vendor_tax_id_impl(set_vendor_tax_id.vendor_id, set_vendor_tax_id.tax_id, true);
end
$$;
comment on function public.set_vendor_tax_id(uuid, text) is
$$Store (encrypted at rest with pgcrypto and app.settings.encryption_key) the tax id of vendor vendor_id; null clears it.
Who: admin, manager, inventory_clerk in scope; service_role.
Errors: 22023 "invalid tax_id: ..."; 42501 "vendor not found or not accessible"; 42501 "not permitted: ..."; 55000 when app.settings.encryption_key is not configured.$$;

create function public.get_vendor_tax_id(vendor_id uuid) returns text
language plpgsql volatile
set search_path = ''
as $$
begin
  return private.vendor_tax_id_impl(get_vendor_tax_id.vendor_id, null, false);
end
$$;
comment on function public.get_vendor_tax_id(uuid) is
$$Decrypted tax id of vendor vendor_id (null when none is stored).
Who: admin, manager in scope; service_role.
Errors: 42501 "vendor not found or not accessible" (also for roles that cannot read vendors); 42501 "not permitted: ..." (supervisor, inventory_clerk); 55000 when app.settings.encryption_key is not configured.$$;

-- ================================================================ privileges
revoke execute on function private.rate_limit_per_hour(uuid), private.check_rate_limit_impl(),
  private.vendor_tax_id_impl(uuid, text, boolean) from public, anon;
-- rate_limit_per_hour is called by the definer body only (as the owner): no API grant
grant execute on function private.check_rate_limit_impl(),
  private.vendor_tax_id_impl(uuid, text, boolean) to authenticated, service_role;
-- check_rate_limit runs before every request, anonymous ones included
revoke execute on function public.check_rate_limit() from public;
grant execute on function public.check_rate_limit() to anon, authenticated, service_role;
revoke execute on function public.set_vendor_tax_id(uuid, text), public.get_vendor_tax_id(uuid)
  from public, anon;
grant execute on function public.set_vendor_tax_id(uuid, text), public.get_vendor_tax_id(uuid)
  to authenticated, service_role;
