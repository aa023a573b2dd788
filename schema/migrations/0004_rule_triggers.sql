-- 0004_rule_triggers.sql
-- Row rules that RLS cannot express, as BEFORE/AFTER triggers:
--   * work order numbering (WO-YYYYMMDD-NNNN, per warehouse and day, concurrency safe)
--   * column rules for technician / contractor / requester on work_orders (42501)
--   * the work order state machine with timestamps (23514 on illegal transitions)
--   * assignees must be active users with access to the warehouse (23503)
--   * profiles: no self change of role/warehouse_id/is_active/email, admin only by admin (42501)
--   * user_warehouse_access only for admins and managers (23514)
--   * part ledger: append-only, and quantity_on_hand always equals the ledger sum
-- Access rules (42501) are skipped for trusted callers (service_role, owner without claims);
-- integrity rules (state machine, assignees, ledger) always apply.

-- ================================================================ work order number
create function private.wo_assign_number() returns trigger
language plpgsql security definer
set search_path = ''
as $$
declare
  v_day date := (now() at time zone 'UTC')::date;
  v_n   integer;
begin
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

-- ================================================================ work order column rules
create function private.wo_enforce_rules() returns trigger
language plpgsql
set search_path = ''
as $$
declare
  v_role    public.app_role;
  v_uid     uuid := auth.uid();
  v_allowed text[] := array['updated_at'];
  v_old     jsonb;
  v_new     jsonb;
  v_key     text;
begin
  if private.is_trusted_caller() then
    return new;
  end if;
  v_role := private.current_role();

  if tg_op = 'INSERT' then
    if v_role in ('technician', 'requester') then
      if new.status is distinct from 'requested' then
        raise exception 'work_orders.status: a % may only create requests (status requested)', v_role
          using errcode = '42501', column = 'status';
      end if;
      if new.requested_by is distinct from v_uid then
        raise exception 'work_orders.requested_by: a % must request as themself', v_role
          using errcode = '42501', column = 'requested_by';
      end if;
    end if;
    return new;
  end if;

  -- UPDATE: admin, manager, supervisor may change any column (scope is RLS's job).
  if v_role is null or v_role in ('admin', 'manager', 'supervisor') then
    return new;
  end if;

  if v_role in ('technician', 'contractor') and v_uid = any (old.assigned_to) then
    v_allowed := v_allowed || array['status', 'started_at', 'completed_at', 'actual_hours', 'notes'];
    -- A direct write (current_user is the API role, not a business function's definer code)
    -- may only move active work between in_progress and on_hold: completing must go through
    -- complete_work_order, which consumes the parts.
    if current_user::text in ('anon', 'authenticated')
       and (old.status not in ('assigned', 'in_progress', 'on_hold')
            or new.status not in ('assigned', 'in_progress', 'on_hold')) then
      raise exception 'work_orders.status: a % changes % work orders only while active (use complete_work_order to complete)',
        v_role, old.status
        using errcode = '42501', column = 'status';
    end if;
  end if;
  if v_role in ('technician', 'requester') and old.requested_by = v_uid then
    if old.status is distinct from 'requested' and not (v_uid = any (old.assigned_to)) then
      raise exception 'work_orders.status: a request can be edited only while status is requested'
        using errcode = '42501', column = 'status';
    end if;
    if old.status = 'requested' then
      v_allowed := v_allowed || array['title', 'description'];
    end if;
  end if;

  v_old := to_jsonb(old) - 'search';
  v_new := to_jsonb(new) - 'search';
  for v_key in select jsonb_object_keys(v_new) loop
    if not (v_key = any (v_allowed)) and (v_new -> v_key) is distinct from (v_old -> v_key) then
      raise exception 'work_orders.%: a % may not change this column', v_key, v_role
        using errcode = '42501', column = v_key;
    end if;
  end loop;
  return new;
end
$$;

-- ================================================================ work order state machine
create function private.wo_status_machine() returns trigger
language plpgsql
set search_path = ''
as $$
declare
  v_ok boolean;
begin
  if tg_op = 'UPDATE' then
    if new.status is not distinct from old.status then
      return new;
    end if;
    v_ok := case old.status
      when 'requested'   then new.status in ('open', 'cancelled')
      when 'open'        then new.status in ('assigned', 'cancelled')
      when 'assigned'    then new.status in ('in_progress', 'cancelled')
      when 'in_progress' then new.status in ('on_hold', 'completed', 'cancelled')
      when 'on_hold'     then new.status in ('in_progress', 'cancelled')
      when 'completed'   then new.status in ('verified', 'cancelled')
      when 'verified'    then new.status in ('closed', 'cancelled')
      else false  -- closed, cancelled are terminal
    end;
    if not v_ok then
      raise exception 'work_orders.status: illegal transition % -> %', old.status, new.status
        using errcode = '23514', column = 'status';
    end if;
  end if;

  -- timestamps implied by the (new) status
  if new.status in ('in_progress', 'on_hold', 'completed', 'verified', 'closed') then
    new.started_at := coalesce(new.started_at, now());
  end if;
  if new.status in ('completed', 'verified', 'closed') then
    new.completed_at := coalesce(new.completed_at, now());
  end if;
  if new.status in ('verified', 'closed') then
    new.verified_at := coalesce(new.verified_at, now());
    new.verified_by := coalesce(new.verified_by, auth.uid());
  end if;
  if new.status = 'closed' then
    new.closed_at := coalesce(new.closed_at, now());
  end if;
  if new.status = 'cancelled' then
    new.cancelled_at := coalesce(new.cancelled_at, now());
  end if;
  return new;
end
$$;

-- ================================================================ assignees
create function private.wo_check_assignees() returns trigger
language plpgsql security definer
set search_path = ''
as $$
declare
  v_bad uuid;
begin
  -- Scope first: validating assignees of a warehouse the caller cannot reach would reveal
  -- which users exist there.
  if not private.is_trusted_caller()
     and not new.warehouse_id = any (coalesce(private.warehouse_scope(), '{}')) then
    raise exception 'work_orders.warehouse_id: outside your warehouses'
      using errcode = '42501', column = 'warehouse_id';
  end if;
  if cardinality(new.assigned_to) > 0
     and (tg_op = 'INSERT' or new.assigned_to is distinct from old.assigned_to
          or new.warehouse_id is distinct from old.warehouse_id) then
    select u into v_bad
    from unnest(new.assigned_to) as u
    where u is null or not exists (
      select 1 from public.profiles p
      where p.id = u and p.is_active and new.warehouse_id = any (private.user_scope(u)))
    limit 1;
    if found then
      raise exception 'work_orders.assigned_to: % is not an active user with access to warehouse %',
        coalesce(v_bad::text, 'null'), new.warehouse_id
        using errcode = '23503', column = 'assigned_to';
    end if;
  end if;
  return new;
end
$$;

create trigger trg_10_wo_number before insert on public.work_orders
  for each row execute function private.wo_assign_number();
create trigger trg_20_wo_rules before insert or update on public.work_orders
  for each row execute function private.wo_enforce_rules();
create trigger trg_30_wo_status before insert or update on public.work_orders
  for each row execute function private.wo_status_machine();
create trigger trg_40_wo_assignees before insert or update on public.work_orders
  for each row execute function private.wo_check_assignees();

-- ================================================================ profiles
create function private.profiles_guard() returns trigger
language plpgsql
set search_path = ''
as $$
declare
  v_role public.app_role;
  v_uid  uuid := auth.uid();
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

create trigger trg_20_profiles_guard before insert or update on public.profiles
  for each row execute function private.profiles_guard();

-- ================================================================ user_warehouse_access
create function private.uwa_check_role() returns trigger
language plpgsql security definer
set search_path = ''
as $$
begin
  -- Permission first, so a caller who may not grant learns nothing about other users' roles.
  if not private.is_trusted_caller() and private.current_role() is distinct from 'admin' then
    raise exception 'user_warehouse_access: only admins grant warehouses'
      using errcode = '42501';
  end if;
  if not exists (select 1 from public.profiles p
                 where p.id = new.user_id and p.role in ('admin', 'manager')) then
    raise exception 'user_warehouse_access.user_id: extra warehouses are granted only to admins and managers'
      using errcode = '23514', column = 'user_id';
  end if;
  return new;
end
$$;

create trigger trg_20_uwa_role before insert or update on public.user_warehouse_access
  for each row execute function private.uwa_check_role();

-- ================================================================ append-only tables
-- Raises for every API role (service_role included) and for any request with claims; only a
-- database owner/superuser doing maintenance without request claims may change history.
create function private.append_only_guard() returns trigger
language plpgsql
set search_path = ''
as $$
begin
  if current_user in ('anon', 'authenticated', 'service_role')
     or nullif(current_setting('request.jwt.claims', true), '') is not null
     or nullif(current_setting('request.jwt.claim.sub', true), '') is not null then
    raise exception '%.%: rows are append-only (% refused)', tg_table_schema, tg_table_name, tg_op
      using errcode = '42501';
  end if;
  return case when tg_op = 'DELETE' then old else new end;
end
$$;

create trigger trg_05_append_only before update or delete on public.part_transactions
  for each row execute function private.append_only_guard();

-- ================================================================ ledger <-> on hand
-- A ledger row moves its part's quantity_on_hand (row lock + CHECK >= 0: concurrency safe,
-- never negative). A direct change of quantity_on_hand writes an adjustment ledger row, so
-- sum(part_transactions.quantity) = parts.quantity_on_hand always holds.
create function private.ledger_apply() returns trigger
language plpgsql security definer
set search_path = ''
as $$
begin
  if current_setting('maintainpro.ledger_sync', true) = 'on' then
    return null;
  end if;
  perform set_config('maintainpro.ledger_sync', 'on', true);
  update public.parts
     set quantity_on_hand = quantity_on_hand + new.quantity
   where warehouse_id = new.warehouse_id and id = new.part_id;
  perform set_config('maintainpro.ledger_sync', 'off', true);
  return null;
end
$$;

create function private.parts_ledger_sync() returns trigger
language plpgsql security definer
set search_path = ''
as $$
declare
  v_delta integer;
begin
  if current_setting('maintainpro.ledger_sync', true) = 'on' then
    return null;
  end if;
  v_delta := new.quantity_on_hand
             - case when tg_op = 'INSERT' then 0 else old.quantity_on_hand end;
  if v_delta <> 0 then
    perform set_config('maintainpro.ledger_sync', 'on', true);
    insert into public.part_transactions (warehouse_id, part_id, type, quantity, performed_by, note)
    values (new.warehouse_id, new.id, 'adjustment', v_delta, auth.uid(),
            case when tg_op = 'INSERT' then 'opening balance' else 'direct stock correction' end);
    perform set_config('maintainpro.ledger_sync', 'off', true);
  end if;
  return null;
end
$$;

create trigger trg_50_ledger_apply after insert on public.part_transactions
  for each row execute function private.ledger_apply();
create trigger trg_50_parts_ledger_sync after insert or update of quantity_on_hand on public.parts
  for each row execute function private.parts_ledger_sync();

-- ================================================================ time log minutes
create function private.time_log_minutes() returns trigger
language plpgsql
set search_path = ''
as $$
begin
  if new.ended_at is not null
     and (new.minutes is null
          or (tg_op = 'UPDATE' and new.ended_at is distinct from old.ended_at
              and new.minutes is not distinct from old.minutes)) then
    new.minutes := floor(extract(epoch from new.ended_at - new.started_at) / 60)::integer;
  end if;
  return new;
end
$$;

create trigger trg_20_time_log_minutes before insert or update on public.wo_time_logs
  for each row execute function private.time_log_minutes();

-- ================================================================ privileges
revoke execute on function
  private.wo_assign_number(), private.wo_enforce_rules(), private.wo_status_machine(),
  private.wo_check_assignees(), private.profiles_guard(), private.uwa_check_role(),
  private.append_only_guard(), private.ledger_apply(), private.parts_ledger_sync(),
  private.time_log_minutes(), private.set_updated_at()
  from public, anon, authenticated;
revoke update, delete on public.part_transactions from service_role;
