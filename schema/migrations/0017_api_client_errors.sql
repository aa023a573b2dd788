-- 0017_api_client_errors.sql
-- What a real client saw through PostgREST, fixed at the source:
--   * POST /work_orders without warehouse_id answered 23502 about "wo_number_counters", an
--     internal table the client cannot see, instead of naming its own missing field;
--   * PATCH /profiles?id=eq.<self> {"role": "admin"} by a technician answered 200 [] (the row
--     filtered out by the update policy): no escalation, but a refusal the client cannot tell
--     from a save. Users without update rights on profiles now get 42501 naming the column;
--   * the rate limit (db-pre-request) answered 400 P0001, which clients and gateways treat as
--     the request's own mistake; it now answers 429 (SQLSTATE PT429, PostgREST's "HTTP status
--     from SQLSTATE" convention) with the time to retry in the hint.
-- Nobody gains a right: every write refused before is refused now, visibly.

-- Replacing functions and altering a policy take short locks on busy tables: wait briefly.
set local lock_timeout = '5s';
set local statement_timeout = '1min';

-- ================================================================ work order number
create or replace function private.wo_assign_number() returns trigger
language plpgsql security definer
set search_path = ''
as $$
declare
  v_day date := (now() at time zone 'UTC')::date;
  v_n   integer;
begin
  -- The counters are per warehouse: checked here, before they are touched, so that the client
  -- reads about its own field of work_orders (the NOT NULL constraint would come too late).
  if new.warehouse_id is null then
    raise exception 'null value in column "warehouse_id" of relation "work_orders" violates not-null constraint'
      using errcode = '23502', schema = 'public', table = 'work_orders', column = 'warehouse_id',
            detail = 'field: warehouse_id';
  end if;
  if new.wo_number is null or new.wo_number = '' then
    insert into private.wo_number_counters as c (warehouse_id, day, last_value)
    values (new.warehouse_id, v_day, 1)
    on conflict (warehouse_id, day) do update set last_value = c.last_value + 1
    returning c.last_value into v_n;
    new.wo_number := 'WO-' || to_char(v_day, 'YYYYMMDD') || '-' || lpad(v_n::text, 4, '0');
  end if;
  return new;
end
$$;

-- ================================================================ profiles: visible refusals
-- Everyone's own row passes the update policy, so that the guard below sees the attempt and
-- refuses it by name; what may change is decided by the guard, as before for admins/managers.
alter policy profiles_update on public.profiles
  using (warehouse_id = any ((select private.scope_for('{admin}'))::uuid[])
         or (role <> 'admin'
             and warehouse_id = any ((select private.scope_for('{manager}'))::uuid[]))
         or id = (select auth.uid()))
  with check (warehouse_id = any ((select private.scope_for('{admin}'))::uuid[])
              or (role <> 'admin'
                  and warehouse_id = any ((select private.scope_for('{manager}'))::uuid[]))
              or id = (select auth.uid()));

create or replace function private.profiles_guard() returns trigger
language plpgsql
set search_path = ''
as $$
declare
  v_role    public.app_role;
  v_uid     uuid := auth.uid();
  v_changed text;
begin
  if private.is_trusted_caller() then
    return new;
  end if;
  v_role := private.current_role();

  if tg_op = 'UPDATE' then
    if new.id is distinct from old.id then
      raise exception 'profiles.id: cannot be changed' using errcode = '42501', column = 'id';
    end if;
    if old.id = v_uid then
      if new.role is distinct from old.role then
        raise exception 'profiles.role: nobody changes their own role'
          using errcode = '42501', column = 'role';
      elsif new.warehouse_id is distinct from old.warehouse_id then
        raise exception 'profiles.warehouse_id: nobody changes their own warehouse'
          using errcode = '42501', column = 'warehouse_id';
      elsif new.is_active is distinct from old.is_active then
        raise exception 'profiles.is_active: nobody changes their own active flag'
          using errcode = '42501', column = 'is_active';
      elsif new.email is distinct from old.email then
        raise exception 'profiles.email: nobody changes their own e-mail here'
          using errcode = '42501', column = 'email';
      end if;
      -- Only admins and managers edit profiles (their own included); anyone else reaches this
      -- row through the self clause of profiles_update only to be told no, by column.
      if v_role is null or v_role not in ('admin', 'manager') then
        select string_agg(n.key, ', ' order by n.key) into v_changed
          from jsonb_each(to_jsonb(new)) n
         where n.value is distinct from to_jsonb(old) -> n.key;
        raise exception 'profiles.%: a % may not change profiles',
                        coalesce(v_changed, 'id'), coalesce(v_role::text, 'inactive user')
          using errcode = '42501', column = coalesce(split_part(v_changed, ', ', 1), ''),
                detail = 'field: ' || coalesce(v_changed, 'id');
      end if;
    end if;
    if old.role = 'admin' and v_role is distinct from 'admin' then
      raise exception 'profiles.role: only an admin edits an admin profile'
        using errcode = '42501', column = 'role';
    end if;
  end if;

  if new.role = 'admin' and (tg_op = 'INSERT' or old.role is distinct from 'admin')
     and v_role is distinct from 'admin' then
    raise exception 'profiles.role: only an admin grants admin'
      using errcode = '42501', column = 'role';
  end if;
  return new;
end
$$;

-- ================================================================ rate limit: 429
create or replace function private.check_rate_limit_impl() returns void
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
    -- PT429: PostgREST answers HTTP 429 Too Many Requests. The raise rolls the increment back:
    -- the counter stays at the limit while blocked.
    raise exception 'rate_limit_exceeded: more than % requests in the current hour', v_limit
      using errcode = 'PT429',
            detail = format('limit: %s requests per user per hour', v_limit),
            hint = format('Retry after %s.', to_char((v_window + interval '1 hour') at time zone 'UTC',
                                                     'YYYY-MM-DD"T"HH24:MI:SS"Z"'));
  end if;
end
$$;

comment on function public.check_rate_limit() is
$$PostgREST db-pre-request hook (db-pre-request = "public.check_rate_limit"): counts the requests of the calling user (auth.uid()) per clock hour in private.rate_limits and refuses the request when over the limit: system_settings key rate_limit_per_hour of the user's home warehouse (or rate_limit.requests_per_hour), default 1000. anon and service_role are not limited. In READ ONLY transactions (GET/HEAD) the counter is checked but cannot be incremented: reads are refused once a user's writes exceeded the limit, and are counted at the gateway in front of PostgREST.
Errors: PT429 (HTTP 429) "rate_limit_exceeded: more than <n> requests in the current hour" with a hint naming the time to retry after.$$;
