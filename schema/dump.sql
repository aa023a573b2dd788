-- Name: auth; Type: SCHEMA; Schema: -; Owner: -
--

CREATE SCHEMA auth;

--
-- Name: extensions; Type: SCHEMA; Schema: -; Owner: -
--

CREATE SCHEMA extensions;

--
-- Name: private; Type: SCHEMA; Schema: -; Owner: -
--

CREATE SCHEMA private;

--
-- Name: storage; Type: SCHEMA; Schema: -; Owner: -
--

CREATE SCHEMA storage;

--
-- Name: pgcrypto; Type: EXTENSION; Schema: -; Owner: -
--

CREATE EXTENSION IF NOT EXISTS pgcrypto WITH SCHEMA extensions;

--
-- Name: EXTENSION pgcrypto; Type: COMMENT; Schema: -; Owner: -
--

COMMENT ON EXTENSION pgcrypto IS 'cryptographic functions';

--
-- Name: app_role; Type: TYPE; Schema: public; Owner: -
--

CREATE TYPE public.app_role AS ENUM (
    'admin',
    'manager',
    'supervisor',
    'technician',
    'inventory_clerk',
    'contractor',
    'requester'
);

--
-- Name: TYPE app_role; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON TYPE public.app_role IS 'Application role of a user (profiles.role); never read from the JWT.';

--
-- Name: audit_action; Type: TYPE; Schema: public; Owner: -
--

CREATE TYPE public.audit_action AS ENUM (
    'INSERT',
    'UPDATE',
    'DELETE'
);

--
-- Name: criticality; Type: TYPE; Schema: public; Owner: -
--

CREATE TYPE public.criticality AS ENUM (
    'low',
    'medium',
    'high',
    'critical'
);

--
-- Name: equipment_status; Type: TYPE; Schema: public; Owner: -
--

CREATE TYPE public.equipment_status AS ENUM (
    'operational',
    'needs_maintenance',
    'under_maintenance',
    'down',
    'standby',
    'retired'
);

--
-- Name: notification_channel; Type: TYPE; Schema: public; Owner: -
--

CREATE TYPE public.notification_channel AS ENUM (
    'in_app',
    'email',
    'sms',
    'push'
);

--
-- Name: part_txn_type; Type: TYPE; Schema: public; Owner: -
--

CREATE TYPE public.part_txn_type AS ENUM (
    'receipt',
    'issue',
    'adjustment',
    'transfer',
    'return'
);

--
-- Name: pm_interval_unit; Type: TYPE; Schema: public; Owner: -
--

CREATE TYPE public.pm_interval_unit AS ENUM (
    'days',
    'weeks',
    'months',
    'meter'
);

--
-- Name: wo_priority; Type: TYPE; Schema: public; Owner: -
--

CREATE TYPE public.wo_priority AS ENUM (
    'low',
    'medium',
    'high',
    'critical'
);

--
-- Name: wo_status; Type: TYPE; Schema: public; Owner: -
--

CREATE TYPE public.wo_status AS ENUM (
    'requested',
    'open',
    'assigned',
    'in_progress',
    'on_hold',
    'completed',
    'verified',
    'closed',
    'cancelled'
);

--
-- Name: TYPE wo_status; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON TYPE public.wo_status IS 'Work order life cycle: requested -> open -> assigned -> in_progress <-> on_hold -> completed -> verified -> closed; cancelled from any non-terminal state.';

--
-- Name: wo_type; Type: TYPE; Schema: public; Owner: -
--

CREATE TYPE public.wo_type AS ENUM (
    'corrective',
    'preventive',
    'predictive',
    'inspection',
    'emergency',
    'project',
    'safety'
);

--
-- Name: email(); Type: FUNCTION; Schema: auth; Owner: -
--

CREATE FUNCTION auth.email() RETURNS text
    LANGUAGE sql STABLE
    AS $$
  select
    coalesce(
      nullif(current_setting('request.jwt.claim.email', true), ''),
      (nullif(current_setting('request.jwt.claims', true), '')::jsonb ->> 'email')
    )::text
$$;

--
-- Name: jwt(); Type: FUNCTION; Schema: auth; Owner: -
--

CREATE FUNCTION auth.jwt() RETURNS jsonb
    LANGUAGE sql STABLE
    AS $$
  select
    coalesce(
      nullif(current_setting('request.jwt.claim', true), ''),
      nullif(current_setting('request.jwt.claims', true), '')
    )::jsonb
$$;

--
-- Name: role(); Type: FUNCTION; Schema: auth; Owner: -
--

CREATE FUNCTION auth.role() RETURNS text
    LANGUAGE sql STABLE
    AS $$
  select
    coalesce(
      nullif(current_setting('request.jwt.claim.role', true), ''),
      (nullif(current_setting('request.jwt.claims', true), '')::jsonb ->> 'role')
    )::text
$$;

--
-- Name: uid(); Type: FUNCTION; Schema: auth; Owner: -
--

CREATE FUNCTION auth.uid() RETURNS uuid
    LANGUAGE sql STABLE
    AS $$
  select
    coalesce(
      nullif(current_setting('request.jwt.claim.sub', true), ''),
      (nullif(current_setting('request.jwt.claims', true), '')::jsonb ->> 'sub')
    )::uuid
$$;

--
-- Name: append_only_guard(); Type: FUNCTION; Schema: private; Owner: -
--

CREATE FUNCTION private.append_only_guard() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path TO ''
    AS $$
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

--
-- Name: assigned_wo_ids(); Type: FUNCTION; Schema: private; Owner: -
--

CREATE FUNCTION private.assigned_wo_ids() RETURNS uuid[]
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path TO ''
    AS $$
declare
  v_uid   uuid := auth.uid();
  v_scope uuid[] := private.warehouse_scope();
begin
  if v_uid is null then
    return '{}';
  end if;
  return (select coalesce(array_agg(w.id), '{}') from public.work_orders w
          where w.assigned_to @> array[v_uid] and w.warehouse_id = any (v_scope));
end
$$;

--
-- Name: FUNCTION assigned_wo_ids(); Type: COMMENT; Schema: private; Owner: -
--

COMMENT ON FUNCTION private.assigned_wo_ids() IS 'Work orders in scope assigned to the caller.';

--
-- Name: attachment_check(); Type: FUNCTION; Schema: private; Owner: -
--

CREATE FUNCTION private.attachment_check() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path TO ''
    AS $$
declare
  v_class text := private.attachment_class(lower(new.mime_type));
  v_limit bigint;
begin
  if v_class is null then
    raise exception 'wo_attachments.mime_type: % is not an allowed type', new.mime_type
      using errcode = '22023', column = 'mime_type';
  end if;
  v_limit := case v_class when 'image' then 5242880 when 'document' then 10485760 else 20971520 end;
  if new.size_bytes > v_limit then
    raise exception 'wo_attachments.size_bytes: % bytes exceeds the % limit of % bytes',
      new.size_bytes, v_class, v_limit
      using errcode = '22023', column = 'size_bytes';
  end if;
  return new;
end
$$;

--
-- Name: attachment_class(text); Type: FUNCTION; Schema: private; Owner: -
--

CREATE FUNCTION private.attachment_class(p_mime text) RETURNS text
    LANGUAGE sql IMMUTABLE
    SET search_path TO ''
    AS $$
  select case
    when p_mime in ('image/jpeg', 'image/png', 'image/gif', 'image/webp', 'image/heic') then 'image'
    when p_mime in ('application/pdf', 'text/plain', 'text/csv', 'application/msword',
      'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
      'application/vnd.ms-excel',
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      'application/vnd.ms-powerpoint',
      'application/vnd.openxmlformats-officedocument.presentationml.presentation') then 'document'
    when p_mime in ('video/mp4', 'video/webm') then 'video'
  end
$$;

--
-- Name: FUNCTION attachment_class(p_mime text); Type: COMMENT; Schema: private; Owner: -
--

COMMENT ON FUNCTION private.attachment_class(p_mime text) IS 'image / document / video for whitelisted MIME types, null otherwise.';

--
-- Name: audit_row(); Type: FUNCTION; Schema: private; Owner: -
--

CREATE FUNCTION private.audit_row() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO ''
    AS $$
declare
  v_old jsonb;
  v_new jsonb;
  v_row jsonb;
begin
  if tg_op in ('UPDATE', 'DELETE') then
    v_old := to_jsonb(old);
  end if;
  if tg_op in ('INSERT', 'UPDATE') then
    v_new := to_jsonb(new);
  end if;
  v_row := coalesce(v_new, v_old);
  insert into public.system_logs
    (action, table_name, record_id, actor_id, warehouse_id, old_values, new_values)
  values (
    tg_op::public.audit_action,
    tg_table_name,
    (v_row ->> 'id')::uuid,
    auth.uid(),
    case when tg_table_name = 'warehouses' then (v_row ->> 'id')::uuid
         else (v_row ->> 'warehouse_id')::uuid end,
    v_old,
    v_new
  );
  return null;
end
$$;

--
-- Name: FUNCTION audit_row(); Type: COMMENT; Schema: private; Owner: -
--

COMMENT ON FUNCTION private.audit_row() IS 'Generic AFTER ROW audit trigger writing public.system_logs.';

--
-- Name: can_work_on_wo(uuid); Type: FUNCTION; Schema: private; Owner: -
--

CREATE FUNCTION private.can_work_on_wo(p_wo_id uuid) RETURNS boolean
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path TO ''
    AS $$
  select exists (
    select 1
    from public.work_orders w
    where w.id = p_wo_id
      and w.warehouse_id = any (private.warehouse_scope())
      and (
        private.current_role() in ('admin', 'manager', 'supervisor')
        or (private.current_role() in ('technician', 'contractor') and w.assigned_to @> array[auth.uid()])
      )
  )
$$;

--
-- Name: FUNCTION can_work_on_wo(p_wo_id uuid); Type: COMMENT; Schema: private; Owner: -
--

COMMENT ON FUNCTION private.can_work_on_wo(p_wo_id uuid) IS 'True when the caller may write children (checklist, time, attachments, parts) of the work order.';

--
-- Name: contractor_equipment_ids(); Type: FUNCTION; Schema: private; Owner: -
--

CREATE FUNCTION private.contractor_equipment_ids() RETURNS uuid[]
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path TO ''
    AS $$
declare
  v_uid   uuid := auth.uid();
  v_scope uuid[] := private.warehouse_scope();
begin
  if v_uid is null then
    return '{}';
  end if;
  return (select coalesce(array_agg(distinct w.equipment_id), '{}') from public.work_orders w
          where w.assigned_to @> array[v_uid] and w.warehouse_id = any (v_scope)
            and w.equipment_id is not null);
end
$$;

--
-- Name: FUNCTION contractor_equipment_ids(); Type: COMMENT; Schema: private; Owner: -
--

COMMENT ON FUNCTION private.contractor_equipment_ids() IS 'Equipment referenced by work orders assigned to the caller (what a contractor may read).';

--
-- Name: current_role(); Type: FUNCTION; Schema: private; Owner: -
--

CREATE FUNCTION private."current_role"() RETURNS public.app_role
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path TO ''
    AS $$
  select p.role from public.profiles p where p.id = auth.uid() and p.is_active
$$;

--
-- Name: FUNCTION "current_role"(); Type: COMMENT; Schema: private; Owner: -
--

COMMENT ON FUNCTION private."current_role"() IS 'App role of the calling user from profiles (null when no active profile).';

--
-- Name: decrypt_text(bytea); Type: FUNCTION; Schema: private; Owner: -
--

CREATE FUNCTION private.decrypt_text(cipher bytea) RETURNS text
    LANGUAGE sql STABLE
    SET search_path TO ''
    AS $$
  select case when cipher is null then null
              else extensions.pgp_sym_decrypt(cipher, private.encryption_key()) end
$$;

--
-- Name: FUNCTION decrypt_text(cipher bytea); Type: COMMENT; Schema: private; Owner: -
--

COMMENT ON FUNCTION private.decrypt_text(cipher bytea) IS 'pgp_sym_decrypt with app.settings.encryption_key.';

--
-- Name: encrypt_text(text); Type: FUNCTION; Schema: private; Owner: -
--

CREATE FUNCTION private.encrypt_text(plain text) RETURNS bytea
    LANGUAGE sql
    SET search_path TO ''
    AS $$
  select case when plain is null then null
              else extensions.pgp_sym_encrypt(plain, private.encryption_key()) end
$$;

--
-- Name: FUNCTION encrypt_text(plain text); Type: COMMENT; Schema: private; Owner: -
--

COMMENT ON FUNCTION private.encrypt_text(plain text) IS 'pgp_sym_encrypt with app.settings.encryption_key.';

--
-- Name: encryption_key(); Type: FUNCTION; Schema: private; Owner: -
--

CREATE FUNCTION private.encryption_key() RETURNS text
    LANGUAGE plpgsql STABLE
    SET search_path TO ''
    AS $$
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

--
-- Name: ensure_system_logs_partitions(integer); Type: FUNCTION; Schema: private; Owner: -
--

CREATE FUNCTION private.ensure_system_logs_partitions(months_ahead integer DEFAULT 3) RETURNS integer
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO ''
    AS $$
declare
  v_month   date := date '2024-01-01';
  v_last    date := (date_trunc('month', now()) + make_interval(months => months_ahead))::date;
  v_name    text;
  v_created integer := 0;
begin
  while v_month <= v_last loop
    v_name := 'system_logs_y' || to_char(v_month, 'YYYY') || 'm' || to_char(v_month, 'MM');
    if to_regclass('private.' || v_name) is null then
      begin
        execute format(
          'create table private.%I partition of public.system_logs for values from (%L) to (%L)',
          v_name, v_month::timestamptz, (v_month + interval '1 month')::date::timestamptz);
        execute format('alter table private.%I enable row level security', v_name);
        v_created := v_created + 1;
      exception when check_violation then
        -- rows for this month already sit in the default partition: leave them there.
        raise notice 'system_logs: % not created (rows in default partition)', v_name;
      end;
    end if;
    v_month := (v_month + interval '1 month')::date;
  end loop;
  return v_created;
end
$$;

--
-- Name: FUNCTION ensure_system_logs_partitions(months_ahead integer); Type: COMMENT; Schema: private; Owner: -
--

COMMENT ON FUNCTION private.ensure_system_logs_partitions(months_ahead integer) IS 'Creates monthly system_logs partitions from 2024-01 to now + months_ahead; run monthly by a job.';

--
-- Name: has_wo_access(uuid); Type: FUNCTION; Schema: private; Owner: -
--

CREATE FUNCTION private.has_wo_access(p_wo_id uuid) RETURNS boolean
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path TO ''
    AS $$
  select exists (
    select 1
    from public.work_orders w
    where w.id = p_wo_id
      and w.warehouse_id = any (private.warehouse_scope())
      and (
        private.current_role() in ('admin', 'manager', 'supervisor', 'inventory_clerk')
        or (private.current_role() in ('technician', 'contractor') and w.assigned_to @> array[auth.uid()])
        or (private.current_role() in ('technician', 'requester') and w.requested_by = auth.uid())
      )
  )
$$;

--
-- Name: FUNCTION has_wo_access(p_wo_id uuid); Type: COMMENT; Schema: private; Owner: -
--

COMMENT ON FUNCTION private.has_wo_access(p_wo_id uuid) IS 'True when the caller may read the work order.';

--
-- Name: is_trusted_caller(); Type: FUNCTION; Schema: private; Owner: -
--

CREATE FUNCTION private.is_trusted_caller() RETURNS boolean
    LANGUAGE sql STABLE
    SET search_path TO ''
    AS $$
  select case
    when current_user in ('anon', 'authenticated') then false
    when current_user = 'service_role' then true
    else coalesce(auth.role(), '') = 'service_role'
         or (nullif(current_setting('request.jwt.claims', true), '') is null
             and nullif(current_setting('request.jwt.claim.sub', true), '') is null)
  end
$$;

--
-- Name: FUNCTION is_trusted_caller(); Type: COMMENT; Schema: private; Owner: -
--

COMMENT ON FUNCTION private.is_trusted_caller() IS 'True for service_role and for owner/superuser sessions without request claims; rule triggers skip then.';

--
-- Name: ledger_apply(); Type: FUNCTION; Schema: private; Owner: -
--

CREATE FUNCTION private.ledger_apply() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO ''
    AS $$
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

--
-- Name: parts_ledger_sync(); Type: FUNCTION; Schema: private; Owner: -
--

CREATE FUNCTION private.parts_ledger_sync() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO ''
    AS $$
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

--
-- Name: profiles_guard(); Type: FUNCTION; Schema: private; Owner: -
--

CREATE FUNCTION private.profiles_guard() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path TO ''
    AS $$
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

--
-- Name: readable_wo_ids(); Type: FUNCTION; Schema: private; Owner: -
--

CREATE FUNCTION private.readable_wo_ids() RETURNS uuid[]
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path TO ''
    AS $$
declare
  v_uid   uuid := auth.uid();
  v_role  public.app_role := private.current_role();
  v_scope uuid[] := private.warehouse_scope();
  v_ids   uuid[];
begin
  if v_role is null or v_role not in ('technician', 'contractor', 'requester') then
    return '{}';
  end if;
  select coalesce(array_agg(x.id), '{}') into v_ids
  from (
    select w.id from public.work_orders w
    where v_role in ('technician', 'contractor')
      and w.assigned_to @> array[v_uid] and w.warehouse_id = any (v_scope)
    union
    select w.id from public.work_orders w
    where v_role in ('technician', 'requester')
      and w.requested_by = v_uid and w.warehouse_id = any (v_scope)
  ) x;
  return v_ids;
end
$$;

--
-- Name: FUNCTION readable_wo_ids(); Type: COMMENT; Schema: private; Owner: -
--

COMMENT ON FUNCTION private.readable_wo_ids() IS 'Work orders a technician/contractor/requester may read (assigned or own requests); empty for other roles, which read by role.';

--
-- Name: set_updated_at(); Type: FUNCTION; Schema: private; Owner: -
--

CREATE FUNCTION private.set_updated_at() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path TO ''
    AS $$
begin
  new.updated_at := now();
  return new;
end
$$;

--
-- Name: FUNCTION set_updated_at(); Type: COMMENT; Schema: private; Owner: -
--

COMMENT ON FUNCTION private.set_updated_at() IS 'Shared BEFORE UPDATE trigger: stamps updated_at.';

--
-- Name: storage_object_access(text, text); Type: FUNCTION; Schema: private; Owner: -
--

CREATE FUNCTION private.storage_object_access(p_name text, p_mode text) RETURNS boolean
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path TO ''
    AS $_$
declare
  v_parts text[] := string_to_array(p_name, '/');
  v_re    constant text := '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$';
  v_wh    uuid;
  v_wo    uuid;
begin
  if coalesce(array_length(v_parts, 1), 0) < 3
     or v_parts[1] !~ v_re or v_parts[2] !~ v_re then
    return false;
  end if;
  v_wh := v_parts[1]::uuid;
  v_wo := v_parts[2]::uuid;
  if not exists (select 1 from public.work_orders w where w.id = v_wo and w.warehouse_id = v_wh) then
    return false;
  end if;
  return case p_mode
    when 'read' then private.has_wo_access(v_wo)
    when 'write' then private.can_work_on_wo(v_wo)
    when 'delete' then v_wh = any (private.warehouse_scope())
                       and private.current_role() in ('admin', 'manager')
    else false
  end;
end
$_$;

--
-- Name: FUNCTION storage_object_access(p_name text, p_mode text); Type: COMMENT; Schema: private; Owner: -
--

COMMENT ON FUNCTION private.storage_object_access(p_name text, p_mode text) IS 'Access of the caller to an object of bucket work-order-attachments, derived from its work order.';

--
-- Name: time_log_minutes(); Type: FUNCTION; Schema: private; Owner: -
--

CREATE FUNCTION private.time_log_minutes() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path TO ''
    AS $$
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

--
-- Name: user_scope(uuid); Type: FUNCTION; Schema: private; Owner: -
--

CREATE FUNCTION private.user_scope(p_user uuid) RETURNS uuid[]
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path TO ''
    AS $$
  select coalesce((
    select case p.role
      when 'admin' then (select array_agg(w.id) from public.warehouses w)
      when 'manager' then array[p.warehouse_id] || coalesce((
        select array_agg(a.warehouse_id) from public.user_warehouse_access a
        where a.user_id = p.id and a.warehouse_id <> p.warehouse_id), '{}'::uuid[])
      else array[p.warehouse_id]
    end
    from public.profiles p
    where p.id = p_user and p.is_active
  ), '{}'::uuid[])
$$;

--
-- Name: FUNCTION user_scope(p_user uuid); Type: COMMENT; Schema: private; Owner: -
--

COMMENT ON FUNCTION private.user_scope(p_user uuid) IS 'Warehouses a user may reach (admin all, manager home + granted, others home; inactive none).';

--
-- Name: uwa_check_role(); Type: FUNCTION; Schema: private; Owner: -
--

CREATE FUNCTION private.uwa_check_role() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO ''
    AS $$
begin
  if not exists (select 1 from public.profiles p
                 where p.id = new.user_id and p.role in ('admin', 'manager')) then
    raise exception 'user_warehouse_access.user_id: extra warehouses are granted only to admins and managers'
      using errcode = '23514', column = 'user_id';
  end if;
  return new;
end
$$;

--
-- Name: warehouse_scope(); Type: FUNCTION; Schema: private; Owner: -
--

CREATE FUNCTION private.warehouse_scope() RETURNS uuid[]
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path TO ''
    AS $$
  select private.user_scope(auth.uid())
$$;

--
-- Name: FUNCTION warehouse_scope(); Type: COMMENT; Schema: private; Owner: -
--

COMMENT ON FUNCTION private.warehouse_scope() IS 'Scope of the calling user; empty for anon, unknown or inactive users.';

--
-- Name: wo_assign_number(); Type: FUNCTION; Schema: private; Owner: -
--

CREATE FUNCTION private.wo_assign_number() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO ''
    AS $$
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

--
-- Name: wo_check_assignees(); Type: FUNCTION; Schema: private; Owner: -
--

CREATE FUNCTION private.wo_check_assignees() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO ''
    AS $$
declare
  v_bad uuid;
begin
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

--
-- Name: wo_enforce_rules(); Type: FUNCTION; Schema: private; Owner: -
--

CREATE FUNCTION private.wo_enforce_rules() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path TO ''
    AS $$
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

--
-- Name: wo_status_machine(); Type: FUNCTION; Schema: private; Owner: -
--

CREATE FUNCTION private.wo_status_machine() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path TO ''
    AS $$
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

--
-- Name: foldername(text); Type: FUNCTION; Schema: storage; Owner: -
--

CREATE FUNCTION storage.foldername(name text) RETURNS text[]
    LANGUAGE plpgsql
    AS $$
declare
  _parts text[];
begin
  select string_to_array(name, '/') into _parts;
  return _parts[1:array_length(_parts, 1) - 1];
end
$$;

--
-- Name: users; Type: TABLE; Schema: auth; Owner: -
--

CREATE TABLE auth.users (
    id uuid NOT NULL,
    aud text,
    role text,
    email text,
    encrypted_password text,
    email_confirmed_at timestamp with time zone,
    raw_app_meta_data jsonb,
    raw_user_meta_data jsonb,
    is_super_admin boolean,
    phone text,
    created_at timestamp with time zone DEFAULT now(),
    updated_at timestamp with time zone DEFAULT now(),
    last_sign_in_at timestamp with time zone,
    deleted_at timestamp with time zone
);

--
-- Name: system_logs; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.system_logs (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    action public.audit_action NOT NULL,
    table_name text NOT NULL,
    record_id uuid,
    actor_id uuid,
    warehouse_id uuid,
    old_values jsonb,
    new_values jsonb
)
PARTITION BY RANGE (created_at);

--
-- Name: TABLE system_logs; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON TABLE public.system_logs IS 'Audit trail: one row per insert/update/delete on a tenant table, written by private.audit_row(). Append-only; partitioned by month.';

--
-- Name: COLUMN system_logs.actor_id; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.system_logs.actor_id IS 'auth.uid() of the acting user (null for server-side jobs and seeds).';

--
-- Name: COLUMN system_logs.warehouse_id; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.system_logs.warehouse_id IS 'Warehouse of the audited row (no foreign key: history outlives deleted warehouses).';

--
-- Name: COLUMN system_logs.old_values; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.system_logs.old_values IS 'Row before the change (UPDATE, DELETE).';

--
-- Name: COLUMN system_logs.new_values; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.system_logs.new_values IS 'Row after the change (INSERT, UPDATE).';

--
-- Name: system_logs_default; Type: TABLE; Schema: private; Owner: -
--

CREATE TABLE private.system_logs_default (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    action public.audit_action NOT NULL,
    table_name text NOT NULL,
    record_id uuid,
    actor_id uuid,
    warehouse_id uuid,
    old_values jsonb,
    new_values jsonb
);

--
-- Name: system_logs_y2024m01; Type: TABLE; Schema: private; Owner: -
--

CREATE TABLE private.system_logs_y2024m01 (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    action public.audit_action NOT NULL,
    table_name text NOT NULL,
    record_id uuid,
    actor_id uuid,
    warehouse_id uuid,
    old_values jsonb,
    new_values jsonb
);

--
-- Name: system_logs_y2024m02; Type: TABLE; Schema: private; Owner: -
--

CREATE TABLE private.system_logs_y2024m02 (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    action public.audit_action NOT NULL,
    table_name text NOT NULL,
    record_id uuid,
    actor_id uuid,
    warehouse_id uuid,
    old_values jsonb,
    new_values jsonb
);

--
-- Name: system_logs_y2024m03; Type: TABLE; Schema: private; Owner: -
--

CREATE TABLE private.system_logs_y2024m03 (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    action public.audit_action NOT NULL,
    table_name text NOT NULL,
    record_id uuid,
    actor_id uuid,
    warehouse_id uuid,
    old_values jsonb,
    new_values jsonb
);

--
-- Name: system_logs_y2024m04; Type: TABLE; Schema: private; Owner: -
--

CREATE TABLE private.system_logs_y2024m04 (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    action public.audit_action NOT NULL,
    table_name text NOT NULL,
    record_id uuid,
    actor_id uuid,
    warehouse_id uuid,
    old_values jsonb,
    new_values jsonb
);

--
-- Name: system_logs_y2024m05; Type: TABLE; Schema: private; Owner: -
--

CREATE TABLE private.system_logs_y2024m05 (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    action public.audit_action NOT NULL,
    table_name text NOT NULL,
    record_id uuid,
    actor_id uuid,
    warehouse_id uuid,
    old_values jsonb,
    new_values jsonb
);

--
-- Name: system_logs_y2024m06; Type: TABLE; Schema: private; Owner: -
--

CREATE TABLE private.system_logs_y2024m06 (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    action public.audit_action NOT NULL,
    table_name text NOT NULL,
    record_id uuid,
    actor_id uuid,
    warehouse_id uuid,
    old_values jsonb,
    new_values jsonb
);

--
-- Name: system_logs_y2024m07; Type: TABLE; Schema: private; Owner: -
--

CREATE TABLE private.system_logs_y2024m07 (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    action public.audit_action NOT NULL,
    table_name text NOT NULL,
    record_id uuid,
    actor_id uuid,
    warehouse_id uuid,
    old_values jsonb,
    new_values jsonb
);

--
-- Name: system_logs_y2024m08; Type: TABLE; Schema: private; Owner: -
--

CREATE TABLE private.system_logs_y2024m08 (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    action public.audit_action NOT NULL,
    table_name text NOT NULL,
    record_id uuid,
    actor_id uuid,
    warehouse_id uuid,
    old_values jsonb,
    new_values jsonb
);

--
-- Name: system_logs_y2024m09; Type: TABLE; Schema: private; Owner: -
--

CREATE TABLE private.system_logs_y2024m09 (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    action public.audit_action NOT NULL,
    table_name text NOT NULL,
    record_id uuid,
    actor_id uuid,
    warehouse_id uuid,
    old_values jsonb,
    new_values jsonb
);

--
-- Name: system_logs_y2024m10; Type: TABLE; Schema: private; Owner: -
--

CREATE TABLE private.system_logs_y2024m10 (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    action public.audit_action NOT NULL,
    table_name text NOT NULL,
    record_id uuid,
    actor_id uuid,
    warehouse_id uuid,
    old_values jsonb,
    new_values jsonb
);

--
-- Name: system_logs_y2024m11; Type: TABLE; Schema: private; Owner: -
--

CREATE TABLE private.system_logs_y2024m11 (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    action public.audit_action NOT NULL,
    table_name text NOT NULL,
    record_id uuid,
    actor_id uuid,
    warehouse_id uuid,
    old_values jsonb,
    new_values jsonb
);

--
-- Name: system_logs_y2024m12; Type: TABLE; Schema: private; Owner: -
--

CREATE TABLE private.system_logs_y2024m12 (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    action public.audit_action NOT NULL,
    table_name text NOT NULL,
    record_id uuid,
    actor_id uuid,
    warehouse_id uuid,
    old_values jsonb,
    new_values jsonb
);

--
-- Name: system_logs_y2025m01; Type: TABLE; Schema: private; Owner: -
--

CREATE TABLE private.system_logs_y2025m01 (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    action public.audit_action NOT NULL,
    table_name text NOT NULL,
    record_id uuid,
    actor_id uuid,
    warehouse_id uuid,
    old_values jsonb,
    new_values jsonb
);

--
-- Name: system_logs_y2025m02; Type: TABLE; Schema: private; Owner: -
--

CREATE TABLE private.system_logs_y2025m02 (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    action public.audit_action NOT NULL,
    table_name text NOT NULL,
    record_id uuid,
    actor_id uuid,
    warehouse_id uuid,
    old_values jsonb,
    new_values jsonb
);

--
-- Name: system_logs_y2025m03; Type: TABLE; Schema: private; Owner: -
--

CREATE TABLE private.system_logs_y2025m03 (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    action public.audit_action NOT NULL,
    table_name text NOT NULL,
    record_id uuid,
    actor_id uuid,
    warehouse_id uuid,
    old_values jsonb,
    new_values jsonb
);

--
-- Name: system_logs_y2025m04; Type: TABLE; Schema: private; Owner: -
--

CREATE TABLE private.system_logs_y2025m04 (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    action public.audit_action NOT NULL,
    table_name text NOT NULL,
    record_id uuid,
    actor_id uuid,
    warehouse_id uuid,
    old_values jsonb,
    new_values jsonb
);

--
-- Name: system_logs_y2025m05; Type: TABLE; Schema: private; Owner: -
--

CREATE TABLE private.system_logs_y2025m05 (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    action public.audit_action NOT NULL,
    table_name text NOT NULL,
    record_id uuid,
    actor_id uuid,
    warehouse_id uuid,
    old_values jsonb,
    new_values jsonb
);

--
-- Name: system_logs_y2025m06; Type: TABLE; Schema: private; Owner: -
--

CREATE TABLE private.system_logs_y2025m06 (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    action public.audit_action NOT NULL,
    table_name text NOT NULL,
    record_id uuid,
    actor_id uuid,
    warehouse_id uuid,
    old_values jsonb,
    new_values jsonb
);

--
-- Name: system_logs_y2025m07; Type: TABLE; Schema: private; Owner: -
--

CREATE TABLE private.system_logs_y2025m07 (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    action public.audit_action NOT NULL,
    table_name text NOT NULL,
    record_id uuid,
    actor_id uuid,
    warehouse_id uuid,
    old_values jsonb,
    new_values jsonb
);

--
-- Name: system_logs_y2025m08; Type: TABLE; Schema: private; Owner: -
--

CREATE TABLE private.system_logs_y2025m08 (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    action public.audit_action NOT NULL,
    table_name text NOT NULL,
    record_id uuid,
    actor_id uuid,
    warehouse_id uuid,
    old_values jsonb,
    new_values jsonb
);

--
-- Name: system_logs_y2025m09; Type: TABLE; Schema: private; Owner: -
--

CREATE TABLE private.system_logs_y2025m09 (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    action public.audit_action NOT NULL,
    table_name text NOT NULL,
    record_id uuid,
    actor_id uuid,
    warehouse_id uuid,
    old_values jsonb,
    new_values jsonb
);

--
-- Name: system_logs_y2025m10; Type: TABLE; Schema: private; Owner: -
--

CREATE TABLE private.system_logs_y2025m10 (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    action public.audit_action NOT NULL,
    table_name text NOT NULL,
    record_id uuid,
    actor_id uuid,
    warehouse_id uuid,
    old_values jsonb,
    new_values jsonb
);

--
-- Name: system_logs_y2025m11; Type: TABLE; Schema: private; Owner: -
--

CREATE TABLE private.system_logs_y2025m11 (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    action public.audit_action NOT NULL,
    table_name text NOT NULL,
    record_id uuid,
    actor_id uuid,
    warehouse_id uuid,
    old_values jsonb,
    new_values jsonb
);

--
-- Name: system_logs_y2025m12; Type: TABLE; Schema: private; Owner: -
--

CREATE TABLE private.system_logs_y2025m12 (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    action public.audit_action NOT NULL,
    table_name text NOT NULL,
    record_id uuid,
    actor_id uuid,
    warehouse_id uuid,
    old_values jsonb,
    new_values jsonb
);

--
-- Name: system_logs_y2026m01; Type: TABLE; Schema: private; Owner: -
--

CREATE TABLE private.system_logs_y2026m01 (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    action public.audit_action NOT NULL,
    table_name text NOT NULL,
    record_id uuid,
    actor_id uuid,
    warehouse_id uuid,
    old_values jsonb,
    new_values jsonb
);

--
-- Name: system_logs_y2026m02; Type: TABLE; Schema: private; Owner: -
--

CREATE TABLE private.system_logs_y2026m02 (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    action public.audit_action NOT NULL,
    table_name text NOT NULL,
    record_id uuid,
    actor_id uuid,
    warehouse_id uuid,
    old_values jsonb,
    new_values jsonb
);

--
-- Name: system_logs_y2026m03; Type: TABLE; Schema: private; Owner: -
--

CREATE TABLE private.system_logs_y2026m03 (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    action public.audit_action NOT NULL,
    table_name text NOT NULL,
    record_id uuid,
    actor_id uuid,
    warehouse_id uuid,
    old_values jsonb,
    new_values jsonb
);

--
-- Name: system_logs_y2026m04; Type: TABLE; Schema: private; Owner: -
--

CREATE TABLE private.system_logs_y2026m04 (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    action public.audit_action NOT NULL,
    table_name text NOT NULL,
    record_id uuid,
    actor_id uuid,
    warehouse_id uuid,
    old_values jsonb,
    new_values jsonb
);

--
-- Name: system_logs_y2026m05; Type: TABLE; Schema: private; Owner: -
--

CREATE TABLE private.system_logs_y2026m05 (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    action public.audit_action NOT NULL,
    table_name text NOT NULL,
    record_id uuid,
    actor_id uuid,
    warehouse_id uuid,
    old_values jsonb,
    new_values jsonb
);

--
-- Name: system_logs_y2026m06; Type: TABLE; Schema: private; Owner: -
--

CREATE TABLE private.system_logs_y2026m06 (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    action public.audit_action NOT NULL,
    table_name text NOT NULL,
    record_id uuid,
    actor_id uuid,
    warehouse_id uuid,
    old_values jsonb,
    new_values jsonb
);

--
-- Name: system_logs_y2026m07; Type: TABLE; Schema: private; Owner: -
--

CREATE TABLE private.system_logs_y2026m07 (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    action public.audit_action NOT NULL,
    table_name text NOT NULL,
    record_id uuid,
    actor_id uuid,
    warehouse_id uuid,
    old_values jsonb,
    new_values jsonb
);

--
-- Name: system_logs_y2026m08; Type: TABLE; Schema: private; Owner: -
--

CREATE TABLE private.system_logs_y2026m08 (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    action public.audit_action NOT NULL,
    table_name text NOT NULL,
    record_id uuid,
    actor_id uuid,
    warehouse_id uuid,
    old_values jsonb,
    new_values jsonb
);

--
-- Name: system_logs_y2026m09; Type: TABLE; Schema: private; Owner: -
--

CREATE TABLE private.system_logs_y2026m09 (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    action public.audit_action NOT NULL,
    table_name text NOT NULL,
    record_id uuid,
    actor_id uuid,
    warehouse_id uuid,
    old_values jsonb,
    new_values jsonb
);

--
-- Name: system_logs_y2026m10; Type: TABLE; Schema: private; Owner: -
--

CREATE TABLE private.system_logs_y2026m10 (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    action public.audit_action NOT NULL,
    table_name text NOT NULL,
    record_id uuid,
    actor_id uuid,
    warehouse_id uuid,
    old_values jsonb,
    new_values jsonb
);

--
-- Name: system_logs_y2026m11; Type: TABLE; Schema: private; Owner: -
--

CREATE TABLE private.system_logs_y2026m11 (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    action public.audit_action NOT NULL,
    table_name text NOT NULL,
    record_id uuid,
    actor_id uuid,
    warehouse_id uuid,
    old_values jsonb,
    new_values jsonb
);

--
-- Name: system_logs_y2026m12; Type: TABLE; Schema: private; Owner: -
--

CREATE TABLE private.system_logs_y2026m12 (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    action public.audit_action NOT NULL,
    table_name text NOT NULL,
    record_id uuid,
    actor_id uuid,
    warehouse_id uuid,
    old_values jsonb,
    new_values jsonb
);

--
-- Name: system_logs_y2027m01; Type: TABLE; Schema: private; Owner: -
--

CREATE TABLE private.system_logs_y2027m01 (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    action public.audit_action NOT NULL,
    table_name text NOT NULL,
    record_id uuid,
    actor_id uuid,
    warehouse_id uuid,
    old_values jsonb,
    new_values jsonb
);

--
-- Name: system_logs_y2027m02; Type: TABLE; Schema: private; Owner: -
--

CREATE TABLE private.system_logs_y2027m02 (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    action public.audit_action NOT NULL,
    table_name text NOT NULL,
    record_id uuid,
    actor_id uuid,
    warehouse_id uuid,
    old_values jsonb,
    new_values jsonb
);

--
-- Name: wo_number_counters; Type: TABLE; Schema: private; Owner: -
--

CREATE TABLE private.wo_number_counters (
    warehouse_id uuid NOT NULL,
    day date NOT NULL,
    last_value integer NOT NULL
);

--
-- Name: TABLE wo_number_counters; Type: COMMENT; Schema: private; Owner: -
--

COMMENT ON TABLE private.wo_number_counters IS 'Per-warehouse per-day sequence for WO-YYYYMMDD-NNNN numbers (upsert = row lock, safe under concurrency).';

--
-- Name: contractors; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.contractors (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    warehouse_id uuid NOT NULL,
    profile_id uuid,
    vendor_id uuid,
    company_name text NOT NULL,
    tax_id_encrypted bytea,
    email_encrypted bytea,
    phone_encrypted bytea,
    address_encrypted bytea,
    license_number text,
    insurance_expires date,
    hourly_rate numeric(10,2),
    specialties text[] DEFAULT '{}'::text[] NOT NULL,
    is_active boolean DEFAULT true NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT contractors_hourly_rate_check CHECK ((hourly_rate >= (0)::numeric))
);

--
-- Name: TABLE contractors; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON TABLE public.contractors IS 'External service companies/people. profile_id links the contractor''s login profile. Personal data encrypted at rest.';

--
-- Name: COLUMN contractors.profile_id; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.contractors.profile_id IS 'The contractor user (profiles.id, same warehouse); that user may read this row.';

--
-- Name: COLUMN contractors.tax_id_encrypted; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.contractors.tax_id_encrypted IS 'Encrypted tax id (pgcrypto).';

--
-- Name: equipment; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.equipment (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    warehouse_id uuid NOT NULL,
    asset_tag text NOT NULL,
    name text NOT NULL,
    description text,
    model text,
    manufacturer text,
    serial_number text,
    area text,
    location text,
    status public.equipment_status DEFAULT 'operational'::public.equipment_status NOT NULL,
    criticality public.criticality DEFAULT 'medium'::public.criticality NOT NULL,
    parent_equipment_id uuid,
    specifications jsonb DEFAULT '{}'::jsonb NOT NULL,
    qr_code text,
    meter_reading numeric(14,2),
    install_date date,
    purchase_cost numeric(14,2),
    replacement_cost numeric(14,2),
    warranty_expires date,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT equipment_check CHECK ((parent_equipment_id IS DISTINCT FROM id)),
    CONSTRAINT equipment_meter_reading_check CHECK ((meter_reading >= (0)::numeric)),
    CONSTRAINT equipment_purchase_cost_check CHECK ((purchase_cost >= (0)::numeric)),
    CONSTRAINT equipment_replacement_cost_check CHECK ((replacement_cost >= (0)::numeric))
);

--
-- Name: TABLE equipment; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON TABLE public.equipment IS 'Assets under maintenance, with a parent/child hierarchy inside one warehouse.';

--
-- Name: COLUMN equipment.asset_tag; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.equipment.asset_tag IS 'Asset tag, unique per warehouse.';

--
-- Name: COLUMN equipment.parent_equipment_id; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.equipment.parent_equipment_id IS 'Parent asset (same warehouse).';

--
-- Name: COLUMN equipment.specifications; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.equipment.specifications IS 'Free-form technical specifications.';

--
-- Name: COLUMN equipment.qr_code; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.equipment.qr_code IS 'QR code payload printed on the asset label.';

--
-- Name: equipment_maintenance_history; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.equipment_maintenance_history (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    warehouse_id uuid NOT NULL,
    equipment_id uuid NOT NULL,
    work_order_id uuid,
    maintenance_type public.wo_type DEFAULT 'corrective'::public.wo_type NOT NULL,
    performed_at timestamp with time zone DEFAULT now() NOT NULL,
    performed_by uuid,
    description text,
    downtime_minutes integer,
    cost numeric(12,2),
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT equipment_maintenance_history_cost_check CHECK ((cost >= (0)::numeric)),
    CONSTRAINT equipment_maintenance_history_downtime_minutes_check CHECK ((downtime_minutes >= 0))
);

--
-- Name: TABLE equipment_maintenance_history; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON TABLE public.equipment_maintenance_history IS 'Service history of an asset (one row per maintenance event).';

--
-- Name: escalation_rules; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.escalation_rules (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    warehouse_id uuid NOT NULL,
    priority public.wo_priority NOT NULL,
    hours_overdue integer NOT NULL,
    escalate_to_role public.app_role NOT NULL,
    level integer NOT NULL,
    notify boolean DEFAULT true NOT NULL,
    is_active boolean DEFAULT true NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT escalation_rules_hours_overdue_check CHECK ((hours_overdue > 0)),
    CONSTRAINT escalation_rules_level_check CHECK ((level > 0))
);

--
-- Name: TABLE escalation_rules; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON TABLE public.escalation_rules IS 'When an overdue work order of a priority escalates, to which role, at which level.';

--
-- Name: notification_settings; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.notification_settings (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    warehouse_id uuid NOT NULL,
    user_id uuid NOT NULL,
    in_app boolean DEFAULT true NOT NULL,
    email boolean DEFAULT true NOT NULL,
    sms boolean DEFAULT false NOT NULL,
    push boolean DEFAULT false NOT NULL,
    digest text DEFAULT 'immediate'::text NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT notification_settings_digest_check CHECK ((digest = ANY (ARRAY['immediate'::text, 'hourly'::text, 'daily'::text, 'off'::text])))
);

--
-- Name: TABLE notification_settings; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON TABLE public.notification_settings IS 'Per-user, per-warehouse channel preferences.';

--
-- Name: notifications; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.notifications (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    warehouse_id uuid NOT NULL,
    user_id uuid NOT NULL,
    title text NOT NULL,
    body text,
    work_order_id uuid,
    read_at timestamp with time zone,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL
);

--
-- Name: TABLE notifications; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON TABLE public.notifications IS 'In-app notifications; each user sees only their own.';

--
-- Name: COLUMN notifications.read_at; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.notifications.read_at IS 'Null while unread.';

--
-- Name: part_transactions; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.part_transactions (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    warehouse_id uuid NOT NULL,
    part_id uuid NOT NULL,
    type public.part_txn_type NOT NULL,
    quantity integer NOT NULL,
    unit_cost numeric(12,2),
    work_order_id uuid,
    performed_by uuid DEFAULT auth.uid(),
    reference text,
    note text,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT part_transactions_quantity_sign CHECK ((((type = ANY (ARRAY['receipt'::public.part_txn_type, 'return'::public.part_txn_type])) AND (quantity > 0)) OR ((type = 'issue'::public.part_txn_type) AND (quantity < 0)) OR ((type = ANY (ARRAY['adjustment'::public.part_txn_type, 'transfer'::public.part_txn_type])) AND (quantity <> 0)))),
    CONSTRAINT part_transactions_unit_cost_check CHECK ((unit_cost >= (0)::numeric))
);

--
-- Name: TABLE part_transactions; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON TABLE public.part_transactions IS 'Immutable stock ledger (append-only). Each row moves quantity_on_hand of its part by quantity (signed).';

--
-- Name: COLUMN part_transactions.quantity; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.part_transactions.quantity IS 'Signed: receipt/return > 0, issue < 0, adjustment/transfer either sign.';

--
-- Name: parts; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.parts (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    warehouse_id uuid NOT NULL,
    part_number text NOT NULL,
    name text NOT NULL,
    description text,
    category text,
    unit_of_measure text DEFAULT 'each'::text NOT NULL,
    quantity_on_hand integer DEFAULT 0 NOT NULL,
    reserved_quantity integer DEFAULT 0 NOT NULL,
    available integer GENERATED ALWAYS AS ((quantity_on_hand - reserved_quantity)) STORED,
    reorder_point integer DEFAULT 0 NOT NULL,
    reorder_quantity integer DEFAULT 0 NOT NULL,
    unit_cost numeric(12,2),
    vendor_id uuid,
    bin_location text,
    model_compatibility text[] DEFAULT '{}'::text[] NOT NULL,
    is_active boolean DEFAULT true NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT parts_quantity_on_hand_check CHECK ((quantity_on_hand >= 0)),
    CONSTRAINT parts_reorder_point_check CHECK ((reorder_point >= 0)),
    CONSTRAINT parts_reorder_quantity_check CHECK ((reorder_quantity >= 0)),
    CONSTRAINT parts_reserved_le_on_hand CHECK ((reserved_quantity <= quantity_on_hand)),
    CONSTRAINT parts_reserved_quantity_check CHECK ((reserved_quantity >= 0)),
    CONSTRAINT parts_unit_cost_check CHECK ((unit_cost >= (0)::numeric))
);

--
-- Name: TABLE parts; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON TABLE public.parts IS 'Spare parts stock per warehouse. quantity_on_hand always equals the sum of its part_transactions.';

--
-- Name: COLUMN parts.quantity_on_hand; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.parts.quantity_on_hand IS 'Physical stock; never negative; kept equal to the ledger sum (a direct change writes an adjustment row).';

--
-- Name: COLUMN parts.reserved_quantity; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.parts.reserved_quantity IS 'Reserved for open work orders; never above on hand.';

--
-- Name: COLUMN parts.available; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.parts.available IS 'quantity_on_hand - reserved_quantity.';

--
-- Name: COLUMN parts.reorder_point; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.parts.reorder_point IS 'Low stock when available <= reorder_point.';

--
-- Name: pm_schedules; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.pm_schedules (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    warehouse_id uuid NOT NULL,
    template_id uuid NOT NULL,
    equipment_id uuid NOT NULL,
    interval_unit public.pm_interval_unit NOT NULL,
    interval_value integer NOT NULL,
    meter_threshold numeric(14,2),
    last_meter_reading numeric(14,2),
    next_due date,
    last_done date,
    lead_days integer DEFAULT 0 NOT NULL,
    active boolean DEFAULT true NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT pm_schedules_check CHECK (((interval_unit <> 'meter'::public.pm_interval_unit) OR (meter_threshold IS NOT NULL))),
    CONSTRAINT pm_schedules_interval_value_check CHECK ((interval_value > 0)),
    CONSTRAINT pm_schedules_last_meter_reading_check CHECK ((last_meter_reading >= (0)::numeric)),
    CONSTRAINT pm_schedules_lead_days_check CHECK ((lead_days >= 0)),
    CONSTRAINT pm_schedules_meter_threshold_check CHECK ((meter_threshold > (0)::numeric))
);

--
-- Name: TABLE pm_schedules; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON TABLE public.pm_schedules IS 'When a PM template is due on an asset: by calendar interval or meter threshold.';

--
-- Name: COLUMN pm_schedules.meter_threshold; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.pm_schedules.meter_threshold IS 'Meter units between services (interval_unit = meter).';

--
-- Name: COLUMN pm_schedules.next_due; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.pm_schedules.next_due IS 'Next due date (calendar schedules); overdue when < current_date.';

--
-- Name: pm_template_checklist; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.pm_template_checklist (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    warehouse_id uuid NOT NULL,
    template_id uuid NOT NULL,
    "position" integer DEFAULT 0 NOT NULL,
    description text NOT NULL,
    is_required boolean DEFAULT true NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL
);

--
-- Name: TABLE pm_template_checklist; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON TABLE public.pm_template_checklist IS 'Checklist steps copied into each generated PM work order.';

--
-- Name: pm_templates; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.pm_templates (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    warehouse_id uuid NOT NULL,
    name text NOT NULL,
    description text,
    wo_type public.wo_type DEFAULT 'preventive'::public.wo_type NOT NULL,
    priority public.wo_priority DEFAULT 'medium'::public.wo_priority NOT NULL,
    estimated_hours numeric(8,2),
    interval_unit public.pm_interval_unit DEFAULT 'months'::public.pm_interval_unit NOT NULL,
    interval_value integer DEFAULT 1 NOT NULL,
    is_active boolean DEFAULT true NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT pm_templates_estimated_hours_check CHECK ((estimated_hours >= (0)::numeric)),
    CONSTRAINT pm_templates_interval_value_check CHECK ((interval_value > 0))
);

--
-- Name: TABLE pm_templates; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON TABLE public.pm_templates IS 'Preventive maintenance procedures (what to do); schedules say when and on which asset.';

--
-- Name: profiles; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.profiles (
    id uuid NOT NULL,
    warehouse_id uuid NOT NULL,
    role public.app_role DEFAULT 'requester'::public.app_role NOT NULL,
    first_name text,
    last_name text,
    email text,
    phone text,
    skills text[] DEFAULT '{}'::text[] NOT NULL,
    certifications text[] DEFAULT '{}'::text[] NOT NULL,
    is_active boolean DEFAULT true NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL
);

--
-- Name: TABLE profiles; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON TABLE public.profiles IS 'One row per auth user: app role, home warehouse, contact data. The app role is read from here, never from the JWT.';

--
-- Name: COLUMN profiles.warehouse_id; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.profiles.warehouse_id IS 'Home warehouse.';

--
-- Name: COLUMN profiles.role; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.profiles.role IS 'Application role; nobody changes their own; only admins grant admin.';

--
-- Name: COLUMN profiles.is_active; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.profiles.is_active IS 'Inactive users reach nothing.';

--
-- Name: system_settings; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.system_settings (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    warehouse_id uuid NOT NULL,
    key text NOT NULL,
    value jsonb DEFAULT 'null'::jsonb NOT NULL,
    description text,
    editable_by_role public.app_role[] DEFAULT '{admin}'::public.app_role[] NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL
);

--
-- Name: TABLE system_settings; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON TABLE public.system_settings IS 'Per-warehouse configuration values.';

--
-- Name: COLUMN system_settings.editable_by_role; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.system_settings.editable_by_role IS 'Roles besides admin that may update the value (manager when listed).';

--
-- Name: user_warehouse_access; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.user_warehouse_access (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    user_id uuid NOT NULL,
    warehouse_id uuid NOT NULL,
    granted_by uuid,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL
);

--
-- Name: TABLE user_warehouse_access; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON TABLE public.user_warehouse_access IS 'Extra warehouses granted to a manager (or admin) beyond the home warehouse.';

--
-- Name: vendors; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.vendors (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    warehouse_id uuid NOT NULL,
    name text NOT NULL,
    contact_name text,
    contact_email_encrypted bytea,
    contact_phone_encrypted bytea,
    tax_id_encrypted bytea,
    address text,
    website text,
    is_active boolean DEFAULT true NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL
);

--
-- Name: TABLE vendors; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON TABLE public.vendors IS 'Suppliers of parts and services. Tax id and contact data are encrypted at rest (pgcrypto).';

--
-- Name: COLUMN vendors.contact_email_encrypted; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.vendors.contact_email_encrypted IS 'Encrypted contact e-mail.';

--
-- Name: COLUMN vendors.contact_phone_encrypted; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.vendors.contact_phone_encrypted IS 'Encrypted contact phone.';

--
-- Name: COLUMN vendors.tax_id_encrypted; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.vendors.tax_id_encrypted IS 'pgp_sym_encrypt(tax id, app.settings.encryption_key); use private.decrypt_text.';

--
-- Name: warehouses; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.warehouses (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    code text NOT NULL,
    name text NOT NULL,
    address text,
    timezone text DEFAULT 'UTC'::text NOT NULL,
    is_active boolean DEFAULT true NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL
);

--
-- Name: TABLE warehouses; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON TABLE public.warehouses IS 'Sites (tenants). Every other CMMS row belongs to exactly one warehouse.';

--
-- Name: COLUMN warehouses.code; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.warehouses.code IS 'Short unique site code, e.g. MAIN.';

--
-- Name: wo_attachments; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.wo_attachments (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    warehouse_id uuid NOT NULL,
    work_order_id uuid NOT NULL,
    storage_path text NOT NULL,
    file_name text NOT NULL,
    mime_type text NOT NULL,
    size_bytes bigint NOT NULL,
    uploaded_by uuid DEFAULT auth.uid(),
    description text,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT wo_attachments_size_bytes_check CHECK ((size_bytes > 0))
);

--
-- Name: TABLE wo_attachments; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON TABLE public.wo_attachments IS 'Files of a work order, stored in bucket work-order-attachments at <warehouse_id>/<work_order_id>/<file>.';

--
-- Name: COLUMN wo_attachments.storage_path; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.wo_attachments.storage_path IS 'Object name in storage bucket work-order-attachments.';

--
-- Name: COLUMN wo_attachments.mime_type; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.wo_attachments.mime_type IS 'Whitelisted MIME type (images 5 MB, documents 10 MB, video 20 MB).';

--
-- Name: wo_checklist_items; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.wo_checklist_items (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    warehouse_id uuid NOT NULL,
    work_order_id uuid NOT NULL,
    "position" integer DEFAULT 0 NOT NULL,
    description text NOT NULL,
    is_required boolean DEFAULT false NOT NULL,
    is_completed boolean DEFAULT false NOT NULL,
    completed_by uuid,
    completed_at timestamp with time zone,
    notes text,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL
);

--
-- Name: TABLE wo_checklist_items; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON TABLE public.wo_checklist_items IS 'Checklist steps of a work order.';

--
-- Name: wo_parts_used; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.wo_parts_used (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    warehouse_id uuid NOT NULL,
    work_order_id uuid NOT NULL,
    part_id uuid NOT NULL,
    quantity integer NOT NULL,
    unit_cost numeric(12,2),
    recorded_by uuid DEFAULT auth.uid(),
    consumed_at timestamp with time zone,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT wo_parts_used_quantity_check CHECK ((quantity > 0)),
    CONSTRAINT wo_parts_used_unit_cost_check CHECK ((unit_cost >= (0)::numeric))
);

--
-- Name: TABLE wo_parts_used; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON TABLE public.wo_parts_used IS 'Parts planned/used on a work order; consumed_at is set when stock is issued (on completion).';

--
-- Name: wo_time_logs; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.wo_time_logs (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    warehouse_id uuid NOT NULL,
    work_order_id uuid NOT NULL,
    user_id uuid DEFAULT auth.uid() NOT NULL,
    started_at timestamp with time zone DEFAULT now() NOT NULL,
    ended_at timestamp with time zone,
    minutes integer,
    note text,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT wo_time_logs_ended_after_started CHECK (((ended_at IS NULL) OR (ended_at >= started_at))),
    CONSTRAINT wo_time_logs_minutes_check CHECK ((minutes >= 0))
);

--
-- Name: TABLE wo_time_logs; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON TABLE public.wo_time_logs IS 'Labour time per user on a work order. minutes is derived from started/ended when not given.';

--
-- Name: work_orders; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.work_orders (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    warehouse_id uuid NOT NULL,
    wo_number text NOT NULL,
    type public.wo_type DEFAULT 'corrective'::public.wo_type NOT NULL,
    title text NOT NULL,
    description text,
    equipment_id uuid,
    status public.wo_status DEFAULT 'requested'::public.wo_status NOT NULL,
    priority public.wo_priority DEFAULT 'medium'::public.wo_priority NOT NULL,
    requested_by uuid DEFAULT auth.uid(),
    assigned_to uuid[] DEFAULT '{}'::uuid[] NOT NULL,
    due_date timestamp with time zone,
    started_at timestamp with time zone,
    completed_at timestamp with time zone,
    verified_at timestamp with time zone,
    verified_by uuid,
    closed_at timestamp with time zone,
    cancelled_at timestamp with time zone,
    escalated boolean DEFAULT false NOT NULL,
    escalation_level integer DEFAULT 0 NOT NULL,
    escalated_at timestamp with time zone,
    estimated_hours numeric(8,2),
    actual_hours numeric(8,2),
    estimated_cost numeric(12,2),
    actual_cost numeric(12,2),
    notes text,
    custom_fields jsonb DEFAULT '{}'::jsonb NOT NULL,
    follow_up boolean DEFAULT false NOT NULL,
    follow_up_of uuid,
    pm_schedule_id uuid,
    pm_due_date date,
    search tsvector GENERATED ALWAYS AS (((setweight(to_tsvector('simple'::regconfig, COALESCE(wo_number, ''::text)), 'A'::"char") || setweight(to_tsvector('english'::regconfig, COALESCE(title, ''::text)), 'A'::"char")) || setweight(to_tsvector('english'::regconfig, COALESCE(description, ''::text)), 'B'::"char"))) STORED,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT work_orders_actual_cost_check CHECK ((actual_cost >= (0)::numeric)),
    CONSTRAINT work_orders_actual_hours_check CHECK ((actual_hours >= (0)::numeric)),
    CONSTRAINT work_orders_check CHECK ((follow_up_of IS DISTINCT FROM id)),
    CONSTRAINT work_orders_escalation_level_check CHECK ((escalation_level >= 0)),
    CONSTRAINT work_orders_estimated_cost_check CHECK ((estimated_cost >= (0)::numeric)),
    CONSTRAINT work_orders_estimated_hours_check CHECK ((estimated_hours >= (0)::numeric))
);

--
-- Name: TABLE work_orders; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON TABLE public.work_orders IS 'Maintenance jobs. Status follows a state machine; technicians/contractors change execution fields only.';

--
-- Name: COLUMN work_orders.wo_number; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.work_orders.wo_number IS 'WO-YYYYMMDD-NNNN, generated per warehouse and day when not supplied.';

--
-- Name: COLUMN work_orders.status; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.work_orders.status IS 'Only legal transitions succeed (23514 otherwise); timestamps are set on transition.';

--
-- Name: COLUMN work_orders.requested_by; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.work_orders.requested_by IS 'Requester (defaults to the caller).';

--
-- Name: COLUMN work_orders.assigned_to; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.work_orders.assigned_to IS 'Assignees (profiles.id); each must be an active user with access to the warehouse.';

--
-- Name: COLUMN work_orders.escalation_level; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.work_orders.escalation_level IS 'Highest escalation rule level applied.';

--
-- Name: COLUMN work_orders.custom_fields; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.work_orders.custom_fields IS 'Site-specific extra fields.';

--
-- Name: COLUMN work_orders.follow_up_of; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.work_orders.follow_up_of IS 'The work order this one follows up (same warehouse).';

--
-- Name: COLUMN work_orders.pm_due_date; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.work_orders.pm_due_date IS 'For generated PM work orders: the due date; (pm_schedule_id, pm_due_date) is unique so generation is idempotent.';

--
-- Name: COLUMN work_orders.search; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.work_orders.search IS 'Full-text search vector over number, title and description.';

--
-- Name: buckets; Type: TABLE; Schema: storage; Owner: -
--

CREATE TABLE storage.buckets (
    id text NOT NULL,
    name text NOT NULL,
    owner uuid,
    public boolean DEFAULT false,
    file_size_limit bigint,
    allowed_mime_types text[],
    created_at timestamp with time zone DEFAULT now(),
    updated_at timestamp with time zone DEFAULT now()
);

--
-- Name: objects; Type: TABLE; Schema: storage; Owner: -
--

CREATE TABLE storage.objects (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    bucket_id text,
    name text,
    owner uuid,
    metadata jsonb,
    path_tokens text[] GENERATED ALWAYS AS (string_to_array(name, '/'::text)) STORED,
    created_at timestamp with time zone DEFAULT now(),
    updated_at timestamp with time zone DEFAULT now(),
    last_accessed_at timestamp with time zone DEFAULT now()
);

--
-- Name: system_logs_default; Type: TABLE ATTACH; Schema: private; Owner: -
--

ALTER TABLE ONLY public.system_logs ATTACH PARTITION private.system_logs_default DEFAULT;

--
-- Name: system_logs_y2024m01; Type: TABLE ATTACH; Schema: private; Owner: -
--

ALTER TABLE ONLY public.system_logs ATTACH PARTITION private.system_logs_y2024m01 FOR VALUES FROM ('2024-01-01 00:00:00+00') TO ('2024-02-01 00:00:00+00');

--
-- Name: system_logs_y2024m02; Type: TABLE ATTACH; Schema: private; Owner: -
--

ALTER TABLE ONLY public.system_logs ATTACH PARTITION private.system_logs_y2024m02 FOR VALUES FROM ('2024-02-01 00:00:00+00') TO ('2024-03-01 00:00:00+00');

--
-- Name: system_logs_y2024m03; Type: TABLE ATTACH; Schema: private; Owner: -
--

ALTER TABLE ONLY public.system_logs ATTACH PARTITION private.system_logs_y2024m03 FOR VALUES FROM ('2024-03-01 00:00:00+00') TO ('2024-04-01 00:00:00+00');

--
-- Name: system_logs_y2024m04; Type: TABLE ATTACH; Schema: private; Owner: -
--

ALTER TABLE ONLY public.system_logs ATTACH PARTITION private.system_logs_y2024m04 FOR VALUES FROM ('2024-04-01 00:00:00+00') TO ('2024-05-01 00:00:00+00');

--
-- Name: system_logs_y2024m05; Type: TABLE ATTACH; Schema: private; Owner: -
--

ALTER TABLE ONLY public.system_logs ATTACH PARTITION private.system_logs_y2024m05 FOR VALUES FROM ('2024-05-01 00:00:00+00') TO ('2024-06-01 00:00:00+00');

--
-- Name: system_logs_y2024m06; Type: TABLE ATTACH; Schema: private; Owner: -
--

ALTER TABLE ONLY public.system_logs ATTACH PARTITION private.system_logs_y2024m06 FOR VALUES FROM ('2024-06-01 00:00:00+00') TO ('2024-07-01 00:00:00+00');

--
-- Name: system_logs_y2024m07; Type: TABLE ATTACH; Schema: private; Owner: -
--

ALTER TABLE ONLY public.system_logs ATTACH PARTITION private.system_logs_y2024m07 FOR VALUES FROM ('2024-07-01 00:00:00+00') TO ('2024-08-01 00:00:00+00');

--
-- Name: system_logs_y2024m08; Type: TABLE ATTACH; Schema: private; Owner: -
--

ALTER TABLE ONLY public.system_logs ATTACH PARTITION private.system_logs_y2024m08 FOR VALUES FROM ('2024-08-01 00:00:00+00') TO ('2024-09-01 00:00:00+00');

--
-- Name: system_logs_y2024m09; Type: TABLE ATTACH; Schema: private; Owner: -
--

ALTER TABLE ONLY public.system_logs ATTACH PARTITION private.system_logs_y2024m09 FOR VALUES FROM ('2024-09-01 00:00:00+00') TO ('2024-10-01 00:00:00+00');

--
-- Name: system_logs_y2024m10; Type: TABLE ATTACH; Schema: private; Owner: -
--

ALTER TABLE ONLY public.system_logs ATTACH PARTITION private.system_logs_y2024m10 FOR VALUES FROM ('2024-10-01 00:00:00+00') TO ('2024-11-01 00:00:00+00');

--
-- Name: system_logs_y2024m11; Type: TABLE ATTACH; Schema: private; Owner: -
--

ALTER TABLE ONLY public.system_logs ATTACH PARTITION private.system_logs_y2024m11 FOR VALUES FROM ('2024-11-01 00:00:00+00') TO ('2024-12-01 00:00:00+00');

--
-- Name: system_logs_y2024m12; Type: TABLE ATTACH; Schema: private; Owner: -
--

ALTER TABLE ONLY public.system_logs ATTACH PARTITION private.system_logs_y2024m12 FOR VALUES FROM ('2024-12-01 00:00:00+00') TO ('2025-01-01 00:00:00+00');

--
-- Name: system_logs_y2025m01; Type: TABLE ATTACH; Schema: private; Owner: -
--

ALTER TABLE ONLY public.system_logs ATTACH PARTITION private.system_logs_y2025m01 FOR VALUES FROM ('2025-01-01 00:00:00+00') TO ('2025-02-01 00:00:00+00');

--
-- Name: system_logs_y2025m02; Type: TABLE ATTACH; Schema: private; Owner: -
--

ALTER TABLE ONLY public.system_logs ATTACH PARTITION private.system_logs_y2025m02 FOR VALUES FROM ('2025-02-01 00:00:00+00') TO ('2025-03-01 00:00:00+00');

--
-- Name: system_logs_y2025m03; Type: TABLE ATTACH; Schema: private; Owner: -
--

ALTER TABLE ONLY public.system_logs ATTACH PARTITION private.system_logs_y2025m03 FOR VALUES FROM ('2025-03-01 00:00:00+00') TO ('2025-04-01 00:00:00+00');

--
-- Name: system_logs_y2025m04; Type: TABLE ATTACH; Schema: private; Owner: -
--

ALTER TABLE ONLY public.system_logs ATTACH PARTITION private.system_logs_y2025m04 FOR VALUES FROM ('2025-04-01 00:00:00+00') TO ('2025-05-01 00:00:00+00');

--
-- Name: system_logs_y2025m05; Type: TABLE ATTACH; Schema: private; Owner: -
--

ALTER TABLE ONLY public.system_logs ATTACH PARTITION private.system_logs_y2025m05 FOR VALUES FROM ('2025-05-01 00:00:00+00') TO ('2025-06-01 00:00:00+00');

--
-- Name: system_logs_y2025m06; Type: TABLE ATTACH; Schema: private; Owner: -
--

ALTER TABLE ONLY public.system_logs ATTACH PARTITION private.system_logs_y2025m06 FOR VALUES FROM ('2025-06-01 00:00:00+00') TO ('2025-07-01 00:00:00+00');

--
-- Name: system_logs_y2025m07; Type: TABLE ATTACH; Schema: private; Owner: -
--

ALTER TABLE ONLY public.system_logs ATTACH PARTITION private.system_logs_y2025m07 FOR VALUES FROM ('2025-07-01 00:00:00+00') TO ('2025-08-01 00:00:00+00');

--
-- Name: system_logs_y2025m08; Type: TABLE ATTACH; Schema: private; Owner: -
--

ALTER TABLE ONLY public.system_logs ATTACH PARTITION private.system_logs_y2025m08 FOR VALUES FROM ('2025-08-01 00:00:00+00') TO ('2025-09-01 00:00:00+00');

--
-- Name: system_logs_y2025m09; Type: TABLE ATTACH; Schema: private; Owner: -
--

ALTER TABLE ONLY public.system_logs ATTACH PARTITION private.system_logs_y2025m09 FOR VALUES FROM ('2025-09-01 00:00:00+00') TO ('2025-10-01 00:00:00+00');

--
-- Name: system_logs_y2025m10; Type: TABLE ATTACH; Schema: private; Owner: -
--

ALTER TABLE ONLY public.system_logs ATTACH PARTITION private.system_logs_y2025m10 FOR VALUES FROM ('2025-10-01 00:00:00+00') TO ('2025-11-01 00:00:00+00');

--
-- Name: system_logs_y2025m11; Type: TABLE ATTACH; Schema: private; Owner: -
--

ALTER TABLE ONLY public.system_logs ATTACH PARTITION private.system_logs_y2025m11 FOR VALUES FROM ('2025-11-01 00:00:00+00') TO ('2025-12-01 00:00:00+00');

--
-- Name: system_logs_y2025m12; Type: TABLE ATTACH; Schema: private; Owner: -
--

ALTER TABLE ONLY public.system_logs ATTACH PARTITION private.system_logs_y2025m12 FOR VALUES FROM ('2025-12-01 00:00:00+00') TO ('2026-01-01 00:00:00+00');

--
-- Name: system_logs_y2026m01; Type: TABLE ATTACH; Schema: private; Owner: -
--

ALTER TABLE ONLY public.system_logs ATTACH PARTITION private.system_logs_y2026m01 FOR VALUES FROM ('2026-01-01 00:00:00+00') TO ('2026-02-01 00:00:00+00');

--
-- Name: system_logs_y2026m02; Type: TABLE ATTACH; Schema: private; Owner: -
--

ALTER TABLE ONLY public.system_logs ATTACH PARTITION private.system_logs_y2026m02 FOR VALUES FROM ('2026-02-01 00:00:00+00') TO ('2026-03-01 00:00:00+00');

--
-- Name: system_logs_y2026m03; Type: TABLE ATTACH; Schema: private; Owner: -
--

ALTER TABLE ONLY public.system_logs ATTACH PARTITION private.system_logs_y2026m03 FOR VALUES FROM ('2026-03-01 00:00:00+00') TO ('2026-04-01 00:00:00+00');

--
-- Name: system_logs_y2026m04; Type: TABLE ATTACH; Schema: private; Owner: -
--

ALTER TABLE ONLY public.system_logs ATTACH PARTITION private.system_logs_y2026m04 FOR VALUES FROM ('2026-04-01 00:00:00+00') TO ('2026-05-01 00:00:00+00');

--
-- Name: system_logs_y2026m05; Type: TABLE ATTACH; Schema: private; Owner: -
--

ALTER TABLE ONLY public.system_logs ATTACH PARTITION private.system_logs_y2026m05 FOR VALUES FROM ('2026-05-01 00:00:00+00') TO ('2026-06-01 00:00:00+00');

--
-- Name: system_logs_y2026m06; Type: TABLE ATTACH; Schema: private; Owner: -
--

ALTER TABLE ONLY public.system_logs ATTACH PARTITION private.system_logs_y2026m06 FOR VALUES FROM ('2026-06-01 00:00:00+00') TO ('2026-07-01 00:00:00+00');

--
-- Name: system_logs_y2026m07; Type: TABLE ATTACH; Schema: private; Owner: -
--

ALTER TABLE ONLY public.system_logs ATTACH PARTITION private.system_logs_y2026m07 FOR VALUES FROM ('2026-07-01 00:00:00+00') TO ('2026-08-01 00:00:00+00');

--
-- Name: system_logs_y2026m08; Type: TABLE ATTACH; Schema: private; Owner: -
--

ALTER TABLE ONLY public.system_logs ATTACH PARTITION private.system_logs_y2026m08 FOR VALUES FROM ('2026-08-01 00:00:00+00') TO ('2026-09-01 00:00:00+00');

--
-- Name: system_logs_y2026m09; Type: TABLE ATTACH; Schema: private; Owner: -
--

ALTER TABLE ONLY public.system_logs ATTACH PARTITION private.system_logs_y2026m09 FOR VALUES FROM ('2026-09-01 00:00:00+00') TO ('2026-10-01 00:00:00+00');

--
-- Name: system_logs_y2026m10; Type: TABLE ATTACH; Schema: private; Owner: -
--

ALTER TABLE ONLY public.system_logs ATTACH PARTITION private.system_logs_y2026m10 FOR VALUES FROM ('2026-10-01 00:00:00+00') TO ('2026-11-01 00:00:00+00');

--
-- Name: system_logs_y2026m11; Type: TABLE ATTACH; Schema: private; Owner: -
--

ALTER TABLE ONLY public.system_logs ATTACH PARTITION private.system_logs_y2026m11 FOR VALUES FROM ('2026-11-01 00:00:00+00') TO ('2026-12-01 00:00:00+00');

--
-- Name: system_logs_y2026m12; Type: TABLE ATTACH; Schema: private; Owner: -
--

ALTER TABLE ONLY public.system_logs ATTACH PARTITION private.system_logs_y2026m12 FOR VALUES FROM ('2026-12-01 00:00:00+00') TO ('2027-01-01 00:00:00+00');

--
-- Name: system_logs_y2027m01; Type: TABLE ATTACH; Schema: private; Owner: -
--

ALTER TABLE ONLY public.system_logs ATTACH PARTITION private.system_logs_y2027m01 FOR VALUES FROM ('2027-01-01 00:00:00+00') TO ('2027-02-01 00:00:00+00');

--
-- Name: system_logs_y2027m02; Type: TABLE ATTACH; Schema: private; Owner: -
--

ALTER TABLE ONLY public.system_logs ATTACH PARTITION private.system_logs_y2027m02 FOR VALUES FROM ('2027-02-01 00:00:00+00') TO ('2027-03-01 00:00:00+00');

--
-- Name: users users_pkey; Type: CONSTRAINT; Schema: auth; Owner: -
--

ALTER TABLE ONLY auth.users
    ADD CONSTRAINT users_pkey PRIMARY KEY (id);

--
-- Name: system_logs system_logs_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.system_logs
    ADD CONSTRAINT system_logs_pkey PRIMARY KEY (id, created_at);

--
-- Name: system_logs_default system_logs_default_pkey; Type: CONSTRAINT; Schema: private; Owner: -
--

ALTER TABLE ONLY private.system_logs_default
    ADD CONSTRAINT system_logs_default_pkey PRIMARY KEY (id, created_at);

--
-- Name: system_logs_y2024m01 system_logs_y2024m01_pkey; Type: CONSTRAINT; Schema: private; Owner: -
--

ALTER TABLE ONLY private.system_logs_y2024m01
    ADD CONSTRAINT system_logs_y2024m01_pkey PRIMARY KEY (id, created_at);

--
-- Name: system_logs_y2024m02 system_logs_y2024m02_pkey; Type: CONSTRAINT; Schema: private; Owner: -
--

ALTER TABLE ONLY private.system_logs_y2024m02
    ADD CONSTRAINT system_logs_y2024m02_pkey PRIMARY KEY (id, created_at);

--
-- Name: system_logs_y2024m03 system_logs_y2024m03_pkey; Type: CONSTRAINT; Schema: private; Owner: -
--

ALTER TABLE ONLY private.system_logs_y2024m03
    ADD CONSTRAINT system_logs_y2024m03_pkey PRIMARY KEY (id, created_at);

--
-- Name: system_logs_y2024m04 system_logs_y2024m04_pkey; Type: CONSTRAINT; Schema: private; Owner: -
--

ALTER TABLE ONLY private.system_logs_y2024m04
    ADD CONSTRAINT system_logs_y2024m04_pkey PRIMARY KEY (id, created_at);

--
-- Name: system_logs_y2024m05 system_logs_y2024m05_pkey; Type: CONSTRAINT; Schema: private; Owner: -
--

ALTER TABLE ONLY private.system_logs_y2024m05
    ADD CONSTRAINT system_logs_y2024m05_pkey PRIMARY KEY (id, created_at);

--
-- Name: system_logs_y2024m06 system_logs_y2024m06_pkey; Type: CONSTRAINT; Schema: private; Owner: -
--

ALTER TABLE ONLY private.system_logs_y2024m06
    ADD CONSTRAINT system_logs_y2024m06_pkey PRIMARY KEY (id, created_at);

--
-- Name: system_logs_y2024m07 system_logs_y2024m07_pkey; Type: CONSTRAINT; Schema: private; Owner: -
--

ALTER TABLE ONLY private.system_logs_y2024m07
    ADD CONSTRAINT system_logs_y2024m07_pkey PRIMARY KEY (id, created_at);

--
-- Name: system_logs_y2024m08 system_logs_y2024m08_pkey; Type: CONSTRAINT; Schema: private; Owner: -
--

ALTER TABLE ONLY private.system_logs_y2024m08
    ADD CONSTRAINT system_logs_y2024m08_pkey PRIMARY KEY (id, created_at);

--
-- Name: system_logs_y2024m09 system_logs_y2024m09_pkey; Type: CONSTRAINT; Schema: private; Owner: -
--

ALTER TABLE ONLY private.system_logs_y2024m09
    ADD CONSTRAINT system_logs_y2024m09_pkey PRIMARY KEY (id, created_at);

--
-- Name: system_logs_y2024m10 system_logs_y2024m10_pkey; Type: CONSTRAINT; Schema: private; Owner: -
--

ALTER TABLE ONLY private.system_logs_y2024m10
    ADD CONSTRAINT system_logs_y2024m10_pkey PRIMARY KEY (id, created_at);

--
-- Name: system_logs_y2024m11 system_logs_y2024m11_pkey; Type: CONSTRAINT; Schema: private; Owner: -
--

ALTER TABLE ONLY private.system_logs_y2024m11
    ADD CONSTRAINT system_logs_y2024m11_pkey PRIMARY KEY (id, created_at);

--
-- Name: system_logs_y2024m12 system_logs_y2024m12_pkey; Type: CONSTRAINT; Schema: private; Owner: -
--

ALTER TABLE ONLY private.system_logs_y2024m12
    ADD CONSTRAINT system_logs_y2024m12_pkey PRIMARY KEY (id, created_at);

--
-- Name: system_logs_y2025m01 system_logs_y2025m01_pkey; Type: CONSTRAINT; Schema: private; Owner: -
--

ALTER TABLE ONLY private.system_logs_y2025m01
    ADD CONSTRAINT system_logs_y2025m01_pkey PRIMARY KEY (id, created_at);

--
-- Name: system_logs_y2025m02 system_logs_y2025m02_pkey; Type: CONSTRAINT; Schema: private; Owner: -
--

ALTER TABLE ONLY private.system_logs_y2025m02
    ADD CONSTRAINT system_logs_y2025m02_pkey PRIMARY KEY (id, created_at);

--
-- Name: system_logs_y2025m03 system_logs_y2025m03_pkey; Type: CONSTRAINT; Schema: private; Owner: -
--

ALTER TABLE ONLY private.system_logs_y2025m03
    ADD CONSTRAINT system_logs_y2025m03_pkey PRIMARY KEY (id, created_at);

--
-- Name: system_logs_y2025m04 system_logs_y2025m04_pkey; Type: CONSTRAINT; Schema: private; Owner: -
--

ALTER TABLE ONLY private.system_logs_y2025m04
    ADD CONSTRAINT system_logs_y2025m04_pkey PRIMARY KEY (id, created_at);

--
-- Name: system_logs_y2025m05 system_logs_y2025m05_pkey; Type: CONSTRAINT; Schema: private; Owner: -
--

ALTER TABLE ONLY private.system_logs_y2025m05
    ADD CONSTRAINT system_logs_y2025m05_pkey PRIMARY KEY (id, created_at);

--
-- Name: system_logs_y2025m06 system_logs_y2025m06_pkey; Type: CONSTRAINT; Schema: private; Owner: -
--

ALTER TABLE ONLY private.system_logs_y2025m06
    ADD CONSTRAINT system_logs_y2025m06_pkey PRIMARY KEY (id, created_at);

--
-- Name: system_logs_y2025m07 system_logs_y2025m07_pkey; Type: CONSTRAINT; Schema: private; Owner: -
--

ALTER TABLE ONLY private.system_logs_y2025m07
    ADD CONSTRAINT system_logs_y2025m07_pkey PRIMARY KEY (id, created_at);

--
-- Name: system_logs_y2025m08 system_logs_y2025m08_pkey; Type: CONSTRAINT; Schema: private; Owner: -
--

ALTER TABLE ONLY private.system_logs_y2025m08
    ADD CONSTRAINT system_logs_y2025m08_pkey PRIMARY KEY (id, created_at);

--
-- Name: system_logs_y2025m09 system_logs_y2025m09_pkey; Type: CONSTRAINT; Schema: private; Owner: -
--

ALTER TABLE ONLY private.system_logs_y2025m09
    ADD CONSTRAINT system_logs_y2025m09_pkey PRIMARY KEY (id, created_at);

--
-- Name: system_logs_y2025m10 system_logs_y2025m10_pkey; Type: CONSTRAINT; Schema: private; Owner: -
--

ALTER TABLE ONLY private.system_logs_y2025m10
    ADD CONSTRAINT system_logs_y2025m10_pkey PRIMARY KEY (id, created_at);

--
-- Name: system_logs_y2025m11 system_logs_y2025m11_pkey; Type: CONSTRAINT; Schema: private; Owner: -
--

ALTER TABLE ONLY private.system_logs_y2025m11
    ADD CONSTRAINT system_logs_y2025m11_pkey PRIMARY KEY (id, created_at);

--
-- Name: system_logs_y2025m12 system_logs_y2025m12_pkey; Type: CONSTRAINT; Schema: private; Owner: -
--

ALTER TABLE ONLY private.system_logs_y2025m12
    ADD CONSTRAINT system_logs_y2025m12_pkey PRIMARY KEY (id, created_at);

--
-- Name: system_logs_y2026m01 system_logs_y2026m01_pkey; Type: CONSTRAINT; Schema: private; Owner: -
--

ALTER TABLE ONLY private.system_logs_y2026m01
    ADD CONSTRAINT system_logs_y2026m01_pkey PRIMARY KEY (id, created_at);

--
-- Name: system_logs_y2026m02 system_logs_y2026m02_pkey; Type: CONSTRAINT; Schema: private; Owner: -
--

ALTER TABLE ONLY private.system_logs_y2026m02
    ADD CONSTRAINT system_logs_y2026m02_pkey PRIMARY KEY (id, created_at);

--
-- Name: system_logs_y2026m03 system_logs_y2026m03_pkey; Type: CONSTRAINT; Schema: private; Owner: -
--

ALTER TABLE ONLY private.system_logs_y2026m03
    ADD CONSTRAINT system_logs_y2026m03_pkey PRIMARY KEY (id, created_at);

--
-- Name: system_logs_y2026m04 system_logs_y2026m04_pkey; Type: CONSTRAINT; Schema: private; Owner: -
--

ALTER TABLE ONLY private.system_logs_y2026m04
    ADD CONSTRAINT system_logs_y2026m04_pkey PRIMARY KEY (id, created_at);

--
-- Name: system_logs_y2026m05 system_logs_y2026m05_pkey; Type: CONSTRAINT; Schema: private; Owner: -
--

ALTER TABLE ONLY private.system_logs_y2026m05
    ADD CONSTRAINT system_logs_y2026m05_pkey PRIMARY KEY (id, created_at);

--
-- Name: system_logs_y2026m06 system_logs_y2026m06_pkey; Type: CONSTRAINT; Schema: private; Owner: -
--

ALTER TABLE ONLY private.system_logs_y2026m06
    ADD CONSTRAINT system_logs_y2026m06_pkey PRIMARY KEY (id, created_at);

--
-- Name: system_logs_y2026m07 system_logs_y2026m07_pkey; Type: CONSTRAINT; Schema: private; Owner: -
--

ALTER TABLE ONLY private.system_logs_y2026m07
    ADD CONSTRAINT system_logs_y2026m07_pkey PRIMARY KEY (id, created_at);

--
-- Name: system_logs_y2026m08 system_logs_y2026m08_pkey; Type: CONSTRAINT; Schema: private; Owner: -
--

ALTER TABLE ONLY private.system_logs_y2026m08
    ADD CONSTRAINT system_logs_y2026m08_pkey PRIMARY KEY (id, created_at);

--
-- Name: system_logs_y2026m09 system_logs_y2026m09_pkey; Type: CONSTRAINT; Schema: private; Owner: -
--

ALTER TABLE ONLY private.system_logs_y2026m09
    ADD CONSTRAINT system_logs_y2026m09_pkey PRIMARY KEY (id, created_at);

--
-- Name: system_logs_y2026m10 system_logs_y2026m10_pkey; Type: CONSTRAINT; Schema: private; Owner: -
--

ALTER TABLE ONLY private.system_logs_y2026m10
    ADD CONSTRAINT system_logs_y2026m10_pkey PRIMARY KEY (id, created_at);

--
-- Name: system_logs_y2026m11 system_logs_y2026m11_pkey; Type: CONSTRAINT; Schema: private; Owner: -
--

ALTER TABLE ONLY private.system_logs_y2026m11
    ADD CONSTRAINT system_logs_y2026m11_pkey PRIMARY KEY (id, created_at);

--
-- Name: system_logs_y2026m12 system_logs_y2026m12_pkey; Type: CONSTRAINT; Schema: private; Owner: -
--

ALTER TABLE ONLY private.system_logs_y2026m12
    ADD CONSTRAINT system_logs_y2026m12_pkey PRIMARY KEY (id, created_at);

--
-- Name: system_logs_y2027m01 system_logs_y2027m01_pkey; Type: CONSTRAINT; Schema: private; Owner: -
--

ALTER TABLE ONLY private.system_logs_y2027m01
    ADD CONSTRAINT system_logs_y2027m01_pkey PRIMARY KEY (id, created_at);

--
-- Name: system_logs_y2027m02 system_logs_y2027m02_pkey; Type: CONSTRAINT; Schema: private; Owner: -
--

ALTER TABLE ONLY private.system_logs_y2027m02
    ADD CONSTRAINT system_logs_y2027m02_pkey PRIMARY KEY (id, created_at);

--
-- Name: wo_number_counters wo_number_counters_pkey; Type: CONSTRAINT; Schema: private; Owner: -
--

ALTER TABLE ONLY private.wo_number_counters
    ADD CONSTRAINT wo_number_counters_pkey PRIMARY KEY (warehouse_id, day);

--
-- Name: contractors contractors_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.contractors
    ADD CONSTRAINT contractors_pkey PRIMARY KEY (id);

--
-- Name: contractors contractors_warehouse_id_id_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.contractors
    ADD CONSTRAINT contractors_warehouse_id_id_key UNIQUE (warehouse_id, id);

--
-- Name: contractors contractors_warehouse_id_profile_id_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.contractors
    ADD CONSTRAINT contractors_warehouse_id_profile_id_key UNIQUE (warehouse_id, profile_id);

--
-- Name: equipment_maintenance_history equipment_maintenance_history_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.equipment_maintenance_history
    ADD CONSTRAINT equipment_maintenance_history_pkey PRIMARY KEY (id);

--
-- Name: equipment equipment_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.equipment
    ADD CONSTRAINT equipment_pkey PRIMARY KEY (id);

--
-- Name: equipment equipment_warehouse_id_asset_tag_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.equipment
    ADD CONSTRAINT equipment_warehouse_id_asset_tag_key UNIQUE (warehouse_id, asset_tag);

--
-- Name: equipment equipment_warehouse_id_id_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.equipment
    ADD CONSTRAINT equipment_warehouse_id_id_key UNIQUE (warehouse_id, id);

--
-- Name: escalation_rules escalation_rules_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.escalation_rules
    ADD CONSTRAINT escalation_rules_pkey PRIMARY KEY (id);

--
-- Name: escalation_rules escalation_rules_warehouse_id_priority_level_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.escalation_rules
    ADD CONSTRAINT escalation_rules_warehouse_id_priority_level_key UNIQUE (warehouse_id, priority, level);

--
-- Name: notification_settings notification_settings_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.notification_settings
    ADD CONSTRAINT notification_settings_pkey PRIMARY KEY (id);

--
-- Name: notification_settings notification_settings_user_id_warehouse_id_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.notification_settings
    ADD CONSTRAINT notification_settings_user_id_warehouse_id_key UNIQUE (user_id, warehouse_id);

--
-- Name: notifications notifications_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.notifications
    ADD CONSTRAINT notifications_pkey PRIMARY KEY (id);

--
-- Name: part_transactions part_transactions_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.part_transactions
    ADD CONSTRAINT part_transactions_pkey PRIMARY KEY (id);

--
-- Name: parts parts_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.parts
    ADD CONSTRAINT parts_pkey PRIMARY KEY (id);

--
-- Name: parts parts_warehouse_id_id_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.parts
    ADD CONSTRAINT parts_warehouse_id_id_key UNIQUE (warehouse_id, id);

--
-- Name: parts parts_warehouse_id_part_number_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.parts
    ADD CONSTRAINT parts_warehouse_id_part_number_key UNIQUE (warehouse_id, part_number);

--
-- Name: pm_schedules pm_schedules_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.pm_schedules
    ADD CONSTRAINT pm_schedules_pkey PRIMARY KEY (id);

--
-- Name: pm_schedules pm_schedules_warehouse_id_id_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.pm_schedules
    ADD CONSTRAINT pm_schedules_warehouse_id_id_key UNIQUE (warehouse_id, id);

--
-- Name: pm_template_checklist pm_template_checklist_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.pm_template_checklist
    ADD CONSTRAINT pm_template_checklist_pkey PRIMARY KEY (id);

--
-- Name: pm_templates pm_templates_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.pm_templates
    ADD CONSTRAINT pm_templates_pkey PRIMARY KEY (id);

--
-- Name: pm_templates pm_templates_warehouse_id_id_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.pm_templates
    ADD CONSTRAINT pm_templates_warehouse_id_id_key UNIQUE (warehouse_id, id);

--
-- Name: pm_templates pm_templates_warehouse_id_name_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.pm_templates
    ADD CONSTRAINT pm_templates_warehouse_id_name_key UNIQUE (warehouse_id, name);

--
-- Name: profiles profiles_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.profiles
    ADD CONSTRAINT profiles_pkey PRIMARY KEY (id);

--
-- Name: profiles profiles_warehouse_id_id_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.profiles
    ADD CONSTRAINT profiles_warehouse_id_id_key UNIQUE (warehouse_id, id);

--
-- Name: system_settings system_settings_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.system_settings
    ADD CONSTRAINT system_settings_pkey PRIMARY KEY (id);

--
-- Name: system_settings system_settings_warehouse_id_key_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.system_settings
    ADD CONSTRAINT system_settings_warehouse_id_key_key UNIQUE (warehouse_id, key);

--
-- Name: user_warehouse_access user_warehouse_access_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.user_warehouse_access
    ADD CONSTRAINT user_warehouse_access_pkey PRIMARY KEY (id);

--
-- Name: user_warehouse_access user_warehouse_access_user_id_warehouse_id_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.user_warehouse_access
    ADD CONSTRAINT user_warehouse_access_user_id_warehouse_id_key UNIQUE (user_id, warehouse_id);

--
-- Name: vendors vendors_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.vendors
    ADD CONSTRAINT vendors_pkey PRIMARY KEY (id);

--
-- Name: vendors vendors_warehouse_id_id_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.vendors
    ADD CONSTRAINT vendors_warehouse_id_id_key UNIQUE (warehouse_id, id);

--
-- Name: vendors vendors_warehouse_id_name_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.vendors
    ADD CONSTRAINT vendors_warehouse_id_name_key UNIQUE (warehouse_id, name);

--
-- Name: warehouses warehouses_code_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.warehouses
    ADD CONSTRAINT warehouses_code_key UNIQUE (code);

--
-- Name: warehouses warehouses_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.warehouses
    ADD CONSTRAINT warehouses_pkey PRIMARY KEY (id);

--
-- Name: wo_attachments wo_attachments_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.wo_attachments
    ADD CONSTRAINT wo_attachments_pkey PRIMARY KEY (id);

--
-- Name: wo_attachments wo_attachments_storage_path_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.wo_attachments
    ADD CONSTRAINT wo_attachments_storage_path_key UNIQUE (storage_path);

--
-- Name: wo_checklist_items wo_checklist_items_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.wo_checklist_items
    ADD CONSTRAINT wo_checklist_items_pkey PRIMARY KEY (id);

--
-- Name: wo_parts_used wo_parts_used_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.wo_parts_used
    ADD CONSTRAINT wo_parts_used_pkey PRIMARY KEY (id);

--
-- Name: wo_time_logs wo_time_logs_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.wo_time_logs
    ADD CONSTRAINT wo_time_logs_pkey PRIMARY KEY (id);

--
-- Name: work_orders work_orders_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.work_orders
    ADD CONSTRAINT work_orders_pkey PRIMARY KEY (id);

--
-- Name: work_orders work_orders_pm_schedule_id_pm_due_date_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.work_orders
    ADD CONSTRAINT work_orders_pm_schedule_id_pm_due_date_key UNIQUE (pm_schedule_id, pm_due_date);

--
-- Name: work_orders work_orders_warehouse_id_id_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.work_orders
    ADD CONSTRAINT work_orders_warehouse_id_id_key UNIQUE (warehouse_id, id);

--
-- Name: work_orders work_orders_warehouse_id_wo_number_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.work_orders
    ADD CONSTRAINT work_orders_warehouse_id_wo_number_key UNIQUE (warehouse_id, wo_number);

--
-- Name: buckets buckets_pkey; Type: CONSTRAINT; Schema: storage; Owner: -
--

ALTER TABLE ONLY storage.buckets
    ADD CONSTRAINT buckets_pkey PRIMARY KEY (id);

--
-- Name: objects objects_pkey; Type: CONSTRAINT; Schema: storage; Owner: -
--

ALTER TABLE ONLY storage.objects
    ADD CONSTRAINT objects_pkey PRIMARY KEY (id);

--
-- Name: system_logs_record_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX system_logs_record_idx ON ONLY public.system_logs USING btree (table_name, record_id);

--
-- Name: system_logs_default_table_name_record_id_idx; Type: INDEX; Schema: private; Owner: -
--

CREATE INDEX system_logs_default_table_name_record_id_idx ON private.system_logs_default USING btree (table_name, record_id);

--
-- Name: system_logs_warehouse_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX system_logs_warehouse_idx ON ONLY public.system_logs USING btree (warehouse_id, created_at);

--
-- Name: system_logs_default_warehouse_id_created_at_idx; Type: INDEX; Schema: private; Owner: -
--

CREATE INDEX system_logs_default_warehouse_id_created_at_idx ON private.system_logs_default USING btree (warehouse_id, created_at);

--
-- Name: system_logs_y2024m01_table_name_record_id_idx; Type: INDEX; Schema: private; Owner: -
--

CREATE INDEX system_logs_y2024m01_table_name_record_id_idx ON private.system_logs_y2024m01 USING btree (table_name, record_id);

--
-- Name: system_logs_y2024m01_warehouse_id_created_at_idx; Type: INDEX; Schema: private; Owner: -
--

CREATE INDEX system_logs_y2024m01_warehouse_id_created_at_idx ON private.system_logs_y2024m01 USING btree (warehouse_id, created_at);

--
-- Name: system_logs_y2024m02_table_name_record_id_idx; Type: INDEX; Schema: private; Owner: -
--

CREATE INDEX system_logs_y2024m02_table_name_record_id_idx ON private.system_logs_y2024m02 USING btree (table_name, record_id);

--
-- Name: system_logs_y2024m02_warehouse_id_created_at_idx; Type: INDEX; Schema: private; Owner: -
--

CREATE INDEX system_logs_y2024m02_warehouse_id_created_at_idx ON private.system_logs_y2024m02 USING btree (warehouse_id, created_at);

--
-- Name: system_logs_y2024m03_table_name_record_id_idx; Type: INDEX; Schema: private; Owner: -
--

CREATE INDEX system_logs_y2024m03_table_name_record_id_idx ON private.system_logs_y2024m03 USING btree (table_name, record_id);

--
-- Name: system_logs_y2024m03_warehouse_id_created_at_idx; Type: INDEX; Schema: private; Owner: -
--

CREATE INDEX system_logs_y2024m03_warehouse_id_created_at_idx ON private.system_logs_y2024m03 USING btree (warehouse_id, created_at);

--
-- Name: system_logs_y2024m04_table_name_record_id_idx; Type: INDEX; Schema: private; Owner: -
--

CREATE INDEX system_logs_y2024m04_table_name_record_id_idx ON private.system_logs_y2024m04 USING btree (table_name, record_id);

--
-- Name: system_logs_y2024m04_warehouse_id_created_at_idx; Type: INDEX; Schema: private; Owner: -
--

CREATE INDEX system_logs_y2024m04_warehouse_id_created_at_idx ON private.system_logs_y2024m04 USING btree (warehouse_id, created_at);

--
-- Name: system_logs_y2024m05_table_name_record_id_idx; Type: INDEX; Schema: private; Owner: -
--

CREATE INDEX system_logs_y2024m05_table_name_record_id_idx ON private.system_logs_y2024m05 USING btree (table_name, record_id);

--
-- Name: system_logs_y2024m05_warehouse_id_created_at_idx; Type: INDEX; Schema: private; Owner: -
--

CREATE INDEX system_logs_y2024m05_warehouse_id_created_at_idx ON private.system_logs_y2024m05 USING btree (warehouse_id, created_at);

--
-- Name: system_logs_y2024m06_table_name_record_id_idx; Type: INDEX; Schema: private; Owner: -
--

CREATE INDEX system_logs_y2024m06_table_name_record_id_idx ON private.system_logs_y2024m06 USING btree (table_name, record_id);

--
-- Name: system_logs_y2024m06_warehouse_id_created_at_idx; Type: INDEX; Schema: private; Owner: -
--

CREATE INDEX system_logs_y2024m06_warehouse_id_created_at_idx ON private.system_logs_y2024m06 USING btree (warehouse_id, created_at);

--
-- Name: system_logs_y2024m07_table_name_record_id_idx; Type: INDEX; Schema: private; Owner: -
--

CREATE INDEX system_logs_y2024m07_table_name_record_id_idx ON private.system_logs_y2024m07 USING btree (table_name, record_id);

--
-- Name: system_logs_y2024m07_warehouse_id_created_at_idx; Type: INDEX; Schema: private; Owner: -
--

CREATE INDEX system_logs_y2024m07_warehouse_id_created_at_idx ON private.system_logs_y2024m07 USING btree (warehouse_id, created_at);

--
-- Name: system_logs_y2024m08_table_name_record_id_idx; Type: INDEX; Schema: private; Owner: -
--

CREATE INDEX system_logs_y2024m08_table_name_record_id_idx ON private.system_logs_y2024m08 USING btree (table_name, record_id);

--
-- Name: system_logs_y2024m08_warehouse_id_created_at_idx; Type: INDEX; Schema: private; Owner: -
--

CREATE INDEX system_logs_y2024m08_warehouse_id_created_at_idx ON private.system_logs_y2024m08 USING btree (warehouse_id, created_at);

--
-- Name: system_logs_y2024m09_table_name_record_id_idx; Type: INDEX; Schema: private; Owner: -
--

CREATE INDEX system_logs_y2024m09_table_name_record_id_idx ON private.system_logs_y2024m09 USING btree (table_name, record_id);

--
-- Name: system_logs_y2024m09_warehouse_id_created_at_idx; Type: INDEX; Schema: private; Owner: -
--

CREATE INDEX system_logs_y2024m09_warehouse_id_created_at_idx ON private.system_logs_y2024m09 USING btree (warehouse_id, created_at);

--
-- Name: system_logs_y2024m10_table_name_record_id_idx; Type: INDEX; Schema: private; Owner: -
--

CREATE INDEX system_logs_y2024m10_table_name_record_id_idx ON private.system_logs_y2024m10 USING btree (table_name, record_id);

--
-- Name: system_logs_y2024m10_warehouse_id_created_at_idx; Type: INDEX; Schema: private; Owner: -
--

CREATE INDEX system_logs_y2024m10_warehouse_id_created_at_idx ON private.system_logs_y2024m10 USING btree (warehouse_id, created_at);

--
-- Name: system_logs_y2024m11_table_name_record_id_idx; Type: INDEX; Schema: private; Owner: -
--

CREATE INDEX system_logs_y2024m11_table_name_record_id_idx ON private.system_logs_y2024m11 USING btree (table_name, record_id);

--
-- Name: system_logs_y2024m11_warehouse_id_created_at_idx; Type: INDEX; Schema: private; Owner: -
--

CREATE INDEX system_logs_y2024m11_warehouse_id_created_at_idx ON private.system_logs_y2024m11 USING btree (warehouse_id, created_at);

--
-- Name: system_logs_y2024m12_table_name_record_id_idx; Type: INDEX; Schema: private; Owner: -
--

CREATE INDEX system_logs_y2024m12_table_name_record_id_idx ON private.system_logs_y2024m12 USING btree (table_name, record_id);

--
-- Name: system_logs_y2024m12_warehouse_id_created_at_idx; Type: INDEX; Schema: private; Owner: -
--

CREATE INDEX system_logs_y2024m12_warehouse_id_created_at_idx ON private.system_logs_y2024m12 USING btree (warehouse_id, created_at);

--
-- Name: system_logs_y2025m01_table_name_record_id_idx; Type: INDEX; Schema: private; Owner: -
--

CREATE INDEX system_logs_y2025m01_table_name_record_id_idx ON private.system_logs_y2025m01 USING btree (table_name, record_id);

--
-- Name: system_logs_y2025m01_warehouse_id_created_at_idx; Type: INDEX; Schema: private; Owner: -
--

CREATE INDEX system_logs_y2025m01_warehouse_id_created_at_idx ON private.system_logs_y2025m01 USING btree (warehouse_id, created_at);

--
-- Name: system_logs_y2025m02_table_name_record_id_idx; Type: INDEX; Schema: private; Owner: -
--

CREATE INDEX system_logs_y2025m02_table_name_record_id_idx ON private.system_logs_y2025m02 USING btree (table_name, record_id);

--
-- Name: system_logs_y2025m02_warehouse_id_created_at_idx; Type: INDEX; Schema: private; Owner: -
--

CREATE INDEX system_logs_y2025m02_warehouse_id_created_at_idx ON private.system_logs_y2025m02 USING btree (warehouse_id, created_at);

--
-- Name: system_logs_y2025m03_table_name_record_id_idx; Type: INDEX; Schema: private; Owner: -
--

CREATE INDEX system_logs_y2025m03_table_name_record_id_idx ON private.system_logs_y2025m03 USING btree (table_name, record_id);

--
-- Name: system_logs_y2025m03_warehouse_id_created_at_idx; Type: INDEX; Schema: private; Owner: -
--

CREATE INDEX system_logs_y2025m03_warehouse_id_created_at_idx ON private.system_logs_y2025m03 USING btree (warehouse_id, created_at);

--
-- Name: system_logs_y2025m04_table_name_record_id_idx; Type: INDEX; Schema: private; Owner: -
--

CREATE INDEX system_logs_y2025m04_table_name_record_id_idx ON private.system_logs_y2025m04 USING btree (table_name, record_id);

--
-- Name: system_logs_y2025m04_warehouse_id_created_at_idx; Type: INDEX; Schema: private; Owner: -
--

CREATE INDEX system_logs_y2025m04_warehouse_id_created_at_idx ON private.system_logs_y2025m04 USING btree (warehouse_id, created_at);

--
-- Name: system_logs_y2025m05_table_name_record_id_idx; Type: INDEX; Schema: private; Owner: -
--

CREATE INDEX system_logs_y2025m05_table_name_record_id_idx ON private.system_logs_y2025m05 USING btree (table_name, record_id);

--
-- Name: system_logs_y2025m05_warehouse_id_created_at_idx; Type: INDEX; Schema: private; Owner: -
--

CREATE INDEX system_logs_y2025m05_warehouse_id_created_at_idx ON private.system_logs_y2025m05 USING btree (warehouse_id, created_at);

--
-- Name: system_logs_y2025m06_table_name_record_id_idx; Type: INDEX; Schema: private; Owner: -
--

CREATE INDEX system_logs_y2025m06_table_name_record_id_idx ON private.system_logs_y2025m06 USING btree (table_name, record_id);

--
-- Name: system_logs_y2025m06_warehouse_id_created_at_idx; Type: INDEX; Schema: private; Owner: -
--

CREATE INDEX system_logs_y2025m06_warehouse_id_created_at_idx ON private.system_logs_y2025m06 USING btree (warehouse_id, created_at);

--
-- Name: system_logs_y2025m07_table_name_record_id_idx; Type: INDEX; Schema: private; Owner: -
--

CREATE INDEX system_logs_y2025m07_table_name_record_id_idx ON private.system_logs_y2025m07 USING btree (table_name, record_id);

--
-- Name: system_logs_y2025m07_warehouse_id_created_at_idx; Type: INDEX; Schema: private; Owner: -
--

CREATE INDEX system_logs_y2025m07_warehouse_id_created_at_idx ON private.system_logs_y2025m07 USING btree (warehouse_id, created_at);

--
-- Name: system_logs_y2025m08_table_name_record_id_idx; Type: INDEX; Schema: private; Owner: -
--

CREATE INDEX system_logs_y2025m08_table_name_record_id_idx ON private.system_logs_y2025m08 USING btree (table_name, record_id);

--
-- Name: system_logs_y2025m08_warehouse_id_created_at_idx; Type: INDEX; Schema: private; Owner: -
--

CREATE INDEX system_logs_y2025m08_warehouse_id_created_at_idx ON private.system_logs_y2025m08 USING btree (warehouse_id, created_at);

--
-- Name: system_logs_y2025m09_table_name_record_id_idx; Type: INDEX; Schema: private; Owner: -
--

CREATE INDEX system_logs_y2025m09_table_name_record_id_idx ON private.system_logs_y2025m09 USING btree (table_name, record_id);

--
-- Name: system_logs_y2025m09_warehouse_id_created_at_idx; Type: INDEX; Schema: private; Owner: -
--

CREATE INDEX system_logs_y2025m09_warehouse_id_created_at_idx ON private.system_logs_y2025m09 USING btree (warehouse_id, created_at);

--
-- Name: system_logs_y2025m10_table_name_record_id_idx; Type: INDEX; Schema: private; Owner: -
--

CREATE INDEX system_logs_y2025m10_table_name_record_id_idx ON private.system_logs_y2025m10 USING btree (table_name, record_id);

--
-- Name: system_logs_y2025m10_warehouse_id_created_at_idx; Type: INDEX; Schema: private; Owner: -
--

CREATE INDEX system_logs_y2025m10_warehouse_id_created_at_idx ON private.system_logs_y2025m10 USING btree (warehouse_id, created_at);

--
-- Name: system_logs_y2025m11_table_name_record_id_idx; Type: INDEX; Schema: private; Owner: -
--

CREATE INDEX system_logs_y2025m11_table_name_record_id_idx ON private.system_logs_y2025m11 USING btree (table_name, record_id);

--
-- Name: system_logs_y2025m11_warehouse_id_created_at_idx; Type: INDEX; Schema: private; Owner: -
--

CREATE INDEX system_logs_y2025m11_warehouse_id_created_at_idx ON private.system_logs_y2025m11 USING btree (warehouse_id, created_at);

--
-- Name: system_logs_y2025m12_table_name_record_id_idx; Type: INDEX; Schema: private; Owner: -
--

CREATE INDEX system_logs_y2025m12_table_name_record_id_idx ON private.system_logs_y2025m12 USING btree (table_name, record_id);

--
-- Name: system_logs_y2025m12_warehouse_id_created_at_idx; Type: INDEX; Schema: private; Owner: -
--

CREATE INDEX system_logs_y2025m12_warehouse_id_created_at_idx ON private.system_logs_y2025m12 USING btree (warehouse_id, created_at);

--
-- Name: system_logs_y2026m01_table_name_record_id_idx; Type: INDEX; Schema: private; Owner: -
--

CREATE INDEX system_logs_y2026m01_table_name_record_id_idx ON private.system_logs_y2026m01 USING btree (table_name, record_id);

--
-- Name: system_logs_y2026m01_warehouse_id_created_at_idx; Type: INDEX; Schema: private; Owner: -
--

CREATE INDEX system_logs_y2026m01_warehouse_id_created_at_idx ON private.system_logs_y2026m01 USING btree (warehouse_id, created_at);

--
-- Name: system_logs_y2026m02_table_name_record_id_idx; Type: INDEX; Schema: private; Owner: -
--

CREATE INDEX system_logs_y2026m02_table_name_record_id_idx ON private.system_logs_y2026m02 USING btree (table_name, record_id);

--
-- Name: system_logs_y2026m02_warehouse_id_created_at_idx; Type: INDEX; Schema: private; Owner: -
--

CREATE INDEX system_logs_y2026m02_warehouse_id_created_at_idx ON private.system_logs_y2026m02 USING btree (warehouse_id, created_at);

--
-- Name: system_logs_y2026m03_table_name_record_id_idx; Type: INDEX; Schema: private; Owner: -
--

CREATE INDEX system_logs_y2026m03_table_name_record_id_idx ON private.system_logs_y2026m03 USING btree (table_name, record_id);

--
-- Name: system_logs_y2026m03_warehouse_id_created_at_idx; Type: INDEX; Schema: private; Owner: -
--

CREATE INDEX system_logs_y2026m03_warehouse_id_created_at_idx ON private.system_logs_y2026m03 USING btree (warehouse_id, created_at);

--
-- Name: system_logs_y2026m04_table_name_record_id_idx; Type: INDEX; Schema: private; Owner: -
--

CREATE INDEX system_logs_y2026m04_table_name_record_id_idx ON private.system_logs_y2026m04 USING btree (table_name, record_id);

--
-- Name: system_logs_y2026m04_warehouse_id_created_at_idx; Type: INDEX; Schema: private; Owner: -
--

CREATE INDEX system_logs_y2026m04_warehouse_id_created_at_idx ON private.system_logs_y2026m04 USING btree (warehouse_id, created_at);

--
-- Name: system_logs_y2026m05_table_name_record_id_idx; Type: INDEX; Schema: private; Owner: -
--

CREATE INDEX system_logs_y2026m05_table_name_record_id_idx ON private.system_logs_y2026m05 USING btree (table_name, record_id);

--
-- Name: system_logs_y2026m05_warehouse_id_created_at_idx; Type: INDEX; Schema: private; Owner: -
--

CREATE INDEX system_logs_y2026m05_warehouse_id_created_at_idx ON private.system_logs_y2026m05 USING btree (warehouse_id, created_at);

--
-- Name: system_logs_y2026m06_table_name_record_id_idx; Type: INDEX; Schema: private; Owner: -
--

CREATE INDEX system_logs_y2026m06_table_name_record_id_idx ON private.system_logs_y2026m06 USING btree (table_name, record_id);

--
-- Name: system_logs_y2026m06_warehouse_id_created_at_idx; Type: INDEX; Schema: private; Owner: -
--

CREATE INDEX system_logs_y2026m06_warehouse_id_created_at_idx ON private.system_logs_y2026m06 USING btree (warehouse_id, created_at);

--
-- Name: system_logs_y2026m07_table_name_record_id_idx; Type: INDEX; Schema: private; Owner: -
--

CREATE INDEX system_logs_y2026m07_table_name_record_id_idx ON private.system_logs_y2026m07 USING btree (table_name, record_id);

--
-- Name: system_logs_y2026m07_warehouse_id_created_at_idx; Type: INDEX; Schema: private; Owner: -
--

CREATE INDEX system_logs_y2026m07_warehouse_id_created_at_idx ON private.system_logs_y2026m07 USING btree (warehouse_id, created_at);

--
-- Name: system_logs_y2026m08_table_name_record_id_idx; Type: INDEX; Schema: private; Owner: -
--

CREATE INDEX system_logs_y2026m08_table_name_record_id_idx ON private.system_logs_y2026m08 USING btree (table_name, record_id);

--
-- Name: system_logs_y2026m08_warehouse_id_created_at_idx; Type: INDEX; Schema: private; Owner: -
--

CREATE INDEX system_logs_y2026m08_warehouse_id_created_at_idx ON private.system_logs_y2026m08 USING btree (warehouse_id, created_at);

--
-- Name: system_logs_y2026m09_table_name_record_id_idx; Type: INDEX; Schema: private; Owner: -
--

CREATE INDEX system_logs_y2026m09_table_name_record_id_idx ON private.system_logs_y2026m09 USING btree (table_name, record_id);

--
-- Name: system_logs_y2026m09_warehouse_id_created_at_idx; Type: INDEX; Schema: private; Owner: -
--

CREATE INDEX system_logs_y2026m09_warehouse_id_created_at_idx ON private.system_logs_y2026m09 USING btree (warehouse_id, created_at);

--
-- Name: system_logs_y2026m10_table_name_record_id_idx; Type: INDEX; Schema: private; Owner: -
--

CREATE INDEX system_logs_y2026m10_table_name_record_id_idx ON private.system_logs_y2026m10 USING btree (table_name, record_id);

--
-- Name: system_logs_y2026m10_warehouse_id_created_at_idx; Type: INDEX; Schema: private; Owner: -
--

CREATE INDEX system_logs_y2026m10_warehouse_id_created_at_idx ON private.system_logs_y2026m10 USING btree (warehouse_id, created_at);

--
-- Name: system_logs_y2026m11_table_name_record_id_idx; Type: INDEX; Schema: private; Owner: -
--

CREATE INDEX system_logs_y2026m11_table_name_record_id_idx ON private.system_logs_y2026m11 USING btree (table_name, record_id);

--
-- Name: system_logs_y2026m11_warehouse_id_created_at_idx; Type: INDEX; Schema: private; Owner: -
--

CREATE INDEX system_logs_y2026m11_warehouse_id_created_at_idx ON private.system_logs_y2026m11 USING btree (warehouse_id, created_at);

--
-- Name: system_logs_y2026m12_table_name_record_id_idx; Type: INDEX; Schema: private; Owner: -
--

CREATE INDEX system_logs_y2026m12_table_name_record_id_idx ON private.system_logs_y2026m12 USING btree (table_name, record_id);

--
-- Name: system_logs_y2026m12_warehouse_id_created_at_idx; Type: INDEX; Schema: private; Owner: -
--

CREATE INDEX system_logs_y2026m12_warehouse_id_created_at_idx ON private.system_logs_y2026m12 USING btree (warehouse_id, created_at);

--
-- Name: system_logs_y2027m01_table_name_record_id_idx; Type: INDEX; Schema: private; Owner: -
--

CREATE INDEX system_logs_y2027m01_table_name_record_id_idx ON private.system_logs_y2027m01 USING btree (table_name, record_id);

--
-- Name: system_logs_y2027m01_warehouse_id_created_at_idx; Type: INDEX; Schema: private; Owner: -
--

CREATE INDEX system_logs_y2027m01_warehouse_id_created_at_idx ON private.system_logs_y2027m01 USING btree (warehouse_id, created_at);

--
-- Name: system_logs_y2027m02_table_name_record_id_idx; Type: INDEX; Schema: private; Owner: -
--

CREATE INDEX system_logs_y2027m02_table_name_record_id_idx ON private.system_logs_y2027m02 USING btree (table_name, record_id);

--
-- Name: system_logs_y2027m02_warehouse_id_created_at_idx; Type: INDEX; Schema: private; Owner: -
--

CREATE INDEX system_logs_y2027m02_warehouse_id_created_at_idx ON private.system_logs_y2027m02 USING btree (warehouse_id, created_at);

--
-- Name: contractors_profile_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX contractors_profile_idx ON public.contractors USING btree (profile_id);

--
-- Name: contractors_vendor_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX contractors_vendor_idx ON public.contractors USING btree (warehouse_id, vendor_id);

--
-- Name: emh_equipment_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX emh_equipment_idx ON public.equipment_maintenance_history USING btree (warehouse_id, equipment_id, performed_at);

--
-- Name: emh_performed_by_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX emh_performed_by_idx ON public.equipment_maintenance_history USING btree (performed_by);

--
-- Name: emh_work_order_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX emh_work_order_idx ON public.equipment_maintenance_history USING btree (warehouse_id, work_order_id);

--
-- Name: equipment_parent_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX equipment_parent_idx ON public.equipment USING btree (warehouse_id, parent_equipment_id);

--
-- Name: equipment_status_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX equipment_status_idx ON public.equipment USING btree (warehouse_id, status);

--
-- Name: notification_settings_warehouse_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX notification_settings_warehouse_idx ON public.notification_settings USING btree (warehouse_id);

--
-- Name: notifications_user_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX notifications_user_idx ON public.notifications USING btree (user_id, created_at);

--
-- Name: notifications_wo_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX notifications_wo_idx ON public.notifications USING btree (warehouse_id, work_order_id);

--
-- Name: part_transactions_part_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX part_transactions_part_idx ON public.part_transactions USING btree (warehouse_id, part_id, created_at);

--
-- Name: part_transactions_performed_by_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX part_transactions_performed_by_idx ON public.part_transactions USING btree (performed_by);

--
-- Name: part_transactions_wo_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX part_transactions_wo_idx ON public.part_transactions USING btree (warehouse_id, work_order_id);

--
-- Name: parts_low_stock_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX parts_low_stock_idx ON public.parts USING btree (warehouse_id, available) WHERE (available <= reorder_point);

--
-- Name: parts_vendor_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX parts_vendor_idx ON public.parts USING btree (warehouse_id, vendor_id);

--
-- Name: pm_schedules_due_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX pm_schedules_due_idx ON public.pm_schedules USING btree (warehouse_id, next_due) WHERE active;

--
-- Name: pm_schedules_equipment_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX pm_schedules_equipment_idx ON public.pm_schedules USING btree (warehouse_id, equipment_id);

--
-- Name: pm_schedules_template_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX pm_schedules_template_idx ON public.pm_schedules USING btree (warehouse_id, template_id);

--
-- Name: pm_template_checklist_template_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX pm_template_checklist_template_idx ON public.pm_template_checklist USING btree (warehouse_id, template_id, "position");

--
-- Name: profiles_role_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX profiles_role_idx ON public.profiles USING btree (warehouse_id, role);

--
-- Name: user_warehouse_access_granted_by_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX user_warehouse_access_granted_by_idx ON public.user_warehouse_access USING btree (granted_by);

--
-- Name: user_warehouse_access_warehouse_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX user_warehouse_access_warehouse_idx ON public.user_warehouse_access USING btree (warehouse_id);

--
-- Name: wo_attachments_uploaded_by_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX wo_attachments_uploaded_by_idx ON public.wo_attachments USING btree (uploaded_by);

--
-- Name: wo_attachments_wo_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX wo_attachments_wo_idx ON public.wo_attachments USING btree (warehouse_id, work_order_id);

--
-- Name: wo_checklist_items_completed_by_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX wo_checklist_items_completed_by_idx ON public.wo_checklist_items USING btree (completed_by);

--
-- Name: wo_checklist_items_wo_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX wo_checklist_items_wo_idx ON public.wo_checklist_items USING btree (warehouse_id, work_order_id, "position");

--
-- Name: wo_parts_used_part_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX wo_parts_used_part_idx ON public.wo_parts_used USING btree (warehouse_id, part_id);

--
-- Name: wo_parts_used_recorded_by_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX wo_parts_used_recorded_by_idx ON public.wo_parts_used USING btree (recorded_by);

--
-- Name: wo_parts_used_wo_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX wo_parts_used_wo_idx ON public.wo_parts_used USING btree (warehouse_id, work_order_id);

--
-- Name: wo_time_logs_user_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX wo_time_logs_user_idx ON public.wo_time_logs USING btree (user_id, started_at);

--
-- Name: wo_time_logs_wo_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX wo_time_logs_wo_idx ON public.wo_time_logs USING btree (warehouse_id, work_order_id);

--
-- Name: work_orders_assigned_to_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX work_orders_assigned_to_idx ON public.work_orders USING gin (assigned_to);

--
-- Name: work_orders_created_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX work_orders_created_idx ON public.work_orders USING btree (warehouse_id, created_at, id);

--
-- Name: work_orders_due_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX work_orders_due_idx ON public.work_orders USING btree (warehouse_id, due_date);

--
-- Name: work_orders_equipment_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX work_orders_equipment_idx ON public.work_orders USING btree (warehouse_id, equipment_id);

--
-- Name: work_orders_follow_up_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX work_orders_follow_up_idx ON public.work_orders USING btree (warehouse_id, follow_up_of);

--
-- Name: work_orders_pm_schedule_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX work_orders_pm_schedule_idx ON public.work_orders USING btree (warehouse_id, pm_schedule_id);

--
-- Name: work_orders_requested_by_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX work_orders_requested_by_idx ON public.work_orders USING btree (requested_by);

--
-- Name: work_orders_search_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX work_orders_search_idx ON public.work_orders USING gin (search);

--
-- Name: work_orders_status_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX work_orders_status_idx ON public.work_orders USING btree (warehouse_id, status);

--
-- Name: work_orders_verified_by_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX work_orders_verified_by_idx ON public.work_orders USING btree (verified_by);

--
-- Name: bucketid_objname; Type: INDEX; Schema: storage; Owner: -
--

CREATE UNIQUE INDEX bucketid_objname ON storage.objects USING btree (bucket_id, name);

--
-- Name: system_logs_default_pkey; Type: INDEX ATTACH; Schema: private; Owner: -
--

ALTER INDEX public.system_logs_pkey ATTACH PARTITION private.system_logs_default_pkey;

--
-- Name: system_logs_default_table_name_record_id_idx; Type: INDEX ATTACH; Schema: private; Owner: -
--

ALTER INDEX public.system_logs_record_idx ATTACH PARTITION private.system_logs_default_table_name_record_id_idx;

--
-- Name: system_logs_default_warehouse_id_created_at_idx; Type: INDEX ATTACH; Schema: private; Owner: -
--

ALTER INDEX public.system_logs_warehouse_idx ATTACH PARTITION private.system_logs_default_warehouse_id_created_at_idx;

--
-- Name: system_logs_y2024m01_pkey; Type: INDEX ATTACH; Schema: private; Owner: -
--

ALTER INDEX public.system_logs_pkey ATTACH PARTITION private.system_logs_y2024m01_pkey;

--
-- Name: system_logs_y2024m01_table_name_record_id_idx; Type: INDEX ATTACH; Schema: private; Owner: -
--

ALTER INDEX public.system_logs_record_idx ATTACH PARTITION private.system_logs_y2024m01_table_name_record_id_idx;

--
-- Name: system_logs_y2024m01_warehouse_id_created_at_idx; Type: INDEX ATTACH; Schema: private; Owner: -
--

ALTER INDEX public.system_logs_warehouse_idx ATTACH PARTITION private.system_logs_y2024m01_warehouse_id_created_at_idx;

--
-- Name: system_logs_y2024m02_pkey; Type: INDEX ATTACH; Schema: private; Owner: -
--

ALTER INDEX public.system_logs_pkey ATTACH PARTITION private.system_logs_y2024m02_pkey;

--
-- Name: system_logs_y2024m02_table_name_record_id_idx; Type: INDEX ATTACH; Schema: private; Owner: -
--

ALTER INDEX public.system_logs_record_idx ATTACH PARTITION private.system_logs_y2024m02_table_name_record_id_idx;

--
-- Name: system_logs_y2024m02_warehouse_id_created_at_idx; Type: INDEX ATTACH; Schema: private; Owner: -
--

ALTER INDEX public.system_logs_warehouse_idx ATTACH PARTITION private.system_logs_y2024m02_warehouse_id_created_at_idx;

--
-- Name: system_logs_y2024m03_pkey; Type: INDEX ATTACH; Schema: private; Owner: -
--

ALTER INDEX public.system_logs_pkey ATTACH PARTITION private.system_logs_y2024m03_pkey;

--
-- Name: system_logs_y2024m03_table_name_record_id_idx; Type: INDEX ATTACH; Schema: private; Owner: -
--

ALTER INDEX public.system_logs_record_idx ATTACH PARTITION private.system_logs_y2024m03_table_name_record_id_idx;

--
-- Name: system_logs_y2024m03_warehouse_id_created_at_idx; Type: INDEX ATTACH; Schema: private; Owner: -
--

ALTER INDEX public.system_logs_warehouse_idx ATTACH PARTITION private.system_logs_y2024m03_warehouse_id_created_at_idx;

--
-- Name: system_logs_y2024m04_pkey; Type: INDEX ATTACH; Schema: private; Owner: -
--

ALTER INDEX public.system_logs_pkey ATTACH PARTITION private.system_logs_y2024m04_pkey;

--
-- Name: system_logs_y2024m04_table_name_record_id_idx; Type: INDEX ATTACH; Schema: private; Owner: -
--

ALTER INDEX public.system_logs_record_idx ATTACH PARTITION private.system_logs_y2024m04_table_name_record_id_idx;

--
-- Name: system_logs_y2024m04_warehouse_id_created_at_idx; Type: INDEX ATTACH; Schema: private; Owner: -
--

ALTER INDEX public.system_logs_warehouse_idx ATTACH PARTITION private.system_logs_y2024m04_warehouse_id_created_at_idx;

--
-- Name: system_logs_y2024m05_pkey; Type: INDEX ATTACH; Schema: private; Owner: -
--

ALTER INDEX public.system_logs_pkey ATTACH PARTITION private.system_logs_y2024m05_pkey;

--
-- Name: system_logs_y2024m05_table_name_record_id_idx; Type: INDEX ATTACH; Schema: private; Owner: -
--

ALTER INDEX public.system_logs_record_idx ATTACH PARTITION private.system_logs_y2024m05_table_name_record_id_idx;

--
-- Name: system_logs_y2024m05_warehouse_id_created_at_idx; Type: INDEX ATTACH; Schema: private; Owner: -
--

ALTER INDEX public.system_logs_warehouse_idx ATTACH PARTITION private.system_logs_y2024m05_warehouse_id_created_at_idx;

--
-- Name: system_logs_y2024m06_pkey; Type: INDEX ATTACH; Schema: private; Owner: -
--

ALTER INDEX public.system_logs_pkey ATTACH PARTITION private.system_logs_y2024m06_pkey;

--
-- Name: system_logs_y2024m06_table_name_record_id_idx; Type: INDEX ATTACH; Schema: private; Owner: -
--

ALTER INDEX public.system_logs_record_idx ATTACH PARTITION private.system_logs_y2024m06_table_name_record_id_idx;

--
-- Name: system_logs_y2024m06_warehouse_id_created_at_idx; Type: INDEX ATTACH; Schema: private; Owner: -
--

ALTER INDEX public.system_logs_warehouse_idx ATTACH PARTITION private.system_logs_y2024m06_warehouse_id_created_at_idx;

--
-- Name: system_logs_y2024m07_pkey; Type: INDEX ATTACH; Schema: private; Owner: -
--

ALTER INDEX public.system_logs_pkey ATTACH PARTITION private.system_logs_y2024m07_pkey;

--
-- Name: system_logs_y2024m07_table_name_record_id_idx; Type: INDEX ATTACH; Schema: private; Owner: -
--

ALTER INDEX public.system_logs_record_idx ATTACH PARTITION private.system_logs_y2024m07_table_name_record_id_idx;

--
-- Name: system_logs_y2024m07_warehouse_id_created_at_idx; Type: INDEX ATTACH; Schema: private; Owner: -
--

ALTER INDEX public.system_logs_warehouse_idx ATTACH PARTITION private.system_logs_y2024m07_warehouse_id_created_at_idx;

--
-- Name: system_logs_y2024m08_pkey; Type: INDEX ATTACH; Schema: private; Owner: -
--

ALTER INDEX public.system_logs_pkey ATTACH PARTITION private.system_logs_y2024m08_pkey;

--
-- Name: system_logs_y2024m08_table_name_record_id_idx; Type: INDEX ATTACH; Schema: private; Owner: -
--

ALTER INDEX public.system_logs_record_idx ATTACH PARTITION private.system_logs_y2024m08_table_name_record_id_idx;

--
-- Name: system_logs_y2024m08_warehouse_id_created_at_idx; Type: INDEX ATTACH; Schema: private; Owner: -
--

ALTER INDEX public.system_logs_warehouse_idx ATTACH PARTITION private.system_logs_y2024m08_warehouse_id_created_at_idx;

--
-- Name: system_logs_y2024m09_pkey; Type: INDEX ATTACH; Schema: private; Owner: -
--

ALTER INDEX public.system_logs_pkey ATTACH PARTITION private.system_logs_y2024m09_pkey;

--
-- Name: system_logs_y2024m09_table_name_record_id_idx; Type: INDEX ATTACH; Schema: private; Owner: -
--

ALTER INDEX public.system_logs_record_idx ATTACH PARTITION private.system_logs_y2024m09_table_name_record_id_idx;

--
-- Name: system_logs_y2024m09_warehouse_id_created_at_idx; Type: INDEX ATTACH; Schema: private; Owner: -
--

ALTER INDEX public.system_logs_warehouse_idx ATTACH PARTITION private.system_logs_y2024m09_warehouse_id_created_at_idx;

--
-- Name: system_logs_y2024m10_pkey; Type: INDEX ATTACH; Schema: private; Owner: -
--

ALTER INDEX public.system_logs_pkey ATTACH PARTITION private.system_logs_y2024m10_pkey;

--
-- Name: system_logs_y2024m10_table_name_record_id_idx; Type: INDEX ATTACH; Schema: private; Owner: -
--

ALTER INDEX public.system_logs_record_idx ATTACH PARTITION private.system_logs_y2024m10_table_name_record_id_idx;

--
-- Name: system_logs_y2024m10_warehouse_id_created_at_idx; Type: INDEX ATTACH; Schema: private; Owner: -
--

ALTER INDEX public.system_logs_warehouse_idx ATTACH PARTITION private.system_logs_y2024m10_warehouse_id_created_at_idx;

--
-- Name: system_logs_y2024m11_pkey; Type: INDEX ATTACH; Schema: private; Owner: -
--

ALTER INDEX public.system_logs_pkey ATTACH PARTITION private.system_logs_y2024m11_pkey;

--
-- Name: system_logs_y2024m11_table_name_record_id_idx; Type: INDEX ATTACH; Schema: private; Owner: -
--

ALTER INDEX public.system_logs_record_idx ATTACH PARTITION private.system_logs_y2024m11_table_name_record_id_idx;

--
-- Name: system_logs_y2024m11_warehouse_id_created_at_idx; Type: INDEX ATTACH; Schema: private; Owner: -
--

ALTER INDEX public.system_logs_warehouse_idx ATTACH PARTITION private.system_logs_y2024m11_warehouse_id_created_at_idx;

--
-- Name: system_logs_y2024m12_pkey; Type: INDEX ATTACH; Schema: private; Owner: -
--

ALTER INDEX public.system_logs_pkey ATTACH PARTITION private.system_logs_y2024m12_pkey;

--
-- Name: system_logs_y2024m12_table_name_record_id_idx; Type: INDEX ATTACH; Schema: private; Owner: -
--

ALTER INDEX public.system_logs_record_idx ATTACH PARTITION private.system_logs_y2024m12_table_name_record_id_idx;

--
-- Name: system_logs_y2024m12_warehouse_id_created_at_idx; Type: INDEX ATTACH; Schema: private; Owner: -
--

ALTER INDEX public.system_logs_warehouse_idx ATTACH PARTITION private.system_logs_y2024m12_warehouse_id_created_at_idx;

--
-- Name: system_logs_y2025m01_pkey; Type: INDEX ATTACH; Schema: private; Owner: -
--

ALTER INDEX public.system_logs_pkey ATTACH PARTITION private.system_logs_y2025m01_pkey;

--
-- Name: system_logs_y2025m01_table_name_record_id_idx; Type: INDEX ATTACH; Schema: private; Owner: -
--

ALTER INDEX public.system_logs_record_idx ATTACH PARTITION private.system_logs_y2025m01_table_name_record_id_idx;

--
-- Name: system_logs_y2025m01_warehouse_id_created_at_idx; Type: INDEX ATTACH; Schema: private; Owner: -
--

ALTER INDEX public.system_logs_warehouse_idx ATTACH PARTITION private.system_logs_y2025m01_warehouse_id_created_at_idx;

--
-- Name: system_logs_y2025m02_pkey; Type: INDEX ATTACH; Schema: private; Owner: -
--

ALTER INDEX public.system_logs_pkey ATTACH PARTITION private.system_logs_y2025m02_pkey;

--
-- Name: system_logs_y2025m02_table_name_record_id_idx; Type: INDEX ATTACH; Schema: private; Owner: -
--

ALTER INDEX public.system_logs_record_idx ATTACH PARTITION private.system_logs_y2025m02_table_name_record_id_idx;

--
-- Name: system_logs_y2025m02_warehouse_id_created_at_idx; Type: INDEX ATTACH; Schema: private; Owner: -
--

ALTER INDEX public.system_logs_warehouse_idx ATTACH PARTITION private.system_logs_y2025m02_warehouse_id_created_at_idx;

--
-- Name: system_logs_y2025m03_pkey; Type: INDEX ATTACH; Schema: private; Owner: -
--

ALTER INDEX public.system_logs_pkey ATTACH PARTITION private.system_logs_y2025m03_pkey;

--
-- Name: system_logs_y2025m03_table_name_record_id_idx; Type: INDEX ATTACH; Schema: private; Owner: -
--

ALTER INDEX public.system_logs_record_idx ATTACH PARTITION private.system_logs_y2025m03_table_name_record_id_idx;

--
-- Name: system_logs_y2025m03_warehouse_id_created_at_idx; Type: INDEX ATTACH; Schema: private; Owner: -
--

ALTER INDEX public.system_logs_warehouse_idx ATTACH PARTITION private.system_logs_y2025m03_warehouse_id_created_at_idx;

--
-- Name: system_logs_y2025m04_pkey; Type: INDEX ATTACH; Schema: private; Owner: -
--

ALTER INDEX public.system_logs_pkey ATTACH PARTITION private.system_logs_y2025m04_pkey;

--
-- Name: system_logs_y2025m04_table_name_record_id_idx; Type: INDEX ATTACH; Schema: private; Owner: -
--

ALTER INDEX public.system_logs_record_idx ATTACH PARTITION private.system_logs_y2025m04_table_name_record_id_idx;

--
-- Name: system_logs_y2025m04_warehouse_id_created_at_idx; Type: INDEX ATTACH; Schema: private; Owner: -
--

ALTER INDEX public.system_logs_warehouse_idx ATTACH PARTITION private.system_logs_y2025m04_warehouse_id_created_at_idx;

--
-- Name: system_logs_y2025m05_pkey; Type: INDEX ATTACH; Schema: private; Owner: -
--

ALTER INDEX public.system_logs_pkey ATTACH PARTITION private.system_logs_y2025m05_pkey;

--
-- Name: system_logs_y2025m05_table_name_record_id_idx; Type: INDEX ATTACH; Schema: private; Owner: -
--

ALTER INDEX public.system_logs_record_idx ATTACH PARTITION private.system_logs_y2025m05_table_name_record_id_idx;

--
-- Name: system_logs_y2025m05_warehouse_id_created_at_idx; Type: INDEX ATTACH; Schema: private; Owner: -
--

ALTER INDEX public.system_logs_warehouse_idx ATTACH PARTITION private.system_logs_y2025m05_warehouse_id_created_at_idx;

--
-- Name: system_logs_y2025m06_pkey; Type: INDEX ATTACH; Schema: private; Owner: -
--

ALTER INDEX public.system_logs_pkey ATTACH PARTITION private.system_logs_y2025m06_pkey;

--
-- Name: system_logs_y2025m06_table_name_record_id_idx; Type: INDEX ATTACH; Schema: private; Owner: -
--

ALTER INDEX public.system_logs_record_idx ATTACH PARTITION private.system_logs_y2025m06_table_name_record_id_idx;

--
-- Name: system_logs_y2025m06_warehouse_id_created_at_idx; Type: INDEX ATTACH; Schema: private; Owner: -
--

ALTER INDEX public.system_logs_warehouse_idx ATTACH PARTITION private.system_logs_y2025m06_warehouse_id_created_at_idx;

--
-- Name: system_logs_y2025m07_pkey; Type: INDEX ATTACH; Schema: private; Owner: -
--

ALTER INDEX public.system_logs_pkey ATTACH PARTITION private.system_logs_y2025m07_pkey;

--
-- Name: system_logs_y2025m07_table_name_record_id_idx; Type: INDEX ATTACH; Schema: private; Owner: -
--

ALTER INDEX public.system_logs_record_idx ATTACH PARTITION private.system_logs_y2025m07_table_name_record_id_idx;

--
-- Name: system_logs_y2025m07_warehouse_id_created_at_idx; Type: INDEX ATTACH; Schema: private; Owner: -
--

ALTER INDEX public.system_logs_warehouse_idx ATTACH PARTITION private.system_logs_y2025m07_warehouse_id_created_at_idx;

--
-- Name: system_logs_y2025m08_pkey; Type: INDEX ATTACH; Schema: private; Owner: -
--

ALTER INDEX public.system_logs_pkey ATTACH PARTITION private.system_logs_y2025m08_pkey;

--
-- Name: system_logs_y2025m08_table_name_record_id_idx; Type: INDEX ATTACH; Schema: private; Owner: -
--

ALTER INDEX public.system_logs_record_idx ATTACH PARTITION private.system_logs_y2025m08_table_name_record_id_idx;

--
-- Name: system_logs_y2025m08_warehouse_id_created_at_idx; Type: INDEX ATTACH; Schema: private; Owner: -
--

ALTER INDEX public.system_logs_warehouse_idx ATTACH PARTITION private.system_logs_y2025m08_warehouse_id_created_at_idx;

--
-- Name: system_logs_y2025m09_pkey; Type: INDEX ATTACH; Schema: private; Owner: -
--

ALTER INDEX public.system_logs_pkey ATTACH PARTITION private.system_logs_y2025m09_pkey;

--
-- Name: system_logs_y2025m09_table_name_record_id_idx; Type: INDEX ATTACH; Schema: private; Owner: -
--

ALTER INDEX public.system_logs_record_idx ATTACH PARTITION private.system_logs_y2025m09_table_name_record_id_idx;

--
-- Name: system_logs_y2025m09_warehouse_id_created_at_idx; Type: INDEX ATTACH; Schema: private; Owner: -
--

ALTER INDEX public.system_logs_warehouse_idx ATTACH PARTITION private.system_logs_y2025m09_warehouse_id_created_at_idx;

--
-- Name: system_logs_y2025m10_pkey; Type: INDEX ATTACH; Schema: private; Owner: -
--

ALTER INDEX public.system_logs_pkey ATTACH PARTITION private.system_logs_y2025m10_pkey;

--
-- Name: system_logs_y2025m10_table_name_record_id_idx; Type: INDEX ATTACH; Schema: private; Owner: -
--

ALTER INDEX public.system_logs_record_idx ATTACH PARTITION private.system_logs_y2025m10_table_name_record_id_idx;

--
-- Name: system_logs_y2025m10_warehouse_id_created_at_idx; Type: INDEX ATTACH; Schema: private; Owner: -
--

ALTER INDEX public.system_logs_warehouse_idx ATTACH PARTITION private.system_logs_y2025m10_warehouse_id_created_at_idx;

--
-- Name: system_logs_y2025m11_pkey; Type: INDEX ATTACH; Schema: private; Owner: -
--

ALTER INDEX public.system_logs_pkey ATTACH PARTITION private.system_logs_y2025m11_pkey;

--
-- Name: system_logs_y2025m11_table_name_record_id_idx; Type: INDEX ATTACH; Schema: private; Owner: -
--

ALTER INDEX public.system_logs_record_idx ATTACH PARTITION private.system_logs_y2025m11_table_name_record_id_idx;

--
-- Name: system_logs_y2025m11_warehouse_id_created_at_idx; Type: INDEX ATTACH; Schema: private; Owner: -
--

ALTER INDEX public.system_logs_warehouse_idx ATTACH PARTITION private.system_logs_y2025m11_warehouse_id_created_at_idx;

--
-- Name: system_logs_y2025m12_pkey; Type: INDEX ATTACH; Schema: private; Owner: -
--

ALTER INDEX public.system_logs_pkey ATTACH PARTITION private.system_logs_y2025m12_pkey;

--
-- Name: system_logs_y2025m12_table_name_record_id_idx; Type: INDEX ATTACH; Schema: private; Owner: -
--

ALTER INDEX public.system_logs_record_idx ATTACH PARTITION private.system_logs_y2025m12_table_name_record_id_idx;

--
-- Name: system_logs_y2025m12_warehouse_id_created_at_idx; Type: INDEX ATTACH; Schema: private; Owner: -
--

ALTER INDEX public.system_logs_warehouse_idx ATTACH PARTITION private.system_logs_y2025m12_warehouse_id_created_at_idx;

--
-- Name: system_logs_y2026m01_pkey; Type: INDEX ATTACH; Schema: private; Owner: -
--

ALTER INDEX public.system_logs_pkey ATTACH PARTITION private.system_logs_y2026m01_pkey;

--
-- Name: system_logs_y2026m01_table_name_record_id_idx; Type: INDEX ATTACH; Schema: private; Owner: -
--

ALTER INDEX public.system_logs_record_idx ATTACH PARTITION private.system_logs_y2026m01_table_name_record_id_idx;

--
-- Name: system_logs_y2026m01_warehouse_id_created_at_idx; Type: INDEX ATTACH; Schema: private; Owner: -
--

ALTER INDEX public.system_logs_warehouse_idx ATTACH PARTITION private.system_logs_y2026m01_warehouse_id_created_at_idx;

--
-- Name: system_logs_y2026m02_pkey; Type: INDEX ATTACH; Schema: private; Owner: -
--

ALTER INDEX public.system_logs_pkey ATTACH PARTITION private.system_logs_y2026m02_pkey;

--
-- Name: system_logs_y2026m02_table_name_record_id_idx; Type: INDEX ATTACH; Schema: private; Owner: -
--

ALTER INDEX public.system_logs_record_idx ATTACH PARTITION private.system_logs_y2026m02_table_name_record_id_idx;

--
-- Name: system_logs_y2026m02_warehouse_id_created_at_idx; Type: INDEX ATTACH; Schema: private; Owner: -
--

ALTER INDEX public.system_logs_warehouse_idx ATTACH PARTITION private.system_logs_y2026m02_warehouse_id_created_at_idx;

--
-- Name: system_logs_y2026m03_pkey; Type: INDEX ATTACH; Schema: private; Owner: -
--

ALTER INDEX public.system_logs_pkey ATTACH PARTITION private.system_logs_y2026m03_pkey;

--
-- Name: system_logs_y2026m03_table_name_record_id_idx; Type: INDEX ATTACH; Schema: private; Owner: -
--

ALTER INDEX public.system_logs_record_idx ATTACH PARTITION private.system_logs_y2026m03_table_name_record_id_idx;

--
-- Name: system_logs_y2026m03_warehouse_id_created_at_idx; Type: INDEX ATTACH; Schema: private; Owner: -
--

ALTER INDEX public.system_logs_warehouse_idx ATTACH PARTITION private.system_logs_y2026m03_warehouse_id_created_at_idx;

--
-- Name: system_logs_y2026m04_pkey; Type: INDEX ATTACH; Schema: private; Owner: -
--

ALTER INDEX public.system_logs_pkey ATTACH PARTITION private.system_logs_y2026m04_pkey;

--
-- Name: system_logs_y2026m04_table_name_record_id_idx; Type: INDEX ATTACH; Schema: private; Owner: -
--

ALTER INDEX public.system_logs_record_idx ATTACH PARTITION private.system_logs_y2026m04_table_name_record_id_idx;

--
-- Name: system_logs_y2026m04_warehouse_id_created_at_idx; Type: INDEX ATTACH; Schema: private; Owner: -
--

ALTER INDEX public.system_logs_warehouse_idx ATTACH PARTITION private.system_logs_y2026m04_warehouse_id_created_at_idx;

--
-- Name: system_logs_y2026m05_pkey; Type: INDEX ATTACH; Schema: private; Owner: -
--

ALTER INDEX public.system_logs_pkey ATTACH PARTITION private.system_logs_y2026m05_pkey;

--
-- Name: system_logs_y2026m05_table_name_record_id_idx; Type: INDEX ATTACH; Schema: private; Owner: -
--

ALTER INDEX public.system_logs_record_idx ATTACH PARTITION private.system_logs_y2026m05_table_name_record_id_idx;

--
-- Name: system_logs_y2026m05_warehouse_id_created_at_idx; Type: INDEX ATTACH; Schema: private; Owner: -
--

ALTER INDEX public.system_logs_warehouse_idx ATTACH PARTITION private.system_logs_y2026m05_warehouse_id_created_at_idx;

--
-- Name: system_logs_y2026m06_pkey; Type: INDEX ATTACH; Schema: private; Owner: -
--

ALTER INDEX public.system_logs_pkey ATTACH PARTITION private.system_logs_y2026m06_pkey;

--
-- Name: system_logs_y2026m06_table_name_record_id_idx; Type: INDEX ATTACH; Schema: private; Owner: -
--

ALTER INDEX public.system_logs_record_idx ATTACH PARTITION private.system_logs_y2026m06_table_name_record_id_idx;

--
-- Name: system_logs_y2026m06_warehouse_id_created_at_idx; Type: INDEX ATTACH; Schema: private; Owner: -
--

ALTER INDEX public.system_logs_warehouse_idx ATTACH PARTITION private.system_logs_y2026m06_warehouse_id_created_at_idx;

--
-- Name: system_logs_y2026m07_pkey; Type: INDEX ATTACH; Schema: private; Owner: -
--

ALTER INDEX public.system_logs_pkey ATTACH PARTITION private.system_logs_y2026m07_pkey;

--
-- Name: system_logs_y2026m07_table_name_record_id_idx; Type: INDEX ATTACH; Schema: private; Owner: -
--

ALTER INDEX public.system_logs_record_idx ATTACH PARTITION private.system_logs_y2026m07_table_name_record_id_idx;

--
-- Name: system_logs_y2026m07_warehouse_id_created_at_idx; Type: INDEX ATTACH; Schema: private; Owner: -
--

ALTER INDEX public.system_logs_warehouse_idx ATTACH PARTITION private.system_logs_y2026m07_warehouse_id_created_at_idx;

--
-- Name: system_logs_y2026m08_pkey; Type: INDEX ATTACH; Schema: private; Owner: -
--

ALTER INDEX public.system_logs_pkey ATTACH PARTITION private.system_logs_y2026m08_pkey;

--
-- Name: system_logs_y2026m08_table_name_record_id_idx; Type: INDEX ATTACH; Schema: private; Owner: -
--

ALTER INDEX public.system_logs_record_idx ATTACH PARTITION private.system_logs_y2026m08_table_name_record_id_idx;

--
-- Name: system_logs_y2026m08_warehouse_id_created_at_idx; Type: INDEX ATTACH; Schema: private; Owner: -
--

ALTER INDEX public.system_logs_warehouse_idx ATTACH PARTITION private.system_logs_y2026m08_warehouse_id_created_at_idx;

--
-- Name: system_logs_y2026m09_pkey; Type: INDEX ATTACH; Schema: private; Owner: -
--

ALTER INDEX public.system_logs_pkey ATTACH PARTITION private.system_logs_y2026m09_pkey;

--
-- Name: system_logs_y2026m09_table_name_record_id_idx; Type: INDEX ATTACH; Schema: private; Owner: -
--

ALTER INDEX public.system_logs_record_idx ATTACH PARTITION private.system_logs_y2026m09_table_name_record_id_idx;

--
-- Name: system_logs_y2026m09_warehouse_id_created_at_idx; Type: INDEX ATTACH; Schema: private; Owner: -
--

ALTER INDEX public.system_logs_warehouse_idx ATTACH PARTITION private.system_logs_y2026m09_warehouse_id_created_at_idx;

--
-- Name: system_logs_y2026m10_pkey; Type: INDEX ATTACH; Schema: private; Owner: -
--

ALTER INDEX public.system_logs_pkey ATTACH PARTITION private.system_logs_y2026m10_pkey;

--
-- Name: system_logs_y2026m10_table_name_record_id_idx; Type: INDEX ATTACH; Schema: private; Owner: -
--

ALTER INDEX public.system_logs_record_idx ATTACH PARTITION private.system_logs_y2026m10_table_name_record_id_idx;

--
-- Name: system_logs_y2026m10_warehouse_id_created_at_idx; Type: INDEX ATTACH; Schema: private; Owner: -
--

ALTER INDEX public.system_logs_warehouse_idx ATTACH PARTITION private.system_logs_y2026m10_warehouse_id_created_at_idx;

--
-- Name: system_logs_y2026m11_pkey; Type: INDEX ATTACH; Schema: private; Owner: -
--

ALTER INDEX public.system_logs_pkey ATTACH PARTITION private.system_logs_y2026m11_pkey;

--
-- Name: system_logs_y2026m11_table_name_record_id_idx; Type: INDEX ATTACH; Schema: private; Owner: -
--

ALTER INDEX public.system_logs_record_idx ATTACH PARTITION private.system_logs_y2026m11_table_name_record_id_idx;

--
-- Name: system_logs_y2026m11_warehouse_id_created_at_idx; Type: INDEX ATTACH; Schema: private; Owner: -
--

ALTER INDEX public.system_logs_warehouse_idx ATTACH PARTITION private.system_logs_y2026m11_warehouse_id_created_at_idx;

--
-- Name: system_logs_y2026m12_pkey; Type: INDEX ATTACH; Schema: private; Owner: -
--

ALTER INDEX public.system_logs_pkey ATTACH PARTITION private.system_logs_y2026m12_pkey;

--
-- Name: system_logs_y2026m12_table_name_record_id_idx; Type: INDEX ATTACH; Schema: private; Owner: -
--

ALTER INDEX public.system_logs_record_idx ATTACH PARTITION private.system_logs_y2026m12_table_name_record_id_idx;

--
-- Name: system_logs_y2026m12_warehouse_id_created_at_idx; Type: INDEX ATTACH; Schema: private; Owner: -
--

ALTER INDEX public.system_logs_warehouse_idx ATTACH PARTITION private.system_logs_y2026m12_warehouse_id_created_at_idx;

--
-- Name: system_logs_y2027m01_pkey; Type: INDEX ATTACH; Schema: private; Owner: -
--

ALTER INDEX public.system_logs_pkey ATTACH PARTITION private.system_logs_y2027m01_pkey;

--
-- Name: system_logs_y2027m01_table_name_record_id_idx; Type: INDEX ATTACH; Schema: private; Owner: -
--

ALTER INDEX public.system_logs_record_idx ATTACH PARTITION private.system_logs_y2027m01_table_name_record_id_idx;

--
-- Name: system_logs_y2027m01_warehouse_id_created_at_idx; Type: INDEX ATTACH; Schema: private; Owner: -
--

ALTER INDEX public.system_logs_warehouse_idx ATTACH PARTITION private.system_logs_y2027m01_warehouse_id_created_at_idx;

--
-- Name: system_logs_y2027m02_pkey; Type: INDEX ATTACH; Schema: private; Owner: -
--

ALTER INDEX public.system_logs_pkey ATTACH PARTITION private.system_logs_y2027m02_pkey;

--
-- Name: system_logs_y2027m02_table_name_record_id_idx; Type: INDEX ATTACH; Schema: private; Owner: -
--

ALTER INDEX public.system_logs_record_idx ATTACH PARTITION private.system_logs_y2027m02_table_name_record_id_idx;

--
-- Name: system_logs_y2027m02_warehouse_id_created_at_idx; Type: INDEX ATTACH; Schema: private; Owner: -
--

ALTER INDEX public.system_logs_warehouse_idx ATTACH PARTITION private.system_logs_y2027m02_warehouse_id_created_at_idx;

--
-- Name: part_transactions trg_05_append_only; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER trg_05_append_only BEFORE DELETE OR UPDATE ON public.part_transactions FOR EACH ROW EXECUTE FUNCTION private.append_only_guard();

--
-- Name: system_logs trg_05_append_only; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER trg_05_append_only BEFORE DELETE OR UPDATE ON public.system_logs FOR EACH ROW EXECUTE FUNCTION private.append_only_guard();

--
-- Name: work_orders trg_10_wo_number; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER trg_10_wo_number BEFORE INSERT ON public.work_orders FOR EACH ROW EXECUTE FUNCTION private.wo_assign_number();

--
-- Name: wo_attachments trg_20_attachment_check; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER trg_20_attachment_check BEFORE INSERT OR UPDATE ON public.wo_attachments FOR EACH ROW EXECUTE FUNCTION private.attachment_check();

--
-- Name: profiles trg_20_profiles_guard; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER trg_20_profiles_guard BEFORE INSERT OR UPDATE ON public.profiles FOR EACH ROW EXECUTE FUNCTION private.profiles_guard();

--
-- Name: wo_time_logs trg_20_time_log_minutes; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER trg_20_time_log_minutes BEFORE INSERT OR UPDATE ON public.wo_time_logs FOR EACH ROW EXECUTE FUNCTION private.time_log_minutes();

--
-- Name: user_warehouse_access trg_20_uwa_role; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER trg_20_uwa_role BEFORE INSERT OR UPDATE ON public.user_warehouse_access FOR EACH ROW EXECUTE FUNCTION private.uwa_check_role();

--
-- Name: work_orders trg_20_wo_rules; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER trg_20_wo_rules BEFORE INSERT OR UPDATE ON public.work_orders FOR EACH ROW EXECUTE FUNCTION private.wo_enforce_rules();

--
-- Name: work_orders trg_30_wo_status; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER trg_30_wo_status BEFORE INSERT OR UPDATE ON public.work_orders FOR EACH ROW EXECUTE FUNCTION private.wo_status_machine();

--
-- Name: work_orders trg_40_wo_assignees; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER trg_40_wo_assignees BEFORE INSERT OR UPDATE ON public.work_orders FOR EACH ROW EXECUTE FUNCTION private.wo_check_assignees();

--
-- Name: part_transactions trg_50_ledger_apply; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER trg_50_ledger_apply AFTER INSERT ON public.part_transactions FOR EACH ROW EXECUTE FUNCTION private.ledger_apply();

--
-- Name: parts trg_50_parts_ledger_sync; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER trg_50_parts_ledger_sync AFTER INSERT OR UPDATE OF quantity_on_hand ON public.parts FOR EACH ROW EXECUTE FUNCTION private.parts_ledger_sync();

--
-- Name: contractors trg_90_updated_at; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER trg_90_updated_at BEFORE UPDATE ON public.contractors FOR EACH ROW EXECUTE FUNCTION private.set_updated_at();

--
-- Name: equipment trg_90_updated_at; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER trg_90_updated_at BEFORE UPDATE ON public.equipment FOR EACH ROW EXECUTE FUNCTION private.set_updated_at();

--
-- Name: equipment_maintenance_history trg_90_updated_at; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER trg_90_updated_at BEFORE UPDATE ON public.equipment_maintenance_history FOR EACH ROW EXECUTE FUNCTION private.set_updated_at();

--
-- Name: escalation_rules trg_90_updated_at; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER trg_90_updated_at BEFORE UPDATE ON public.escalation_rules FOR EACH ROW EXECUTE FUNCTION private.set_updated_at();

--
-- Name: notification_settings trg_90_updated_at; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER trg_90_updated_at BEFORE UPDATE ON public.notification_settings FOR EACH ROW EXECUTE FUNCTION private.set_updated_at();

--
-- Name: notifications trg_90_updated_at; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER trg_90_updated_at BEFORE UPDATE ON public.notifications FOR EACH ROW EXECUTE FUNCTION private.set_updated_at();

--
-- Name: part_transactions trg_90_updated_at; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER trg_90_updated_at BEFORE UPDATE ON public.part_transactions FOR EACH ROW EXECUTE FUNCTION private.set_updated_at();

--
-- Name: parts trg_90_updated_at; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER trg_90_updated_at BEFORE UPDATE ON public.parts FOR EACH ROW EXECUTE FUNCTION private.set_updated_at();

--
-- Name: pm_schedules trg_90_updated_at; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER trg_90_updated_at BEFORE UPDATE ON public.pm_schedules FOR EACH ROW EXECUTE FUNCTION private.set_updated_at();

--
-- Name: pm_template_checklist trg_90_updated_at; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER trg_90_updated_at BEFORE UPDATE ON public.pm_template_checklist FOR EACH ROW EXECUTE FUNCTION private.set_updated_at();

--
-- Name: pm_templates trg_90_updated_at; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER trg_90_updated_at BEFORE UPDATE ON public.pm_templates FOR EACH ROW EXECUTE FUNCTION private.set_updated_at();

--
-- Name: profiles trg_90_updated_at; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER trg_90_updated_at BEFORE UPDATE ON public.profiles FOR EACH ROW EXECUTE FUNCTION private.set_updated_at();

--
-- Name: system_settings trg_90_updated_at; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER trg_90_updated_at BEFORE UPDATE ON public.system_settings FOR EACH ROW EXECUTE FUNCTION private.set_updated_at();

--
-- Name: user_warehouse_access trg_90_updated_at; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER trg_90_updated_at BEFORE UPDATE ON public.user_warehouse_access FOR EACH ROW EXECUTE FUNCTION private.set_updated_at();

--
-- Name: vendors trg_90_updated_at; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER trg_90_updated_at BEFORE UPDATE ON public.vendors FOR EACH ROW EXECUTE FUNCTION private.set_updated_at();

--
-- Name: warehouses trg_90_updated_at; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER trg_90_updated_at BEFORE UPDATE ON public.warehouses FOR EACH ROW EXECUTE FUNCTION private.set_updated_at();

--
-- Name: wo_attachments trg_90_updated_at; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER trg_90_updated_at BEFORE UPDATE ON public.wo_attachments FOR EACH ROW EXECUTE FUNCTION private.set_updated_at();

--
-- Name: wo_checklist_items trg_90_updated_at; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER trg_90_updated_at BEFORE UPDATE ON public.wo_checklist_items FOR EACH ROW EXECUTE FUNCTION private.set_updated_at();

--
-- Name: wo_parts_used trg_90_updated_at; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER trg_90_updated_at BEFORE UPDATE ON public.wo_parts_used FOR EACH ROW EXECUTE FUNCTION private.set_updated_at();

--
-- Name: wo_time_logs trg_90_updated_at; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER trg_90_updated_at BEFORE UPDATE ON public.wo_time_logs FOR EACH ROW EXECUTE FUNCTION private.set_updated_at();

--
-- Name: work_orders trg_90_updated_at; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER trg_90_updated_at BEFORE UPDATE ON public.work_orders FOR EACH ROW EXECUTE FUNCTION private.set_updated_at();

--
-- Name: contractors trg_99_audit; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER trg_99_audit AFTER INSERT OR DELETE OR UPDATE ON public.contractors FOR EACH ROW EXECUTE FUNCTION private.audit_row();

--
-- Name: equipment trg_99_audit; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER trg_99_audit AFTER INSERT OR DELETE OR UPDATE ON public.equipment FOR EACH ROW EXECUTE FUNCTION private.audit_row();

--
-- Name: equipment_maintenance_history trg_99_audit; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER trg_99_audit AFTER INSERT OR DELETE OR UPDATE ON public.equipment_maintenance_history FOR EACH ROW EXECUTE FUNCTION private.audit_row();

--
-- Name: escalation_rules trg_99_audit; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER trg_99_audit AFTER INSERT OR DELETE OR UPDATE ON public.escalation_rules FOR EACH ROW EXECUTE FUNCTION private.audit_row();

--
-- Name: notification_settings trg_99_audit; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER trg_99_audit AFTER INSERT OR DELETE OR UPDATE ON public.notification_settings FOR EACH ROW EXECUTE FUNCTION private.audit_row();

--
-- Name: notifications trg_99_audit; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER trg_99_audit AFTER INSERT OR DELETE OR UPDATE ON public.notifications FOR EACH ROW EXECUTE FUNCTION private.audit_row();

--
-- Name: part_transactions trg_99_audit; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER trg_99_audit AFTER INSERT OR DELETE OR UPDATE ON public.part_transactions FOR EACH ROW EXECUTE FUNCTION private.audit_row();

--
-- Name: parts trg_99_audit; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER trg_99_audit AFTER INSERT OR DELETE OR UPDATE ON public.parts FOR EACH ROW EXECUTE FUNCTION private.audit_row();

--
-- Name: pm_schedules trg_99_audit; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER trg_99_audit AFTER INSERT OR DELETE OR UPDATE ON public.pm_schedules FOR EACH ROW EXECUTE FUNCTION private.audit_row();

--
-- Name: pm_template_checklist trg_99_audit; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER trg_99_audit AFTER INSERT OR DELETE OR UPDATE ON public.pm_template_checklist FOR EACH ROW EXECUTE FUNCTION private.audit_row();

--
-- Name: pm_templates trg_99_audit; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER trg_99_audit AFTER INSERT OR DELETE OR UPDATE ON public.pm_templates FOR EACH ROW EXECUTE FUNCTION private.audit_row();

--
-- Name: profiles trg_99_audit; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER trg_99_audit AFTER INSERT OR DELETE OR UPDATE ON public.profiles FOR EACH ROW EXECUTE FUNCTION private.audit_row();

--
-- Name: system_settings trg_99_audit; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER trg_99_audit AFTER INSERT OR DELETE OR UPDATE ON public.system_settings FOR EACH ROW EXECUTE FUNCTION private.audit_row();

--
-- Name: user_warehouse_access trg_99_audit; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER trg_99_audit AFTER INSERT OR DELETE OR UPDATE ON public.user_warehouse_access FOR EACH ROW EXECUTE FUNCTION private.audit_row();

--
-- Name: vendors trg_99_audit; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER trg_99_audit AFTER INSERT OR DELETE OR UPDATE ON public.vendors FOR EACH ROW EXECUTE FUNCTION private.audit_row();

--
-- Name: warehouses trg_99_audit; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER trg_99_audit AFTER INSERT OR DELETE OR UPDATE ON public.warehouses FOR EACH ROW EXECUTE FUNCTION private.audit_row();

--
-- Name: wo_attachments trg_99_audit; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER trg_99_audit AFTER INSERT OR DELETE OR UPDATE ON public.wo_attachments FOR EACH ROW EXECUTE FUNCTION private.audit_row();

--
-- Name: wo_checklist_items trg_99_audit; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER trg_99_audit AFTER INSERT OR DELETE OR UPDATE ON public.wo_checklist_items FOR EACH ROW EXECUTE FUNCTION private.audit_row();

--
-- Name: wo_parts_used trg_99_audit; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER trg_99_audit AFTER INSERT OR DELETE OR UPDATE ON public.wo_parts_used FOR EACH ROW EXECUTE FUNCTION private.audit_row();

--
-- Name: wo_time_logs trg_99_audit; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER trg_99_audit AFTER INSERT OR DELETE OR UPDATE ON public.wo_time_logs FOR EACH ROW EXECUTE FUNCTION private.audit_row();

--
-- Name: work_orders trg_99_audit; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER trg_99_audit AFTER INSERT OR DELETE OR UPDATE ON public.work_orders FOR EACH ROW EXECUTE FUNCTION private.audit_row();

--
-- Name: contractors contractors_warehouse_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.contractors
    ADD CONSTRAINT contractors_warehouse_id_fkey FOREIGN KEY (warehouse_id) REFERENCES public.warehouses(id);

--
-- Name: contractors contractors_warehouse_id_profile_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.contractors
    ADD CONSTRAINT contractors_warehouse_id_profile_id_fkey FOREIGN KEY (warehouse_id, profile_id) REFERENCES public.profiles(warehouse_id, id) ON DELETE SET NULL (profile_id);

--
-- Name: contractors contractors_warehouse_id_vendor_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.contractors
    ADD CONSTRAINT contractors_warehouse_id_vendor_id_fkey FOREIGN KEY (warehouse_id, vendor_id) REFERENCES public.vendors(warehouse_id, id) ON DELETE SET NULL (vendor_id);

--
-- Name: equipment_maintenance_history equipment_maintenance_history_performed_by_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.equipment_maintenance_history
    ADD CONSTRAINT equipment_maintenance_history_performed_by_fkey FOREIGN KEY (performed_by) REFERENCES public.profiles(id) ON DELETE SET NULL;

--
-- Name: equipment_maintenance_history equipment_maintenance_history_warehouse_id_equipment_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.equipment_maintenance_history
    ADD CONSTRAINT equipment_maintenance_history_warehouse_id_equipment_id_fkey FOREIGN KEY (warehouse_id, equipment_id) REFERENCES public.equipment(warehouse_id, id) ON DELETE CASCADE;

--
-- Name: equipment_maintenance_history equipment_maintenance_history_warehouse_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.equipment_maintenance_history
    ADD CONSTRAINT equipment_maintenance_history_warehouse_id_fkey FOREIGN KEY (warehouse_id) REFERENCES public.warehouses(id);

--
-- Name: equipment_maintenance_history equipment_maintenance_history_warehouse_id_work_order_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.equipment_maintenance_history
    ADD CONSTRAINT equipment_maintenance_history_warehouse_id_work_order_id_fkey FOREIGN KEY (warehouse_id, work_order_id) REFERENCES public.work_orders(warehouse_id, id) ON DELETE SET NULL (work_order_id);

--
-- Name: equipment equipment_warehouse_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.equipment
    ADD CONSTRAINT equipment_warehouse_id_fkey FOREIGN KEY (warehouse_id) REFERENCES public.warehouses(id);

--
-- Name: equipment equipment_warehouse_id_parent_equipment_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.equipment
    ADD CONSTRAINT equipment_warehouse_id_parent_equipment_id_fkey FOREIGN KEY (warehouse_id, parent_equipment_id) REFERENCES public.equipment(warehouse_id, id) ON DELETE SET NULL (parent_equipment_id);

--
-- Name: escalation_rules escalation_rules_warehouse_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.escalation_rules
    ADD CONSTRAINT escalation_rules_warehouse_id_fkey FOREIGN KEY (warehouse_id) REFERENCES public.warehouses(id);

--
-- Name: notification_settings notification_settings_user_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.notification_settings
    ADD CONSTRAINT notification_settings_user_id_fkey FOREIGN KEY (user_id) REFERENCES public.profiles(id) ON DELETE CASCADE;

--
-- Name: notification_settings notification_settings_warehouse_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.notification_settings
    ADD CONSTRAINT notification_settings_warehouse_id_fkey FOREIGN KEY (warehouse_id) REFERENCES public.warehouses(id);

--
-- Name: notifications notifications_user_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.notifications
    ADD CONSTRAINT notifications_user_id_fkey FOREIGN KEY (user_id) REFERENCES public.profiles(id) ON DELETE CASCADE;

--
-- Name: notifications notifications_warehouse_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.notifications
    ADD CONSTRAINT notifications_warehouse_id_fkey FOREIGN KEY (warehouse_id) REFERENCES public.warehouses(id);

--
-- Name: notifications notifications_warehouse_id_work_order_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.notifications
    ADD CONSTRAINT notifications_warehouse_id_work_order_id_fkey FOREIGN KEY (warehouse_id, work_order_id) REFERENCES public.work_orders(warehouse_id, id) ON DELETE CASCADE;

--
-- Name: part_transactions part_transactions_performed_by_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.part_transactions
    ADD CONSTRAINT part_transactions_performed_by_fkey FOREIGN KEY (performed_by) REFERENCES public.profiles(id) ON DELETE SET NULL;

--
-- Name: part_transactions part_transactions_warehouse_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.part_transactions
    ADD CONSTRAINT part_transactions_warehouse_id_fkey FOREIGN KEY (warehouse_id) REFERENCES public.warehouses(id);

--
-- Name: part_transactions part_transactions_warehouse_id_part_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.part_transactions
    ADD CONSTRAINT part_transactions_warehouse_id_part_id_fkey FOREIGN KEY (warehouse_id, part_id) REFERENCES public.parts(warehouse_id, id);

--
-- Name: part_transactions part_transactions_warehouse_id_work_order_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.part_transactions
    ADD CONSTRAINT part_transactions_warehouse_id_work_order_id_fkey FOREIGN KEY (warehouse_id, work_order_id) REFERENCES public.work_orders(warehouse_id, id);

--
-- Name: parts parts_warehouse_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.parts
    ADD CONSTRAINT parts_warehouse_id_fkey FOREIGN KEY (warehouse_id) REFERENCES public.warehouses(id);

--
-- Name: parts parts_warehouse_id_vendor_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.parts
    ADD CONSTRAINT parts_warehouse_id_vendor_id_fkey FOREIGN KEY (warehouse_id, vendor_id) REFERENCES public.vendors(warehouse_id, id) ON DELETE SET NULL (vendor_id);

--
-- Name: pm_schedules pm_schedules_warehouse_id_equipment_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.pm_schedules
    ADD CONSTRAINT pm_schedules_warehouse_id_equipment_id_fkey FOREIGN KEY (warehouse_id, equipment_id) REFERENCES public.equipment(warehouse_id, id) ON DELETE CASCADE;

--
-- Name: pm_schedules pm_schedules_warehouse_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.pm_schedules
    ADD CONSTRAINT pm_schedules_warehouse_id_fkey FOREIGN KEY (warehouse_id) REFERENCES public.warehouses(id);

--
-- Name: pm_schedules pm_schedules_warehouse_id_template_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.pm_schedules
    ADD CONSTRAINT pm_schedules_warehouse_id_template_id_fkey FOREIGN KEY (warehouse_id, template_id) REFERENCES public.pm_templates(warehouse_id, id) ON DELETE CASCADE;

--
-- Name: pm_template_checklist pm_template_checklist_warehouse_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.pm_template_checklist
    ADD CONSTRAINT pm_template_checklist_warehouse_id_fkey FOREIGN KEY (warehouse_id) REFERENCES public.warehouses(id);

--
-- Name: pm_template_checklist pm_template_checklist_warehouse_id_template_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.pm_template_checklist
    ADD CONSTRAINT pm_template_checklist_warehouse_id_template_id_fkey FOREIGN KEY (warehouse_id, template_id) REFERENCES public.pm_templates(warehouse_id, id) ON DELETE CASCADE;

--
-- Name: pm_templates pm_templates_warehouse_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.pm_templates
    ADD CONSTRAINT pm_templates_warehouse_id_fkey FOREIGN KEY (warehouse_id) REFERENCES public.warehouses(id);

--
-- Name: profiles profiles_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.profiles
    ADD CONSTRAINT profiles_id_fkey FOREIGN KEY (id) REFERENCES auth.users(id) ON DELETE CASCADE;

--
-- Name: profiles profiles_warehouse_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.profiles
    ADD CONSTRAINT profiles_warehouse_id_fkey FOREIGN KEY (warehouse_id) REFERENCES public.warehouses(id);

--
-- Name: system_settings system_settings_warehouse_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.system_settings
    ADD CONSTRAINT system_settings_warehouse_id_fkey FOREIGN KEY (warehouse_id) REFERENCES public.warehouses(id);

--
-- Name: user_warehouse_access user_warehouse_access_granted_by_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.user_warehouse_access
    ADD CONSTRAINT user_warehouse_access_granted_by_fkey FOREIGN KEY (granted_by) REFERENCES public.profiles(id) ON DELETE SET NULL;

--
-- Name: user_warehouse_access user_warehouse_access_user_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.user_warehouse_access
    ADD CONSTRAINT user_warehouse_access_user_id_fkey FOREIGN KEY (user_id) REFERENCES public.profiles(id) ON DELETE CASCADE;

--
-- Name: user_warehouse_access user_warehouse_access_warehouse_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.user_warehouse_access
    ADD CONSTRAINT user_warehouse_access_warehouse_id_fkey FOREIGN KEY (warehouse_id) REFERENCES public.warehouses(id) ON DELETE CASCADE;

--
-- Name: vendors vendors_warehouse_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.vendors
    ADD CONSTRAINT vendors_warehouse_id_fkey FOREIGN KEY (warehouse_id) REFERENCES public.warehouses(id);

--
-- Name: wo_attachments wo_attachments_uploaded_by_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.wo_attachments
    ADD CONSTRAINT wo_attachments_uploaded_by_fkey FOREIGN KEY (uploaded_by) REFERENCES public.profiles(id) ON DELETE SET NULL;

--
-- Name: wo_attachments wo_attachments_warehouse_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.wo_attachments
    ADD CONSTRAINT wo_attachments_warehouse_id_fkey FOREIGN KEY (warehouse_id) REFERENCES public.warehouses(id);

--
-- Name: wo_attachments wo_attachments_warehouse_id_work_order_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.wo_attachments
    ADD CONSTRAINT wo_attachments_warehouse_id_work_order_id_fkey FOREIGN KEY (warehouse_id, work_order_id) REFERENCES public.work_orders(warehouse_id, id) ON DELETE CASCADE;

--
-- Name: wo_checklist_items wo_checklist_items_completed_by_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.wo_checklist_items
    ADD CONSTRAINT wo_checklist_items_completed_by_fkey FOREIGN KEY (completed_by) REFERENCES public.profiles(id) ON DELETE SET NULL;

--
-- Name: wo_checklist_items wo_checklist_items_warehouse_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.wo_checklist_items
    ADD CONSTRAINT wo_checklist_items_warehouse_id_fkey FOREIGN KEY (warehouse_id) REFERENCES public.warehouses(id);

--
-- Name: wo_checklist_items wo_checklist_items_warehouse_id_work_order_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.wo_checklist_items
    ADD CONSTRAINT wo_checklist_items_warehouse_id_work_order_id_fkey FOREIGN KEY (warehouse_id, work_order_id) REFERENCES public.work_orders(warehouse_id, id) ON DELETE CASCADE;

--
-- Name: wo_parts_used wo_parts_used_recorded_by_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.wo_parts_used
    ADD CONSTRAINT wo_parts_used_recorded_by_fkey FOREIGN KEY (recorded_by) REFERENCES public.profiles(id) ON DELETE SET NULL;

--
-- Name: wo_parts_used wo_parts_used_warehouse_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.wo_parts_used
    ADD CONSTRAINT wo_parts_used_warehouse_id_fkey FOREIGN KEY (warehouse_id) REFERENCES public.warehouses(id);

--
-- Name: wo_parts_used wo_parts_used_warehouse_id_part_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.wo_parts_used
    ADD CONSTRAINT wo_parts_used_warehouse_id_part_id_fkey FOREIGN KEY (warehouse_id, part_id) REFERENCES public.parts(warehouse_id, id);

--
-- Name: wo_parts_used wo_parts_used_warehouse_id_work_order_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.wo_parts_used
    ADD CONSTRAINT wo_parts_used_warehouse_id_work_order_id_fkey FOREIGN KEY (warehouse_id, work_order_id) REFERENCES public.work_orders(warehouse_id, id) ON DELETE CASCADE;

--
-- Name: wo_time_logs wo_time_logs_user_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.wo_time_logs
    ADD CONSTRAINT wo_time_logs_user_id_fkey FOREIGN KEY (user_id) REFERENCES public.profiles(id);

--
-- Name: wo_time_logs wo_time_logs_warehouse_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.wo_time_logs
    ADD CONSTRAINT wo_time_logs_warehouse_id_fkey FOREIGN KEY (warehouse_id) REFERENCES public.warehouses(id);

--
-- Name: wo_time_logs wo_time_logs_warehouse_id_work_order_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.wo_time_logs
    ADD CONSTRAINT wo_time_logs_warehouse_id_work_order_id_fkey FOREIGN KEY (warehouse_id, work_order_id) REFERENCES public.work_orders(warehouse_id, id) ON DELETE CASCADE;

--
-- Name: work_orders work_orders_requested_by_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.work_orders
    ADD CONSTRAINT work_orders_requested_by_fkey FOREIGN KEY (requested_by) REFERENCES public.profiles(id) ON DELETE SET NULL;

--
-- Name: work_orders work_orders_verified_by_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.work_orders
    ADD CONSTRAINT work_orders_verified_by_fkey FOREIGN KEY (verified_by) REFERENCES public.profiles(id) ON DELETE SET NULL;

--
-- Name: work_orders work_orders_warehouse_id_equipment_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.work_orders
    ADD CONSTRAINT work_orders_warehouse_id_equipment_id_fkey FOREIGN KEY (warehouse_id, equipment_id) REFERENCES public.equipment(warehouse_id, id) ON DELETE SET NULL (equipment_id);

--
-- Name: work_orders work_orders_warehouse_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.work_orders
    ADD CONSTRAINT work_orders_warehouse_id_fkey FOREIGN KEY (warehouse_id) REFERENCES public.warehouses(id);

--
-- Name: work_orders work_orders_warehouse_id_follow_up_of_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.work_orders
    ADD CONSTRAINT work_orders_warehouse_id_follow_up_of_fkey FOREIGN KEY (warehouse_id, follow_up_of) REFERENCES public.work_orders(warehouse_id, id) ON DELETE SET NULL (follow_up_of);

--
-- Name: work_orders work_orders_warehouse_id_pm_schedule_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.work_orders
    ADD CONSTRAINT work_orders_warehouse_id_pm_schedule_id_fkey FOREIGN KEY (warehouse_id, pm_schedule_id) REFERENCES public.pm_schedules(warehouse_id, id) ON DELETE SET NULL (pm_schedule_id);

--
-- Name: objects objects_bucket_id_fkey; Type: FK CONSTRAINT; Schema: storage; Owner: -
--

ALTER TABLE ONLY storage.objects
    ADD CONSTRAINT objects_bucket_id_fkey FOREIGN KEY (bucket_id) REFERENCES storage.buckets(id);

--
-- Name: system_logs_default; Type: ROW SECURITY; Schema: private; Owner: -
--

ALTER TABLE private.system_logs_default ENABLE ROW LEVEL SECURITY;

--
-- Name: system_logs_y2024m01; Type: ROW SECURITY; Schema: private; Owner: -
--

ALTER TABLE private.system_logs_y2024m01 ENABLE ROW LEVEL SECURITY;

--
-- Name: system_logs_y2024m02; Type: ROW SECURITY; Schema: private; Owner: -
--

ALTER TABLE private.system_logs_y2024m02 ENABLE ROW LEVEL SECURITY;

--
-- Name: system_logs_y2024m03; Type: ROW SECURITY; Schema: private; Owner: -
--

ALTER TABLE private.system_logs_y2024m03 ENABLE ROW LEVEL SECURITY;

--
-- Name: system_logs_y2024m04; Type: ROW SECURITY; Schema: private; Owner: -
--

ALTER TABLE private.system_logs_y2024m04 ENABLE ROW LEVEL SECURITY;

--
-- Name: system_logs_y2024m05; Type: ROW SECURITY; Schema: private; Owner: -
--

ALTER TABLE private.system_logs_y2024m05 ENABLE ROW LEVEL SECURITY;

--
-- Name: system_logs_y2024m06; Type: ROW SECURITY; Schema: private; Owner: -
--

ALTER TABLE private.system_logs_y2024m06 ENABLE ROW LEVEL SECURITY;

--
-- Name: system_logs_y2024m07; Type: ROW SECURITY; Schema: private; Owner: -
--

ALTER TABLE private.system_logs_y2024m07 ENABLE ROW LEVEL SECURITY;

--
-- Name: system_logs_y2024m08; Type: ROW SECURITY; Schema: private; Owner: -
--

ALTER TABLE private.system_logs_y2024m08 ENABLE ROW LEVEL SECURITY;

--
-- Name: system_logs_y2024m09; Type: ROW SECURITY; Schema: private; Owner: -
--

ALTER TABLE private.system_logs_y2024m09 ENABLE ROW LEVEL SECURITY;

--
-- Name: system_logs_y2024m10; Type: ROW SECURITY; Schema: private; Owner: -
--

ALTER TABLE private.system_logs_y2024m10 ENABLE ROW LEVEL SECURITY;

--
-- Name: system_logs_y2024m11; Type: ROW SECURITY; Schema: private; Owner: -
--

ALTER TABLE private.system_logs_y2024m11 ENABLE ROW LEVEL SECURITY;

--
-- Name: system_logs_y2024m12; Type: ROW SECURITY; Schema: private; Owner: -
--

ALTER TABLE private.system_logs_y2024m12 ENABLE ROW LEVEL SECURITY;

--
-- Name: system_logs_y2025m01; Type: ROW SECURITY; Schema: private; Owner: -
--

ALTER TABLE private.system_logs_y2025m01 ENABLE ROW LEVEL SECURITY;

--
-- Name: system_logs_y2025m02; Type: ROW SECURITY; Schema: private; Owner: -
--

ALTER TABLE private.system_logs_y2025m02 ENABLE ROW LEVEL SECURITY;

--
-- Name: system_logs_y2025m03; Type: ROW SECURITY; Schema: private; Owner: -
--

ALTER TABLE private.system_logs_y2025m03 ENABLE ROW LEVEL SECURITY;

--
-- Name: system_logs_y2025m04; Type: ROW SECURITY; Schema: private; Owner: -
--

ALTER TABLE private.system_logs_y2025m04 ENABLE ROW LEVEL SECURITY;

--
-- Name: system_logs_y2025m05; Type: ROW SECURITY; Schema: private; Owner: -
--

ALTER TABLE private.system_logs_y2025m05 ENABLE ROW LEVEL SECURITY;

--
-- Name: system_logs_y2025m06; Type: ROW SECURITY; Schema: private; Owner: -
--

ALTER TABLE private.system_logs_y2025m06 ENABLE ROW LEVEL SECURITY;

--
-- Name: system_logs_y2025m07; Type: ROW SECURITY; Schema: private; Owner: -
--

ALTER TABLE private.system_logs_y2025m07 ENABLE ROW LEVEL SECURITY;

--
-- Name: system_logs_y2025m08; Type: ROW SECURITY; Schema: private; Owner: -
--

ALTER TABLE private.system_logs_y2025m08 ENABLE ROW LEVEL SECURITY;

--
-- Name: system_logs_y2025m09; Type: ROW SECURITY; Schema: private; Owner: -
--

ALTER TABLE private.system_logs_y2025m09 ENABLE ROW LEVEL SECURITY;

--
-- Name: system_logs_y2025m10; Type: ROW SECURITY; Schema: private; Owner: -
--

ALTER TABLE private.system_logs_y2025m10 ENABLE ROW LEVEL SECURITY;

--
-- Name: system_logs_y2025m11; Type: ROW SECURITY; Schema: private; Owner: -
--

ALTER TABLE private.system_logs_y2025m11 ENABLE ROW LEVEL SECURITY;

--
-- Name: system_logs_y2025m12; Type: ROW SECURITY; Schema: private; Owner: -
--

ALTER TABLE private.system_logs_y2025m12 ENABLE ROW LEVEL SECURITY;

--
-- Name: system_logs_y2026m01; Type: ROW SECURITY; Schema: private; Owner: -
--

ALTER TABLE private.system_logs_y2026m01 ENABLE ROW LEVEL SECURITY;

--
-- Name: system_logs_y2026m02; Type: ROW SECURITY; Schema: private; Owner: -
--

ALTER TABLE private.system_logs_y2026m02 ENABLE ROW LEVEL SECURITY;

--
-- Name: system_logs_y2026m03; Type: ROW SECURITY; Schema: private; Owner: -
--

ALTER TABLE private.system_logs_y2026m03 ENABLE ROW LEVEL SECURITY;

--
-- Name: system_logs_y2026m04; Type: ROW SECURITY; Schema: private; Owner: -
--

ALTER TABLE private.system_logs_y2026m04 ENABLE ROW LEVEL SECURITY;

--
-- Name: system_logs_y2026m05; Type: ROW SECURITY; Schema: private; Owner: -
--

ALTER TABLE private.system_logs_y2026m05 ENABLE ROW LEVEL SECURITY;

--
-- Name: system_logs_y2026m06; Type: ROW SECURITY; Schema: private; Owner: -
--

ALTER TABLE private.system_logs_y2026m06 ENABLE ROW LEVEL SECURITY;

--
-- Name: system_logs_y2026m07; Type: ROW SECURITY; Schema: private; Owner: -
--

ALTER TABLE private.system_logs_y2026m07 ENABLE ROW LEVEL SECURITY;

--
-- Name: system_logs_y2026m08; Type: ROW SECURITY; Schema: private; Owner: -
--

ALTER TABLE private.system_logs_y2026m08 ENABLE ROW LEVEL SECURITY;

--
-- Name: system_logs_y2026m09; Type: ROW SECURITY; Schema: private; Owner: -
--

ALTER TABLE private.system_logs_y2026m09 ENABLE ROW LEVEL SECURITY;

--
-- Name: system_logs_y2026m10; Type: ROW SECURITY; Schema: private; Owner: -
--

ALTER TABLE private.system_logs_y2026m10 ENABLE ROW LEVEL SECURITY;

--
-- Name: system_logs_y2026m11; Type: ROW SECURITY; Schema: private; Owner: -
--

ALTER TABLE private.system_logs_y2026m11 ENABLE ROW LEVEL SECURITY;

--
-- Name: system_logs_y2026m12; Type: ROW SECURITY; Schema: private; Owner: -
--

ALTER TABLE private.system_logs_y2026m12 ENABLE ROW LEVEL SECURITY;

--
-- Name: system_logs_y2027m01; Type: ROW SECURITY; Schema: private; Owner: -
--

ALTER TABLE private.system_logs_y2027m01 ENABLE ROW LEVEL SECURITY;

--
-- Name: system_logs_y2027m02; Type: ROW SECURITY; Schema: private; Owner: -
--

ALTER TABLE private.system_logs_y2027m02 ENABLE ROW LEVEL SECURITY;

--
-- Name: contractors; Type: ROW SECURITY; Schema: public; Owner: -
--

ALTER TABLE public.contractors ENABLE ROW LEVEL SECURITY;

--
-- Name: contractors contractors_delete; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY contractors_delete ON public.contractors FOR DELETE TO authenticated USING (((warehouse_id = ANY (( SELECT private.warehouse_scope() AS warehouse_scope)::uuid[])) AND (( SELECT private."current_role"() AS "current_role") = ANY (ARRAY['admin'::public.app_role, 'manager'::public.app_role]))));

--
-- Name: contractors contractors_insert; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY contractors_insert ON public.contractors FOR INSERT TO authenticated WITH CHECK (((warehouse_id = ANY (( SELECT private.warehouse_scope() AS warehouse_scope)::uuid[])) AND (( SELECT private."current_role"() AS "current_role") = ANY (ARRAY['admin'::public.app_role, 'manager'::public.app_role]))));

--
-- Name: contractors contractors_select; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY contractors_select ON public.contractors FOR SELECT TO authenticated USING (((warehouse_id = ANY (( SELECT private.warehouse_scope() AS warehouse_scope)::uuid[])) AND ((( SELECT private."current_role"() AS "current_role") = ANY (ARRAY['admin'::public.app_role, 'manager'::public.app_role, 'supervisor'::public.app_role])) OR ((( SELECT private."current_role"() AS "current_role") = 'contractor'::public.app_role) AND (profile_id = ( SELECT auth.uid() AS uid))))));

--
-- Name: contractors contractors_update; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY contractors_update ON public.contractors FOR UPDATE TO authenticated USING (((warehouse_id = ANY (( SELECT private.warehouse_scope() AS warehouse_scope)::uuid[])) AND (( SELECT private."current_role"() AS "current_role") = ANY (ARRAY['admin'::public.app_role, 'manager'::public.app_role])))) WITH CHECK (((warehouse_id = ANY (( SELECT private.warehouse_scope() AS warehouse_scope)::uuid[])) AND (( SELECT private."current_role"() AS "current_role") = ANY (ARRAY['admin'::public.app_role, 'manager'::public.app_role]))));

--
-- Name: equipment_maintenance_history emh_delete; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY emh_delete ON public.equipment_maintenance_history FOR DELETE TO authenticated USING (((warehouse_id = ANY (( SELECT private.warehouse_scope() AS warehouse_scope)::uuid[])) AND (( SELECT private."current_role"() AS "current_role") = ANY (ARRAY['admin'::public.app_role, 'manager'::public.app_role]))));

--
-- Name: equipment_maintenance_history emh_insert; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY emh_insert ON public.equipment_maintenance_history FOR INSERT TO authenticated WITH CHECK (((warehouse_id = ANY (( SELECT private.warehouse_scope() AS warehouse_scope)::uuid[])) AND (( SELECT private."current_role"() AS "current_role") = ANY (ARRAY['admin'::public.app_role, 'manager'::public.app_role, 'supervisor'::public.app_role]))));

--
-- Name: equipment_maintenance_history emh_select; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY emh_select ON public.equipment_maintenance_history FOR SELECT TO authenticated USING (((warehouse_id = ANY (( SELECT private.warehouse_scope() AS warehouse_scope)::uuid[])) AND ((( SELECT private."current_role"() AS "current_role") = ANY (ARRAY['admin'::public.app_role, 'manager'::public.app_role, 'supervisor'::public.app_role, 'technician'::public.app_role, 'inventory_clerk'::public.app_role, 'requester'::public.app_role])) OR ((( SELECT private."current_role"() AS "current_role") = 'contractor'::public.app_role) AND (equipment_id = ANY (( SELECT private.contractor_equipment_ids() AS contractor_equipment_ids)::uuid[]))))));

--
-- Name: equipment_maintenance_history emh_update; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY emh_update ON public.equipment_maintenance_history FOR UPDATE TO authenticated USING (((warehouse_id = ANY (( SELECT private.warehouse_scope() AS warehouse_scope)::uuid[])) AND (( SELECT private."current_role"() AS "current_role") = ANY (ARRAY['admin'::public.app_role, 'manager'::public.app_role, 'supervisor'::public.app_role])))) WITH CHECK (((warehouse_id = ANY (( SELECT private.warehouse_scope() AS warehouse_scope)::uuid[])) AND (( SELECT private."current_role"() AS "current_role") = ANY (ARRAY['admin'::public.app_role, 'manager'::public.app_role, 'supervisor'::public.app_role]))));

--
-- Name: equipment; Type: ROW SECURITY; Schema: public; Owner: -
--

ALTER TABLE public.equipment ENABLE ROW LEVEL SECURITY;

--
-- Name: equipment equipment_delete; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY equipment_delete ON public.equipment FOR DELETE TO authenticated USING (((warehouse_id = ANY (( SELECT private.warehouse_scope() AS warehouse_scope)::uuid[])) AND (( SELECT private."current_role"() AS "current_role") = ANY (ARRAY['admin'::public.app_role, 'manager'::public.app_role]))));

--
-- Name: equipment equipment_insert; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY equipment_insert ON public.equipment FOR INSERT TO authenticated WITH CHECK (((warehouse_id = ANY (( SELECT private.warehouse_scope() AS warehouse_scope)::uuid[])) AND (( SELECT private."current_role"() AS "current_role") = ANY (ARRAY['admin'::public.app_role, 'manager'::public.app_role, 'supervisor'::public.app_role]))));

--
-- Name: equipment_maintenance_history; Type: ROW SECURITY; Schema: public; Owner: -
--

ALTER TABLE public.equipment_maintenance_history ENABLE ROW LEVEL SECURITY;

--
-- Name: equipment equipment_select; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY equipment_select ON public.equipment FOR SELECT TO authenticated USING (((warehouse_id = ANY (( SELECT private.warehouse_scope() AS warehouse_scope)::uuid[])) AND ((( SELECT private."current_role"() AS "current_role") = ANY (ARRAY['admin'::public.app_role, 'manager'::public.app_role, 'supervisor'::public.app_role, 'technician'::public.app_role, 'inventory_clerk'::public.app_role, 'requester'::public.app_role])) OR ((( SELECT private."current_role"() AS "current_role") = 'contractor'::public.app_role) AND (id = ANY (( SELECT private.contractor_equipment_ids() AS contractor_equipment_ids)::uuid[]))))));

--
-- Name: equipment equipment_update; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY equipment_update ON public.equipment FOR UPDATE TO authenticated USING (((warehouse_id = ANY (( SELECT private.warehouse_scope() AS warehouse_scope)::uuid[])) AND (( SELECT private."current_role"() AS "current_role") = ANY (ARRAY['admin'::public.app_role, 'manager'::public.app_role, 'supervisor'::public.app_role])))) WITH CHECK (((warehouse_id = ANY (( SELECT private.warehouse_scope() AS warehouse_scope)::uuid[])) AND (( SELECT private."current_role"() AS "current_role") = ANY (ARRAY['admin'::public.app_role, 'manager'::public.app_role, 'supervisor'::public.app_role]))));

--
-- Name: escalation_rules; Type: ROW SECURITY; Schema: public; Owner: -
--

ALTER TABLE public.escalation_rules ENABLE ROW LEVEL SECURITY;

--
-- Name: escalation_rules escalation_rules_delete; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY escalation_rules_delete ON public.escalation_rules FOR DELETE TO authenticated USING (((warehouse_id = ANY (( SELECT private.warehouse_scope() AS warehouse_scope)::uuid[])) AND (( SELECT private."current_role"() AS "current_role") = ANY (ARRAY['admin'::public.app_role, 'manager'::public.app_role]))));

--
-- Name: escalation_rules escalation_rules_insert; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY escalation_rules_insert ON public.escalation_rules FOR INSERT TO authenticated WITH CHECK (((warehouse_id = ANY (( SELECT private.warehouse_scope() AS warehouse_scope)::uuid[])) AND (( SELECT private."current_role"() AS "current_role") = ANY (ARRAY['admin'::public.app_role, 'manager'::public.app_role]))));

--
-- Name: escalation_rules escalation_rules_select; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY escalation_rules_select ON public.escalation_rules FOR SELECT TO authenticated USING (((warehouse_id = ANY (( SELECT private.warehouse_scope() AS warehouse_scope)::uuid[])) AND (( SELECT private."current_role"() AS "current_role") = ANY (ARRAY['admin'::public.app_role, 'manager'::public.app_role, 'supervisor'::public.app_role]))));

--
-- Name: escalation_rules escalation_rules_update; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY escalation_rules_update ON public.escalation_rules FOR UPDATE TO authenticated USING (((warehouse_id = ANY (( SELECT private.warehouse_scope() AS warehouse_scope)::uuid[])) AND (( SELECT private."current_role"() AS "current_role") = ANY (ARRAY['admin'::public.app_role, 'manager'::public.app_role])))) WITH CHECK (((warehouse_id = ANY (( SELECT private.warehouse_scope() AS warehouse_scope)::uuid[])) AND (( SELECT private."current_role"() AS "current_role") = ANY (ARRAY['admin'::public.app_role, 'manager'::public.app_role]))));

--
-- Name: notification_settings; Type: ROW SECURITY; Schema: public; Owner: -
--

ALTER TABLE public.notification_settings ENABLE ROW LEVEL SECURITY;

--
-- Name: notification_settings notification_settings_delete; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY notification_settings_delete ON public.notification_settings FOR DELETE TO authenticated USING (((user_id = ( SELECT auth.uid() AS uid)) AND (warehouse_id = ANY (( SELECT private.warehouse_scope() AS warehouse_scope)::uuid[]))));

--
-- Name: notification_settings notification_settings_insert; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY notification_settings_insert ON public.notification_settings FOR INSERT TO authenticated WITH CHECK (((user_id = ( SELECT auth.uid() AS uid)) AND (warehouse_id = ANY (( SELECT private.warehouse_scope() AS warehouse_scope)::uuid[]))));

--
-- Name: notification_settings notification_settings_select; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY notification_settings_select ON public.notification_settings FOR SELECT TO authenticated USING (((user_id = ( SELECT auth.uid() AS uid)) AND (warehouse_id = ANY (( SELECT private.warehouse_scope() AS warehouse_scope)::uuid[]))));

--
-- Name: notification_settings notification_settings_update; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY notification_settings_update ON public.notification_settings FOR UPDATE TO authenticated USING (((user_id = ( SELECT auth.uid() AS uid)) AND (warehouse_id = ANY (( SELECT private.warehouse_scope() AS warehouse_scope)::uuid[])))) WITH CHECK (((user_id = ( SELECT auth.uid() AS uid)) AND (warehouse_id = ANY (( SELECT private.warehouse_scope() AS warehouse_scope)::uuid[]))));

--
-- Name: notifications; Type: ROW SECURITY; Schema: public; Owner: -
--

ALTER TABLE public.notifications ENABLE ROW LEVEL SECURITY;

--
-- Name: notifications notifications_delete; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY notifications_delete ON public.notifications FOR DELETE TO authenticated USING (((user_id = ( SELECT auth.uid() AS uid)) AND (warehouse_id = ANY (( SELECT private.warehouse_scope() AS warehouse_scope)::uuid[]))));

--
-- Name: notifications notifications_insert; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY notifications_insert ON public.notifications FOR INSERT TO authenticated WITH CHECK (((user_id = ( SELECT auth.uid() AS uid)) AND (warehouse_id = ANY (( SELECT private.warehouse_scope() AS warehouse_scope)::uuid[]))));

--
-- Name: notifications notifications_select; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY notifications_select ON public.notifications FOR SELECT TO authenticated USING (((user_id = ( SELECT auth.uid() AS uid)) AND (warehouse_id = ANY (( SELECT private.warehouse_scope() AS warehouse_scope)::uuid[]))));

--
-- Name: notifications notifications_update; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY notifications_update ON public.notifications FOR UPDATE TO authenticated USING (((user_id = ( SELECT auth.uid() AS uid)) AND (warehouse_id = ANY (( SELECT private.warehouse_scope() AS warehouse_scope)::uuid[])))) WITH CHECK (((user_id = ( SELECT auth.uid() AS uid)) AND (warehouse_id = ANY (( SELECT private.warehouse_scope() AS warehouse_scope)::uuid[]))));

--
-- Name: part_transactions; Type: ROW SECURITY; Schema: public; Owner: -
--

ALTER TABLE public.part_transactions ENABLE ROW LEVEL SECURITY;

--
-- Name: part_transactions part_transactions_insert; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY part_transactions_insert ON public.part_transactions FOR INSERT TO authenticated WITH CHECK (((warehouse_id = ANY (( SELECT private.warehouse_scope() AS warehouse_scope)::uuid[])) AND (( SELECT private."current_role"() AS "current_role") = ANY (ARRAY['manager'::public.app_role, 'inventory_clerk'::public.app_role]))));

--
-- Name: part_transactions part_transactions_select; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY part_transactions_select ON public.part_transactions FOR SELECT TO authenticated USING (((warehouse_id = ANY (( SELECT private.warehouse_scope() AS warehouse_scope)::uuid[])) AND (( SELECT private."current_role"() AS "current_role") = ANY (ARRAY['admin'::public.app_role, 'manager'::public.app_role, 'supervisor'::public.app_role, 'inventory_clerk'::public.app_role]))));

--
-- Name: parts; Type: ROW SECURITY; Schema: public; Owner: -
--

ALTER TABLE public.parts ENABLE ROW LEVEL SECURITY;

--
-- Name: parts parts_delete; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY parts_delete ON public.parts FOR DELETE TO authenticated USING (((warehouse_id = ANY (( SELECT private.warehouse_scope() AS warehouse_scope)::uuid[])) AND (( SELECT private."current_role"() AS "current_role") = ANY (ARRAY['admin'::public.app_role, 'manager'::public.app_role, 'inventory_clerk'::public.app_role]))));

--
-- Name: parts parts_insert; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY parts_insert ON public.parts FOR INSERT TO authenticated WITH CHECK (((warehouse_id = ANY (( SELECT private.warehouse_scope() AS warehouse_scope)::uuid[])) AND (( SELECT private."current_role"() AS "current_role") = ANY (ARRAY['admin'::public.app_role, 'manager'::public.app_role, 'inventory_clerk'::public.app_role]))));

--
-- Name: parts parts_select; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY parts_select ON public.parts FOR SELECT TO authenticated USING (((warehouse_id = ANY (( SELECT private.warehouse_scope() AS warehouse_scope)::uuid[])) AND (( SELECT private."current_role"() AS "current_role") = ANY (ARRAY['admin'::public.app_role, 'manager'::public.app_role, 'inventory_clerk'::public.app_role, 'supervisor'::public.app_role, 'technician'::public.app_role]))));

--
-- Name: parts parts_update; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY parts_update ON public.parts FOR UPDATE TO authenticated USING (((warehouse_id = ANY (( SELECT private.warehouse_scope() AS warehouse_scope)::uuid[])) AND (( SELECT private."current_role"() AS "current_role") = ANY (ARRAY['admin'::public.app_role, 'manager'::public.app_role, 'inventory_clerk'::public.app_role])))) WITH CHECK (((warehouse_id = ANY (( SELECT private.warehouse_scope() AS warehouse_scope)::uuid[])) AND (( SELECT private."current_role"() AS "current_role") = ANY (ARRAY['admin'::public.app_role, 'manager'::public.app_role, 'inventory_clerk'::public.app_role]))));

--
-- Name: pm_schedules; Type: ROW SECURITY; Schema: public; Owner: -
--

ALTER TABLE public.pm_schedules ENABLE ROW LEVEL SECURITY;

--
-- Name: pm_schedules pm_schedules_delete; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY pm_schedules_delete ON public.pm_schedules FOR DELETE TO authenticated USING (((warehouse_id = ANY (( SELECT private.warehouse_scope() AS warehouse_scope)::uuid[])) AND (( SELECT private."current_role"() AS "current_role") = ANY (ARRAY['admin'::public.app_role, 'manager'::public.app_role]))));

--
-- Name: pm_schedules pm_schedules_insert; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY pm_schedules_insert ON public.pm_schedules FOR INSERT TO authenticated WITH CHECK (((warehouse_id = ANY (( SELECT private.warehouse_scope() AS warehouse_scope)::uuid[])) AND (( SELECT private."current_role"() AS "current_role") = ANY (ARRAY['admin'::public.app_role, 'manager'::public.app_role, 'supervisor'::public.app_role]))));

--
-- Name: pm_schedules pm_schedules_select; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY pm_schedules_select ON public.pm_schedules FOR SELECT TO authenticated USING (((warehouse_id = ANY (( SELECT private.warehouse_scope() AS warehouse_scope)::uuid[])) AND (( SELECT private."current_role"() AS "current_role") = ANY (ARRAY['admin'::public.app_role, 'manager'::public.app_role, 'supervisor'::public.app_role, 'technician'::public.app_role]))));

--
-- Name: pm_schedules pm_schedules_update; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY pm_schedules_update ON public.pm_schedules FOR UPDATE TO authenticated USING (((warehouse_id = ANY (( SELECT private.warehouse_scope() AS warehouse_scope)::uuid[])) AND (( SELECT private."current_role"() AS "current_role") = ANY (ARRAY['admin'::public.app_role, 'manager'::public.app_role, 'supervisor'::public.app_role])))) WITH CHECK (((warehouse_id = ANY (( SELECT private.warehouse_scope() AS warehouse_scope)::uuid[])) AND (( SELECT private."current_role"() AS "current_role") = ANY (ARRAY['admin'::public.app_role, 'manager'::public.app_role, 'supervisor'::public.app_role]))));

--
-- Name: pm_template_checklist; Type: ROW SECURITY; Schema: public; Owner: -
--

ALTER TABLE public.pm_template_checklist ENABLE ROW LEVEL SECURITY;

--
-- Name: pm_template_checklist pm_template_checklist_delete; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY pm_template_checklist_delete ON public.pm_template_checklist FOR DELETE TO authenticated USING (((warehouse_id = ANY (( SELECT private.warehouse_scope() AS warehouse_scope)::uuid[])) AND (( SELECT private."current_role"() AS "current_role") = ANY (ARRAY['admin'::public.app_role, 'manager'::public.app_role]))));

--
-- Name: pm_template_checklist pm_template_checklist_insert; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY pm_template_checklist_insert ON public.pm_template_checklist FOR INSERT TO authenticated WITH CHECK (((warehouse_id = ANY (( SELECT private.warehouse_scope() AS warehouse_scope)::uuid[])) AND (( SELECT private."current_role"() AS "current_role") = ANY (ARRAY['admin'::public.app_role, 'manager'::public.app_role, 'supervisor'::public.app_role]))));

--
-- Name: pm_template_checklist pm_template_checklist_select; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY pm_template_checklist_select ON public.pm_template_checklist FOR SELECT TO authenticated USING (((warehouse_id = ANY (( SELECT private.warehouse_scope() AS warehouse_scope)::uuid[])) AND (( SELECT private."current_role"() AS "current_role") = ANY (ARRAY['admin'::public.app_role, 'manager'::public.app_role, 'supervisor'::public.app_role, 'technician'::public.app_role]))));

--
-- Name: pm_template_checklist pm_template_checklist_update; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY pm_template_checklist_update ON public.pm_template_checklist FOR UPDATE TO authenticated USING (((warehouse_id = ANY (( SELECT private.warehouse_scope() AS warehouse_scope)::uuid[])) AND (( SELECT private."current_role"() AS "current_role") = ANY (ARRAY['admin'::public.app_role, 'manager'::public.app_role, 'supervisor'::public.app_role])))) WITH CHECK (((warehouse_id = ANY (( SELECT private.warehouse_scope() AS warehouse_scope)::uuid[])) AND (( SELECT private."current_role"() AS "current_role") = ANY (ARRAY['admin'::public.app_role, 'manager'::public.app_role, 'supervisor'::public.app_role]))));

--
-- Name: pm_templates; Type: ROW SECURITY; Schema: public; Owner: -
--

ALTER TABLE public.pm_templates ENABLE ROW LEVEL SECURITY;

--
-- Name: pm_templates pm_templates_delete; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY pm_templates_delete ON public.pm_templates FOR DELETE TO authenticated USING (((warehouse_id = ANY (( SELECT private.warehouse_scope() AS warehouse_scope)::uuid[])) AND (( SELECT private."current_role"() AS "current_role") = ANY (ARRAY['admin'::public.app_role, 'manager'::public.app_role]))));

--
-- Name: pm_templates pm_templates_insert; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY pm_templates_insert ON public.pm_templates FOR INSERT TO authenticated WITH CHECK (((warehouse_id = ANY (( SELECT private.warehouse_scope() AS warehouse_scope)::uuid[])) AND (( SELECT private."current_role"() AS "current_role") = ANY (ARRAY['admin'::public.app_role, 'manager'::public.app_role, 'supervisor'::public.app_role]))));

--
-- Name: pm_templates pm_templates_select; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY pm_templates_select ON public.pm_templates FOR SELECT TO authenticated USING (((warehouse_id = ANY (( SELECT private.warehouse_scope() AS warehouse_scope)::uuid[])) AND (( SELECT private."current_role"() AS "current_role") = ANY (ARRAY['admin'::public.app_role, 'manager'::public.app_role, 'supervisor'::public.app_role, 'technician'::public.app_role]))));

--
-- Name: pm_templates pm_templates_update; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY pm_templates_update ON public.pm_templates FOR UPDATE TO authenticated USING (((warehouse_id = ANY (( SELECT private.warehouse_scope() AS warehouse_scope)::uuid[])) AND (( SELECT private."current_role"() AS "current_role") = ANY (ARRAY['admin'::public.app_role, 'manager'::public.app_role, 'supervisor'::public.app_role])))) WITH CHECK (((warehouse_id = ANY (( SELECT private.warehouse_scope() AS warehouse_scope)::uuid[])) AND (( SELECT private."current_role"() AS "current_role") = ANY (ARRAY['admin'::public.app_role, 'manager'::public.app_role, 'supervisor'::public.app_role]))));

--
-- Name: profiles; Type: ROW SECURITY; Schema: public; Owner: -
--

ALTER TABLE public.profiles ENABLE ROW LEVEL SECURITY;

--
-- Name: profiles profiles_delete; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY profiles_delete ON public.profiles FOR DELETE TO authenticated USING (((( SELECT private."current_role"() AS "current_role") = 'admin'::public.app_role) AND (warehouse_id = ANY (( SELECT private.warehouse_scope() AS warehouse_scope)::uuid[]))));

--
-- Name: profiles profiles_insert; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY profiles_insert ON public.profiles FOR INSERT TO authenticated WITH CHECK (((warehouse_id = ANY (( SELECT private.warehouse_scope() AS warehouse_scope)::uuid[])) AND ((( SELECT private."current_role"() AS "current_role") = 'admin'::public.app_role) OR ((( SELECT private."current_role"() AS "current_role") = 'manager'::public.app_role) AND (role <> 'admin'::public.app_role)))));

--
-- Name: profiles profiles_select; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY profiles_select ON public.profiles FOR SELECT TO authenticated USING (((warehouse_id = ANY (( SELECT private.warehouse_scope() AS warehouse_scope)::uuid[])) AND ((( SELECT private."current_role"() AS "current_role") = ANY (ARRAY['admin'::public.app_role, 'manager'::public.app_role, 'supervisor'::public.app_role, 'technician'::public.app_role, 'inventory_clerk'::public.app_role])) OR ((( SELECT private."current_role"() AS "current_role") = ANY (ARRAY['contractor'::public.app_role, 'requester'::public.app_role])) AND (id = ( SELECT auth.uid() AS uid))))));

--
-- Name: profiles profiles_update; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY profiles_update ON public.profiles FOR UPDATE TO authenticated USING (((warehouse_id = ANY (( SELECT private.warehouse_scope() AS warehouse_scope)::uuid[])) AND ((( SELECT private."current_role"() AS "current_role") = 'admin'::public.app_role) OR ((( SELECT private."current_role"() AS "current_role") = 'manager'::public.app_role) AND (role <> 'admin'::public.app_role))))) WITH CHECK (((warehouse_id = ANY (( SELECT private.warehouse_scope() AS warehouse_scope)::uuid[])) AND ((( SELECT private."current_role"() AS "current_role") = 'admin'::public.app_role) OR ((( SELECT private."current_role"() AS "current_role") = 'manager'::public.app_role) AND (role <> 'admin'::public.app_role)))));

--
-- Name: system_logs; Type: ROW SECURITY; Schema: public; Owner: -
--

ALTER TABLE public.system_logs ENABLE ROW LEVEL SECURITY;

--
-- Name: system_logs system_logs_select; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY system_logs_select ON public.system_logs FOR SELECT TO authenticated USING (((warehouse_id = ANY (( SELECT private.warehouse_scope() AS warehouse_scope)::uuid[])) AND (( SELECT private."current_role"() AS "current_role") = ANY (ARRAY['admin'::public.app_role, 'manager'::public.app_role]))));

--
-- Name: system_settings; Type: ROW SECURITY; Schema: public; Owner: -
--

ALTER TABLE public.system_settings ENABLE ROW LEVEL SECURITY;

--
-- Name: system_settings system_settings_insert; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY system_settings_insert ON public.system_settings FOR INSERT TO authenticated WITH CHECK (((warehouse_id = ANY (( SELECT private.warehouse_scope() AS warehouse_scope)::uuid[])) AND (( SELECT private."current_role"() AS "current_role") = 'admin'::public.app_role)));

--
-- Name: system_settings system_settings_select; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY system_settings_select ON public.system_settings FOR SELECT TO authenticated USING (((warehouse_id = ANY (( SELECT private.warehouse_scope() AS warehouse_scope)::uuid[])) AND (( SELECT private."current_role"() AS "current_role") = ANY (ARRAY['admin'::public.app_role, 'manager'::public.app_role, 'supervisor'::public.app_role, 'technician'::public.app_role, 'inventory_clerk'::public.app_role]))));

--
-- Name: system_settings system_settings_update; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY system_settings_update ON public.system_settings FOR UPDATE TO authenticated USING (((warehouse_id = ANY (( SELECT private.warehouse_scope() AS warehouse_scope)::uuid[])) AND ((( SELECT private."current_role"() AS "current_role") = 'admin'::public.app_role) OR ((( SELECT private."current_role"() AS "current_role") = 'manager'::public.app_role) AND ('manager'::public.app_role = ANY (editable_by_role)))))) WITH CHECK (((warehouse_id = ANY (( SELECT private.warehouse_scope() AS warehouse_scope)::uuid[])) AND ((( SELECT private."current_role"() AS "current_role") = 'admin'::public.app_role) OR ((( SELECT private."current_role"() AS "current_role") = 'manager'::public.app_role) AND ('manager'::public.app_role = ANY (editable_by_role))))));

--
-- Name: user_warehouse_access; Type: ROW SECURITY; Schema: public; Owner: -
--

ALTER TABLE public.user_warehouse_access ENABLE ROW LEVEL SECURITY;

--
-- Name: user_warehouse_access uwa_delete; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY uwa_delete ON public.user_warehouse_access FOR DELETE TO authenticated USING (((( SELECT private."current_role"() AS "current_role") = 'admin'::public.app_role) AND (warehouse_id = ANY (( SELECT private.warehouse_scope() AS warehouse_scope)::uuid[]))));

--
-- Name: user_warehouse_access uwa_insert; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY uwa_insert ON public.user_warehouse_access FOR INSERT TO authenticated WITH CHECK (((( SELECT private."current_role"() AS "current_role") = 'admin'::public.app_role) AND (warehouse_id = ANY (( SELECT private.warehouse_scope() AS warehouse_scope)::uuid[]))));

--
-- Name: user_warehouse_access uwa_select; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY uwa_select ON public.user_warehouse_access FOR SELECT TO authenticated USING (((warehouse_id = ANY (( SELECT private.warehouse_scope() AS warehouse_scope)::uuid[])) AND ((( SELECT private."current_role"() AS "current_role") = 'admin'::public.app_role) OR ((( SELECT private."current_role"() AS "current_role") = 'manager'::public.app_role) AND (user_id = ( SELECT auth.uid() AS uid))))));

--
-- Name: user_warehouse_access uwa_update; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY uwa_update ON public.user_warehouse_access FOR UPDATE TO authenticated USING (((( SELECT private."current_role"() AS "current_role") = 'admin'::public.app_role) AND (warehouse_id = ANY (( SELECT private.warehouse_scope() AS warehouse_scope)::uuid[])))) WITH CHECK (((( SELECT private."current_role"() AS "current_role") = 'admin'::public.app_role) AND (warehouse_id = ANY (( SELECT private.warehouse_scope() AS warehouse_scope)::uuid[]))));

--
-- Name: vendors; Type: ROW SECURITY; Schema: public; Owner: -
--

ALTER TABLE public.vendors ENABLE ROW LEVEL SECURITY;

--
-- Name: vendors vendors_delete; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY vendors_delete ON public.vendors FOR DELETE TO authenticated USING (((warehouse_id = ANY (( SELECT private.warehouse_scope() AS warehouse_scope)::uuid[])) AND (( SELECT private."current_role"() AS "current_role") = ANY (ARRAY['admin'::public.app_role, 'manager'::public.app_role]))));

--
-- Name: vendors vendors_insert; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY vendors_insert ON public.vendors FOR INSERT TO authenticated WITH CHECK (((warehouse_id = ANY (( SELECT private.warehouse_scope() AS warehouse_scope)::uuid[])) AND (( SELECT private."current_role"() AS "current_role") = ANY (ARRAY['admin'::public.app_role, 'manager'::public.app_role, 'inventory_clerk'::public.app_role]))));

--
-- Name: vendors vendors_select; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY vendors_select ON public.vendors FOR SELECT TO authenticated USING (((warehouse_id = ANY (( SELECT private.warehouse_scope() AS warehouse_scope)::uuid[])) AND (( SELECT private."current_role"() AS "current_role") = ANY (ARRAY['admin'::public.app_role, 'manager'::public.app_role, 'supervisor'::public.app_role, 'inventory_clerk'::public.app_role]))));

--
-- Name: vendors vendors_update; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY vendors_update ON public.vendors FOR UPDATE TO authenticated USING (((warehouse_id = ANY (( SELECT private.warehouse_scope() AS warehouse_scope)::uuid[])) AND (( SELECT private."current_role"() AS "current_role") = ANY (ARRAY['admin'::public.app_role, 'manager'::public.app_role, 'inventory_clerk'::public.app_role])))) WITH CHECK (((warehouse_id = ANY (( SELECT private.warehouse_scope() AS warehouse_scope)::uuid[])) AND (( SELECT private."current_role"() AS "current_role") = ANY (ARRAY['admin'::public.app_role, 'manager'::public.app_role, 'inventory_clerk'::public.app_role]))));

--
-- Name: warehouses; Type: ROW SECURITY; Schema: public; Owner: -
--

ALTER TABLE public.warehouses ENABLE ROW LEVEL SECURITY;

--
-- Name: warehouses warehouses_delete; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY warehouses_delete ON public.warehouses FOR DELETE TO authenticated USING (((( SELECT private."current_role"() AS "current_role") = 'admin'::public.app_role) AND (id = ANY (( SELECT private.warehouse_scope() AS warehouse_scope)::uuid[]))));

--
-- Name: warehouses warehouses_insert; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY warehouses_insert ON public.warehouses FOR INSERT TO authenticated WITH CHECK ((( SELECT private."current_role"() AS "current_role") = 'admin'::public.app_role));

--
-- Name: warehouses warehouses_select; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY warehouses_select ON public.warehouses FOR SELECT TO authenticated USING ((id = ANY (( SELECT private.warehouse_scope() AS warehouse_scope)::uuid[])));

--
-- Name: warehouses warehouses_update; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY warehouses_update ON public.warehouses FOR UPDATE TO authenticated USING (((( SELECT private."current_role"() AS "current_role") = 'admin'::public.app_role) AND (id = ANY (( SELECT private.warehouse_scope() AS warehouse_scope)::uuid[])))) WITH CHECK ((( SELECT private."current_role"() AS "current_role") = 'admin'::public.app_role));

--
-- Name: wo_attachments; Type: ROW SECURITY; Schema: public; Owner: -
--

ALTER TABLE public.wo_attachments ENABLE ROW LEVEL SECURITY;

--
-- Name: wo_attachments wo_attachments_delete; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY wo_attachments_delete ON public.wo_attachments FOR DELETE TO authenticated USING (((warehouse_id = ANY (( SELECT private.warehouse_scope() AS warehouse_scope)::uuid[])) AND (( SELECT private."current_role"() AS "current_role") = ANY (ARRAY['admin'::public.app_role, 'manager'::public.app_role]))));

--
-- Name: wo_attachments wo_attachments_insert; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY wo_attachments_insert ON public.wo_attachments FOR INSERT TO authenticated WITH CHECK (((warehouse_id = ANY (( SELECT private.warehouse_scope() AS warehouse_scope)::uuid[])) AND ((( SELECT private."current_role"() AS "current_role") = ANY (ARRAY['admin'::public.app_role, 'manager'::public.app_role, 'supervisor'::public.app_role])) OR ((( SELECT private."current_role"() AS "current_role") = ANY (ARRAY['technician'::public.app_role, 'contractor'::public.app_role])) AND (work_order_id = ANY (( SELECT private.assigned_wo_ids() AS assigned_wo_ids)::uuid[]))))));

--
-- Name: wo_attachments wo_attachments_select; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY wo_attachments_select ON public.wo_attachments FOR SELECT TO authenticated USING (((warehouse_id = ANY (( SELECT private.warehouse_scope() AS warehouse_scope)::uuid[])) AND ((( SELECT private."current_role"() AS "current_role") = ANY (ARRAY['admin'::public.app_role, 'manager'::public.app_role, 'supervisor'::public.app_role, 'inventory_clerk'::public.app_role])) OR (work_order_id = ANY (( SELECT private.readable_wo_ids() AS readable_wo_ids)::uuid[])))));

--
-- Name: wo_attachments wo_attachments_update; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY wo_attachments_update ON public.wo_attachments FOR UPDATE TO authenticated USING (((warehouse_id = ANY (( SELECT private.warehouse_scope() AS warehouse_scope)::uuid[])) AND ((( SELECT private."current_role"() AS "current_role") = ANY (ARRAY['admin'::public.app_role, 'manager'::public.app_role, 'supervisor'::public.app_role])) OR ((( SELECT private."current_role"() AS "current_role") = ANY (ARRAY['technician'::public.app_role, 'contractor'::public.app_role])) AND (work_order_id = ANY (( SELECT private.assigned_wo_ids() AS assigned_wo_ids)::uuid[])))))) WITH CHECK (((warehouse_id = ANY (( SELECT private.warehouse_scope() AS warehouse_scope)::uuid[])) AND ((( SELECT private."current_role"() AS "current_role") = ANY (ARRAY['admin'::public.app_role, 'manager'::public.app_role, 'supervisor'::public.app_role])) OR ((( SELECT private."current_role"() AS "current_role") = ANY (ARRAY['technician'::public.app_role, 'contractor'::public.app_role])) AND (work_order_id = ANY (( SELECT private.assigned_wo_ids() AS assigned_wo_ids)::uuid[]))))));

--
-- Name: wo_checklist_items; Type: ROW SECURITY; Schema: public; Owner: -
--

ALTER TABLE public.wo_checklist_items ENABLE ROW LEVEL SECURITY;

--
-- Name: wo_checklist_items wo_checklist_items_delete; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY wo_checklist_items_delete ON public.wo_checklist_items FOR DELETE TO authenticated USING (((warehouse_id = ANY (( SELECT private.warehouse_scope() AS warehouse_scope)::uuid[])) AND (( SELECT private."current_role"() AS "current_role") = ANY (ARRAY['admin'::public.app_role, 'manager'::public.app_role]))));

--
-- Name: wo_checklist_items wo_checklist_items_insert; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY wo_checklist_items_insert ON public.wo_checklist_items FOR INSERT TO authenticated WITH CHECK (((warehouse_id = ANY (( SELECT private.warehouse_scope() AS warehouse_scope)::uuid[])) AND ((( SELECT private."current_role"() AS "current_role") = ANY (ARRAY['admin'::public.app_role, 'manager'::public.app_role, 'supervisor'::public.app_role])) OR ((( SELECT private."current_role"() AS "current_role") = ANY (ARRAY['technician'::public.app_role, 'contractor'::public.app_role])) AND (work_order_id = ANY (( SELECT private.assigned_wo_ids() AS assigned_wo_ids)::uuid[]))))));

--
-- Name: wo_checklist_items wo_checklist_items_select; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY wo_checklist_items_select ON public.wo_checklist_items FOR SELECT TO authenticated USING (((warehouse_id = ANY (( SELECT private.warehouse_scope() AS warehouse_scope)::uuid[])) AND ((( SELECT private."current_role"() AS "current_role") = ANY (ARRAY['admin'::public.app_role, 'manager'::public.app_role, 'supervisor'::public.app_role, 'inventory_clerk'::public.app_role])) OR (work_order_id = ANY (( SELECT private.readable_wo_ids() AS readable_wo_ids)::uuid[])))));

--
-- Name: wo_checklist_items wo_checklist_items_update; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY wo_checklist_items_update ON public.wo_checklist_items FOR UPDATE TO authenticated USING (((warehouse_id = ANY (( SELECT private.warehouse_scope() AS warehouse_scope)::uuid[])) AND ((( SELECT private."current_role"() AS "current_role") = ANY (ARRAY['admin'::public.app_role, 'manager'::public.app_role, 'supervisor'::public.app_role])) OR ((( SELECT private."current_role"() AS "current_role") = ANY (ARRAY['technician'::public.app_role, 'contractor'::public.app_role])) AND (work_order_id = ANY (( SELECT private.assigned_wo_ids() AS assigned_wo_ids)::uuid[])))))) WITH CHECK (((warehouse_id = ANY (( SELECT private.warehouse_scope() AS warehouse_scope)::uuid[])) AND ((( SELECT private."current_role"() AS "current_role") = ANY (ARRAY['admin'::public.app_role, 'manager'::public.app_role, 'supervisor'::public.app_role])) OR ((( SELECT private."current_role"() AS "current_role") = ANY (ARRAY['technician'::public.app_role, 'contractor'::public.app_role])) AND (work_order_id = ANY (( SELECT private.assigned_wo_ids() AS assigned_wo_ids)::uuid[]))))));

--
-- Name: wo_parts_used; Type: ROW SECURITY; Schema: public; Owner: -
--

ALTER TABLE public.wo_parts_used ENABLE ROW LEVEL SECURITY;

--
-- Name: wo_parts_used wo_parts_used_delete; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY wo_parts_used_delete ON public.wo_parts_used FOR DELETE TO authenticated USING (((warehouse_id = ANY (( SELECT private.warehouse_scope() AS warehouse_scope)::uuid[])) AND (( SELECT private."current_role"() AS "current_role") = ANY (ARRAY['admin'::public.app_role, 'manager'::public.app_role]))));

--
-- Name: wo_parts_used wo_parts_used_insert; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY wo_parts_used_insert ON public.wo_parts_used FOR INSERT TO authenticated WITH CHECK (((warehouse_id = ANY (( SELECT private.warehouse_scope() AS warehouse_scope)::uuid[])) AND ((( SELECT private."current_role"() AS "current_role") = ANY (ARRAY['admin'::public.app_role, 'manager'::public.app_role, 'supervisor'::public.app_role])) OR ((( SELECT private."current_role"() AS "current_role") = ANY (ARRAY['technician'::public.app_role, 'contractor'::public.app_role])) AND (work_order_id = ANY (( SELECT private.assigned_wo_ids() AS assigned_wo_ids)::uuid[]))))));

--
-- Name: wo_parts_used wo_parts_used_select; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY wo_parts_used_select ON public.wo_parts_used FOR SELECT TO authenticated USING (((warehouse_id = ANY (( SELECT private.warehouse_scope() AS warehouse_scope)::uuid[])) AND ((( SELECT private."current_role"() AS "current_role") = ANY (ARRAY['admin'::public.app_role, 'manager'::public.app_role, 'supervisor'::public.app_role, 'inventory_clerk'::public.app_role])) OR (work_order_id = ANY (( SELECT private.readable_wo_ids() AS readable_wo_ids)::uuid[])))));

--
-- Name: wo_parts_used wo_parts_used_update; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY wo_parts_used_update ON public.wo_parts_used FOR UPDATE TO authenticated USING (((warehouse_id = ANY (( SELECT private.warehouse_scope() AS warehouse_scope)::uuid[])) AND ((( SELECT private."current_role"() AS "current_role") = ANY (ARRAY['admin'::public.app_role, 'manager'::public.app_role, 'supervisor'::public.app_role])) OR ((( SELECT private."current_role"() AS "current_role") = ANY (ARRAY['technician'::public.app_role, 'contractor'::public.app_role])) AND (work_order_id = ANY (( SELECT private.assigned_wo_ids() AS assigned_wo_ids)::uuid[])))))) WITH CHECK (((warehouse_id = ANY (( SELECT private.warehouse_scope() AS warehouse_scope)::uuid[])) AND ((( SELECT private."current_role"() AS "current_role") = ANY (ARRAY['admin'::public.app_role, 'manager'::public.app_role, 'supervisor'::public.app_role])) OR ((( SELECT private."current_role"() AS "current_role") = ANY (ARRAY['technician'::public.app_role, 'contractor'::public.app_role])) AND (work_order_id = ANY (( SELECT private.assigned_wo_ids() AS assigned_wo_ids)::uuid[]))))));

--
-- Name: wo_time_logs; Type: ROW SECURITY; Schema: public; Owner: -
--

ALTER TABLE public.wo_time_logs ENABLE ROW LEVEL SECURITY;

--
-- Name: wo_time_logs wo_time_logs_delete; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY wo_time_logs_delete ON public.wo_time_logs FOR DELETE TO authenticated USING (((warehouse_id = ANY (( SELECT private.warehouse_scope() AS warehouse_scope)::uuid[])) AND (( SELECT private."current_role"() AS "current_role") = ANY (ARRAY['admin'::public.app_role, 'manager'::public.app_role]))));

--
-- Name: wo_time_logs wo_time_logs_insert; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY wo_time_logs_insert ON public.wo_time_logs FOR INSERT TO authenticated WITH CHECK (((warehouse_id = ANY (( SELECT private.warehouse_scope() AS warehouse_scope)::uuid[])) AND ((( SELECT private."current_role"() AS "current_role") = ANY (ARRAY['admin'::public.app_role, 'manager'::public.app_role, 'supervisor'::public.app_role])) OR ((( SELECT private."current_role"() AS "current_role") = ANY (ARRAY['technician'::public.app_role, 'contractor'::public.app_role])) AND (user_id = ( SELECT auth.uid() AS uid)) AND (work_order_id = ANY (( SELECT private.assigned_wo_ids() AS assigned_wo_ids)::uuid[]))))));

--
-- Name: wo_time_logs wo_time_logs_select; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY wo_time_logs_select ON public.wo_time_logs FOR SELECT TO authenticated USING (((warehouse_id = ANY (( SELECT private.warehouse_scope() AS warehouse_scope)::uuid[])) AND ((( SELECT private."current_role"() AS "current_role") = ANY (ARRAY['admin'::public.app_role, 'manager'::public.app_role, 'supervisor'::public.app_role, 'inventory_clerk'::public.app_role])) OR (work_order_id = ANY (( SELECT private.readable_wo_ids() AS readable_wo_ids)::uuid[])))));

--
-- Name: wo_time_logs wo_time_logs_update; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY wo_time_logs_update ON public.wo_time_logs FOR UPDATE TO authenticated USING (((warehouse_id = ANY (( SELECT private.warehouse_scope() AS warehouse_scope)::uuid[])) AND ((( SELECT private."current_role"() AS "current_role") = ANY (ARRAY['admin'::public.app_role, 'manager'::public.app_role, 'supervisor'::public.app_role])) OR ((( SELECT private."current_role"() AS "current_role") = ANY (ARRAY['technician'::public.app_role, 'contractor'::public.app_role])) AND (user_id = ( SELECT auth.uid() AS uid)) AND (work_order_id = ANY (( SELECT private.assigned_wo_ids() AS assigned_wo_ids)::uuid[])))))) WITH CHECK (((warehouse_id = ANY (( SELECT private.warehouse_scope() AS warehouse_scope)::uuid[])) AND ((( SELECT private."current_role"() AS "current_role") = ANY (ARRAY['admin'::public.app_role, 'manager'::public.app_role, 'supervisor'::public.app_role])) OR ((( SELECT private."current_role"() AS "current_role") = ANY (ARRAY['technician'::public.app_role, 'contractor'::public.app_role])) AND (user_id = ( SELECT auth.uid() AS uid)) AND (work_order_id = ANY (( SELECT private.assigned_wo_ids() AS assigned_wo_ids)::uuid[]))))));

--
-- Name: work_orders; Type: ROW SECURITY; Schema: public; Owner: -
--

ALTER TABLE public.work_orders ENABLE ROW LEVEL SECURITY;

--
-- Name: work_orders work_orders_delete; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY work_orders_delete ON public.work_orders FOR DELETE TO authenticated USING (((warehouse_id = ANY (( SELECT private.warehouse_scope() AS warehouse_scope)::uuid[])) AND (( SELECT private."current_role"() AS "current_role") = ANY (ARRAY['admin'::public.app_role, 'manager'::public.app_role]))));

--
-- Name: work_orders work_orders_insert; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY work_orders_insert ON public.work_orders FOR INSERT TO authenticated WITH CHECK (((warehouse_id = ANY (( SELECT private.warehouse_scope() AS warehouse_scope)::uuid[])) AND ((( SELECT private."current_role"() AS "current_role") = ANY (ARRAY['admin'::public.app_role, 'manager'::public.app_role, 'supervisor'::public.app_role])) OR ((( SELECT private."current_role"() AS "current_role") = ANY (ARRAY['technician'::public.app_role, 'requester'::public.app_role])) AND (status = 'requested'::public.wo_status) AND (requested_by = ( SELECT auth.uid() AS uid))))));

--
-- Name: work_orders work_orders_select; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY work_orders_select ON public.work_orders FOR SELECT TO authenticated USING (((warehouse_id = ANY (( SELECT private.warehouse_scope() AS warehouse_scope)::uuid[])) AND ((( SELECT private."current_role"() AS "current_role") = ANY (ARRAY['admin'::public.app_role, 'manager'::public.app_role, 'supervisor'::public.app_role, 'inventory_clerk'::public.app_role])) OR ((( SELECT private."current_role"() AS "current_role") = ANY (ARRAY['technician'::public.app_role, 'contractor'::public.app_role])) AND (assigned_to @> ARRAY[( SELECT auth.uid() AS uid)])) OR ((( SELECT private."current_role"() AS "current_role") = ANY (ARRAY['technician'::public.app_role, 'requester'::public.app_role])) AND (requested_by = ( SELECT auth.uid() AS uid))))));

--
-- Name: work_orders work_orders_update; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY work_orders_update ON public.work_orders FOR UPDATE TO authenticated USING (((warehouse_id = ANY (( SELECT private.warehouse_scope() AS warehouse_scope)::uuid[])) AND ((( SELECT private."current_role"() AS "current_role") = ANY (ARRAY['admin'::public.app_role, 'manager'::public.app_role, 'supervisor'::public.app_role])) OR ((( SELECT private."current_role"() AS "current_role") = ANY (ARRAY['technician'::public.app_role, 'contractor'::public.app_role])) AND (assigned_to @> ARRAY[( SELECT auth.uid() AS uid)])) OR ((( SELECT private."current_role"() AS "current_role") = ANY (ARRAY['technician'::public.app_role, 'requester'::public.app_role])) AND (requested_by = ( SELECT auth.uid() AS uid)) AND (status = 'requested'::public.wo_status))))) WITH CHECK (((warehouse_id = ANY (( SELECT private.warehouse_scope() AS warehouse_scope)::uuid[])) AND ((( SELECT private."current_role"() AS "current_role") = ANY (ARRAY['admin'::public.app_role, 'manager'::public.app_role, 'supervisor'::public.app_role])) OR ((( SELECT private."current_role"() AS "current_role") = ANY (ARRAY['technician'::public.app_role, 'contractor'::public.app_role])) AND (assigned_to @> ARRAY[( SELECT auth.uid() AS uid)])) OR ((( SELECT private."current_role"() AS "current_role") = ANY (ARRAY['technician'::public.app_role, 'requester'::public.app_role])) AND (requested_by = ( SELECT auth.uid() AS uid))))));

--
-- Name: buckets; Type: ROW SECURITY; Schema: storage; Owner: -
--

ALTER TABLE storage.buckets ENABLE ROW LEVEL SECURITY;

--
-- Name: objects; Type: ROW SECURITY; Schema: storage; Owner: -
--

ALTER TABLE storage.objects ENABLE ROW LEVEL SECURITY;

--
-- Name: objects wo_attachments_objects_delete; Type: POLICY; Schema: storage; Owner: -
--

CREATE POLICY wo_attachments_objects_delete ON storage.objects FOR DELETE TO authenticated USING (((bucket_id = 'work-order-attachments'::text) AND ( SELECT private.storage_object_access(objects.name, 'delete'::text) AS storage_object_access)));

--
-- Name: objects wo_attachments_objects_insert; Type: POLICY; Schema: storage; Owner: -
--

CREATE POLICY wo_attachments_objects_insert ON storage.objects FOR INSERT TO authenticated WITH CHECK (((bucket_id = 'work-order-attachments'::text) AND ( SELECT private.storage_object_access(objects.name, 'write'::text) AS storage_object_access)));

--
-- Name: objects wo_attachments_objects_select; Type: POLICY; Schema: storage; Owner: -
--

CREATE POLICY wo_attachments_objects_select ON storage.objects FOR SELECT TO authenticated USING (((bucket_id = 'work-order-attachments'::text) AND ( SELECT private.storage_object_access(objects.name, 'read'::text) AS storage_object_access)));

--
-- Name: objects wo_attachments_objects_update; Type: POLICY; Schema: storage; Owner: -
--

CREATE POLICY wo_attachments_objects_update ON storage.objects FOR UPDATE TO authenticated USING (((bucket_id = 'work-order-attachments'::text) AND ( SELECT private.storage_object_access(objects.name, 'write'::text) AS storage_object_access))) WITH CHECK (((bucket_id = 'work-order-attachments'::text) AND ( SELECT private.storage_object_access(objects.name, 'write'::text) AS storage_object_access)));

--
-- Name: supabase_realtime; Type: PUBLICATION; Schema: -; Owner: -
--

CREATE PUBLICATION supabase_realtime WITH (publish = 'insert, update, delete, truncate');

--
-- Name: SCHEMA auth; Type: ACL; Schema: -; Owner: -
--

GRANT USAGE ON SCHEMA auth TO anon;
GRANT USAGE ON SCHEMA auth TO authenticated;
GRANT USAGE ON SCHEMA auth TO service_role;

--
-- Name: SCHEMA extensions; Type: ACL; Schema: -; Owner: -
--

GRANT USAGE ON SCHEMA extensions TO anon;
GRANT USAGE ON SCHEMA extensions TO authenticated;
GRANT USAGE ON SCHEMA extensions TO service_role;

--
-- Name: SCHEMA private; Type: ACL; Schema: -; Owner: -
--

GRANT USAGE ON SCHEMA private TO authenticated;
GRANT USAGE ON SCHEMA private TO service_role;

--
-- Name: SCHEMA public; Type: ACL; Schema: -; Owner: -
--

GRANT USAGE ON SCHEMA public TO anon;
GRANT USAGE ON SCHEMA public TO authenticated;
GRANT USAGE ON SCHEMA public TO service_role;

--
-- Name: SCHEMA storage; Type: ACL; Schema: -; Owner: -
--

GRANT USAGE ON SCHEMA storage TO anon;
GRANT USAGE ON SCHEMA storage TO authenticated;
GRANT USAGE ON SCHEMA storage TO service_role;

--
-- Name: FUNCTION append_only_guard(); Type: ACL; Schema: private; Owner: -
--

REVOKE ALL ON FUNCTION private.append_only_guard() FROM PUBLIC;

--
-- Name: FUNCTION assigned_wo_ids(); Type: ACL; Schema: private; Owner: -
--

REVOKE ALL ON FUNCTION private.assigned_wo_ids() FROM PUBLIC;
GRANT ALL ON FUNCTION private.assigned_wo_ids() TO authenticated;
GRANT ALL ON FUNCTION private.assigned_wo_ids() TO service_role;

--
-- Name: FUNCTION attachment_check(); Type: ACL; Schema: private; Owner: -
--

REVOKE ALL ON FUNCTION private.attachment_check() FROM PUBLIC;

--
-- Name: FUNCTION attachment_class(p_mime text); Type: ACL; Schema: private; Owner: -
--

REVOKE ALL ON FUNCTION private.attachment_class(p_mime text) FROM PUBLIC;
GRANT ALL ON FUNCTION private.attachment_class(p_mime text) TO authenticated;
GRANT ALL ON FUNCTION private.attachment_class(p_mime text) TO service_role;

--
-- Name: FUNCTION audit_row(); Type: ACL; Schema: private; Owner: -
--

REVOKE ALL ON FUNCTION private.audit_row() FROM PUBLIC;

--
-- Name: FUNCTION can_work_on_wo(p_wo_id uuid); Type: ACL; Schema: private; Owner: -
--

REVOKE ALL ON FUNCTION private.can_work_on_wo(p_wo_id uuid) FROM PUBLIC;
GRANT ALL ON FUNCTION private.can_work_on_wo(p_wo_id uuid) TO authenticated;
GRANT ALL ON FUNCTION private.can_work_on_wo(p_wo_id uuid) TO service_role;

--
-- Name: FUNCTION contractor_equipment_ids(); Type: ACL; Schema: private; Owner: -
--

REVOKE ALL ON FUNCTION private.contractor_equipment_ids() FROM PUBLIC;
GRANT ALL ON FUNCTION private.contractor_equipment_ids() TO authenticated;
GRANT ALL ON FUNCTION private.contractor_equipment_ids() TO service_role;

--
-- Name: FUNCTION "current_role"(); Type: ACL; Schema: private; Owner: -
--

REVOKE ALL ON FUNCTION private."current_role"() FROM PUBLIC;
GRANT ALL ON FUNCTION private."current_role"() TO authenticated;
GRANT ALL ON FUNCTION private."current_role"() TO service_role;

--
-- Name: FUNCTION decrypt_text(cipher bytea); Type: ACL; Schema: private; Owner: -
--

REVOKE ALL ON FUNCTION private.decrypt_text(cipher bytea) FROM PUBLIC;
GRANT ALL ON FUNCTION private.decrypt_text(cipher bytea) TO service_role;

--
-- Name: FUNCTION encrypt_text(plain text); Type: ACL; Schema: private; Owner: -
--

REVOKE ALL ON FUNCTION private.encrypt_text(plain text) FROM PUBLIC;
GRANT ALL ON FUNCTION private.encrypt_text(plain text) TO service_role;

--
-- Name: FUNCTION encryption_key(); Type: ACL; Schema: private; Owner: -
--

REVOKE ALL ON FUNCTION private.encryption_key() FROM PUBLIC;
GRANT ALL ON FUNCTION private.encryption_key() TO service_role;

--
-- Name: FUNCTION ensure_system_logs_partitions(months_ahead integer); Type: ACL; Schema: private; Owner: -
--

REVOKE ALL ON FUNCTION private.ensure_system_logs_partitions(months_ahead integer) FROM PUBLIC;

--
-- Name: FUNCTION has_wo_access(p_wo_id uuid); Type: ACL; Schema: private; Owner: -
--

REVOKE ALL ON FUNCTION private.has_wo_access(p_wo_id uuid) FROM PUBLIC;
GRANT ALL ON FUNCTION private.has_wo_access(p_wo_id uuid) TO authenticated;
GRANT ALL ON FUNCTION private.has_wo_access(p_wo_id uuid) TO service_role;

--
-- Name: FUNCTION is_trusted_caller(); Type: ACL; Schema: private; Owner: -
--

REVOKE ALL ON FUNCTION private.is_trusted_caller() FROM PUBLIC;
GRANT ALL ON FUNCTION private.is_trusted_caller() TO authenticated;
GRANT ALL ON FUNCTION private.is_trusted_caller() TO service_role;

--
-- Name: FUNCTION ledger_apply(); Type: ACL; Schema: private; Owner: -
--

REVOKE ALL ON FUNCTION private.ledger_apply() FROM PUBLIC;

--
-- Name: FUNCTION parts_ledger_sync(); Type: ACL; Schema: private; Owner: -
--

REVOKE ALL ON FUNCTION private.parts_ledger_sync() FROM PUBLIC;

--
-- Name: FUNCTION profiles_guard(); Type: ACL; Schema: private; Owner: -
--

REVOKE ALL ON FUNCTION private.profiles_guard() FROM PUBLIC;

--
-- Name: FUNCTION readable_wo_ids(); Type: ACL; Schema: private; Owner: -
--

REVOKE ALL ON FUNCTION private.readable_wo_ids() FROM PUBLIC;
GRANT ALL ON FUNCTION private.readable_wo_ids() TO authenticated;
GRANT ALL ON FUNCTION private.readable_wo_ids() TO service_role;

--
-- Name: FUNCTION set_updated_at(); Type: ACL; Schema: private; Owner: -
--

REVOKE ALL ON FUNCTION private.set_updated_at() FROM PUBLIC;

--
-- Name: FUNCTION storage_object_access(p_name text, p_mode text); Type: ACL; Schema: private; Owner: -
--

REVOKE ALL ON FUNCTION private.storage_object_access(p_name text, p_mode text) FROM PUBLIC;
GRANT ALL ON FUNCTION private.storage_object_access(p_name text, p_mode text) TO authenticated;
GRANT ALL ON FUNCTION private.storage_object_access(p_name text, p_mode text) TO service_role;

--
-- Name: FUNCTION time_log_minutes(); Type: ACL; Schema: private; Owner: -
--

REVOKE ALL ON FUNCTION private.time_log_minutes() FROM PUBLIC;

--
-- Name: FUNCTION user_scope(p_user uuid); Type: ACL; Schema: private; Owner: -
--

REVOKE ALL ON FUNCTION private.user_scope(p_user uuid) FROM PUBLIC;

--
-- Name: FUNCTION uwa_check_role(); Type: ACL; Schema: private; Owner: -
--

REVOKE ALL ON FUNCTION private.uwa_check_role() FROM PUBLIC;

--
-- Name: FUNCTION warehouse_scope(); Type: ACL; Schema: private; Owner: -
--

REVOKE ALL ON FUNCTION private.warehouse_scope() FROM PUBLIC;
GRANT ALL ON FUNCTION private.warehouse_scope() TO authenticated;
GRANT ALL ON FUNCTION private.warehouse_scope() TO service_role;

--
-- Name: FUNCTION wo_assign_number(); Type: ACL; Schema: private; Owner: -
--

REVOKE ALL ON FUNCTION private.wo_assign_number() FROM PUBLIC;

--
-- Name: FUNCTION wo_check_assignees(); Type: ACL; Schema: private; Owner: -
--

REVOKE ALL ON FUNCTION private.wo_check_assignees() FROM PUBLIC;

--
-- Name: FUNCTION wo_enforce_rules(); Type: ACL; Schema: private; Owner: -
--

REVOKE ALL ON FUNCTION private.wo_enforce_rules() FROM PUBLIC;

--
-- Name: FUNCTION wo_status_machine(); Type: ACL; Schema: private; Owner: -
--

REVOKE ALL ON FUNCTION private.wo_status_machine() FROM PUBLIC;

--
-- Name: TABLE system_logs; Type: ACL; Schema: public; Owner: -
--

GRANT SELECT ON TABLE public.system_logs TO authenticated;
GRANT SELECT,INSERT ON TABLE public.system_logs TO service_role;

--
-- Name: TABLE contractors; Type: ACL; Schema: public; Owner: -
--

GRANT ALL ON TABLE public.contractors TO service_role;
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.contractors TO authenticated;

--
-- Name: TABLE equipment; Type: ACL; Schema: public; Owner: -
--

GRANT ALL ON TABLE public.equipment TO service_role;
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.equipment TO authenticated;

--
-- Name: TABLE equipment_maintenance_history; Type: ACL; Schema: public; Owner: -
--

GRANT ALL ON TABLE public.equipment_maintenance_history TO service_role;
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.equipment_maintenance_history TO authenticated;

--
-- Name: TABLE escalation_rules; Type: ACL; Schema: public; Owner: -
--

GRANT ALL ON TABLE public.escalation_rules TO service_role;
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.escalation_rules TO authenticated;

--
-- Name: TABLE notification_settings; Type: ACL; Schema: public; Owner: -
--

GRANT ALL ON TABLE public.notification_settings TO service_role;
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.notification_settings TO authenticated;

--
-- Name: TABLE notifications; Type: ACL; Schema: public; Owner: -
--

GRANT ALL ON TABLE public.notifications TO service_role;
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.notifications TO authenticated;

--
-- Name: TABLE part_transactions; Type: ACL; Schema: public; Owner: -
--

GRANT SELECT,INSERT,REFERENCES,TRIGGER ON TABLE public.part_transactions TO service_role;
GRANT SELECT,INSERT ON TABLE public.part_transactions TO authenticated;

--
-- Name: TABLE parts; Type: ACL; Schema: public; Owner: -
--

GRANT ALL ON TABLE public.parts TO service_role;
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.parts TO authenticated;

--
-- Name: TABLE pm_schedules; Type: ACL; Schema: public; Owner: -
--

GRANT ALL ON TABLE public.pm_schedules TO service_role;
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.pm_schedules TO authenticated;

--
-- Name: TABLE pm_template_checklist; Type: ACL; Schema: public; Owner: -
--

GRANT ALL ON TABLE public.pm_template_checklist TO service_role;
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.pm_template_checklist TO authenticated;

--
-- Name: TABLE pm_templates; Type: ACL; Schema: public; Owner: -
--

GRANT ALL ON TABLE public.pm_templates TO service_role;
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.pm_templates TO authenticated;

--
-- Name: TABLE profiles; Type: ACL; Schema: public; Owner: -
--

GRANT ALL ON TABLE public.profiles TO service_role;
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.profiles TO authenticated;

--
-- Name: TABLE system_settings; Type: ACL; Schema: public; Owner: -
--

GRANT ALL ON TABLE public.system_settings TO service_role;
GRANT SELECT,INSERT,UPDATE ON TABLE public.system_settings TO authenticated;

--
-- Name: TABLE user_warehouse_access; Type: ACL; Schema: public; Owner: -
--

GRANT ALL ON TABLE public.user_warehouse_access TO service_role;
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.user_warehouse_access TO authenticated;

--
-- Name: TABLE vendors; Type: ACL; Schema: public; Owner: -
--

GRANT ALL ON TABLE public.vendors TO service_role;
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.vendors TO authenticated;

--
-- Name: TABLE warehouses; Type: ACL; Schema: public; Owner: -
--

GRANT ALL ON TABLE public.warehouses TO service_role;
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.warehouses TO authenticated;

--
-- Name: TABLE wo_attachments; Type: ACL; Schema: public; Owner: -
--

GRANT ALL ON TABLE public.wo_attachments TO service_role;
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.wo_attachments TO authenticated;

--
-- Name: TABLE wo_checklist_items; Type: ACL; Schema: public; Owner: -
--

GRANT ALL ON TABLE public.wo_checklist_items TO service_role;
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.wo_checklist_items TO authenticated;

--
-- Name: TABLE wo_parts_used; Type: ACL; Schema: public; Owner: -
--

GRANT ALL ON TABLE public.wo_parts_used TO service_role;
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.wo_parts_used TO authenticated;

--
-- Name: TABLE wo_time_logs; Type: ACL; Schema: public; Owner: -
--

GRANT ALL ON TABLE public.wo_time_logs TO service_role;
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.wo_time_logs TO authenticated;

--
-- Name: TABLE work_orders; Type: ACL; Schema: public; Owner: -
--

GRANT ALL ON TABLE public.work_orders TO service_role;
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.work_orders TO authenticated;

--
-- Name: TABLE buckets; Type: ACL; Schema: storage; Owner: -
--

GRANT ALL ON TABLE storage.buckets TO anon;
GRANT ALL ON TABLE storage.buckets TO authenticated;
GRANT ALL ON TABLE storage.buckets TO service_role;

--
-- Name: TABLE objects; Type: ACL; Schema: storage; Owner: -
--

GRANT ALL ON TABLE storage.objects TO anon;
GRANT ALL ON TABLE storage.objects TO authenticated;
GRANT ALL ON TABLE storage.objects TO service_role;
