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
-- Name: pg_stat_statements; Type: EXTENSION; Schema: -; Owner: -
--

CREATE EXTENSION IF NOT EXISTS pg_stat_statements WITH SCHEMA extensions;

--
-- Name: EXTENSION pg_stat_statements; Type: COMMENT; Schema: -; Owner: -
--

COMMENT ON EXTENSION pg_stat_statements IS 'track planning and execution statistics of all SQL statements executed';

--
-- Name: pgcrypto; Type: EXTENSION; Schema: -; Owner: -
--

CREATE EXTENSION IF NOT EXISTS pgcrypto WITH SCHEMA extensions;

--
-- Name: EXTENSION pgcrypto; Type: COMMENT; Schema: -; Owner: -
--

COMMENT ON EXTENSION pgcrypto IS 'cryptographic functions';

--
-- Name: uuid-ossp; Type: EXTENSION; Schema: -; Owner: -
--

CREATE EXTENSION IF NOT EXISTS "uuid-ossp" WITH SCHEMA extensions;

--
-- Name: EXTENSION "uuid-ossp"; Type: COMMENT; Schema: -; Owner: -
--

COMMENT ON EXTENSION "uuid-ossp" IS 'generate universally unique identifiers (UUIDs)';

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
  select coalesce(
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
  select coalesce(
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
  select coalesce(
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
  select coalesce(
    nullif(current_setting('request.jwt.claim.sub', true), ''),
    (nullif(current_setting('request.jwt.claims', true), '')::jsonb ->> 'sub')
  )::uuid
$$;

--
-- Name: api_actor(); Type: FUNCTION; Schema: private; Owner: -
--

CREATE FUNCTION private.api_actor(OUT uid uuid, OUT role public.app_role, OUT trusted boolean, OUT scope uuid[]) RETURNS record
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path TO ''
    AS $$
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

--
-- Name: FUNCTION api_actor(OUT uid uuid, OUT role public.app_role, OUT trusted boolean, OUT scope uuid[]); Type: COMMENT; Schema: private; Owner: -
--

COMMENT ON FUNCTION private.api_actor(OUT uid uuid, OUT role public.app_role, OUT trusted boolean, OUT scope uuid[]) IS 'Caller of a business function: uid, app role, trusted (service_role/owner), warehouse scope. Raises 42501 for anon or users without an active profile.';

--
-- Name: append_note(text, text, text); Type: FUNCTION; Schema: private; Owner: -
--

CREATE FUNCTION private.append_note(p_notes text, p_status text, p_note text) RETURNS text
    LANGUAGE sql STABLE
    SET search_path TO ''
    AS $$
  select case when nullif(btrim(p_note), '') is null then p_notes
              else coalesce(p_notes || E'\n', '')
                   || '[' || to_char(now() at time zone 'UTC', 'YYYY-MM-DD HH24:MI') || ' UTC, '
                   || p_status || '] ' || btrim(p_note)
         end
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
-- Name: assignees_arg(uuid[]); Type: FUNCTION; Schema: private; Owner: -
--

CREATE FUNCTION private.assignees_arg(p_assignees uuid[]) RETURNS uuid[]
    LANGUAGE plpgsql IMMUTABLE
    SET search_path TO ''
    AS $$
begin
  if p_assignees is null or cardinality(p_assignees) = 0 then
    perform private.raise_invalid('assignees', 'must be a non-empty array of user ids');
  end if;
  if array_position(p_assignees, null) is not null then
    perform private.raise_invalid('assignees', 'must not contain null');
  end if;
  if cardinality(p_assignees) > 20 then
    perform private.raise_invalid('assignees', 'at most 20 assignees');
  end if;
  return array(select u from unnest(p_assignees) with ordinality as t(u, n)
               group by u order by min(n));
end
$$;

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
-- Name: bulk_receive_parts_impl(jsonb); Type: FUNCTION; Schema: private; Owner: -
--

CREATE FUNCTION private.bulk_receive_parts_impl(p_items jsonb) RETURNS integer
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO ''
    AS $$
declare
  v_a     record;
  v_elem  jsonb;
  v_idx   bigint;
  v_pid   uuid;
  v_qty   numeric;
  v_cost  numeric;
  v_items jsonb := '[]';
  v_n     integer := 0;
  v_part  public.parts;
  v_it    record;
begin
  select * into v_a from private.api_actor();
  if not v_a.trusted and v_a.role not in ('admin', 'manager', 'inventory_clerk') then
    perform private.raise_forbidden(format('a %s may not receive parts', v_a.role));
  end if;
  if p_items is null or jsonb_typeof(p_items) <> 'array' or jsonb_array_length(p_items) = 0 then
    perform private.raise_invalid('items', 'must be a non-empty JSON array of {part_id, quantity, unit_cost?, reference?, note?}');
  end if;
  if jsonb_array_length(p_items) > 1000 then
    perform private.raise_invalid('items', 'at most 1000 items per call');
  end if;
  for v_elem, v_idx in select e, n - 1 from jsonb_array_elements(p_items) with ordinality as t(e, n) loop
    if jsonb_typeof(v_elem) <> 'object' then
      perform private.raise_invalid(format('items[%s]', v_idx), 'must be an object');
    end if;
    begin
      v_pid := (v_elem ->> 'part_id')::uuid;
    exception when invalid_text_representation then
      perform private.raise_invalid(format('items[%s].part_id', v_idx), 'must be a uuid');
    end;
    if v_pid is null then
      perform private.raise_invalid(format('items[%s].part_id', v_idx), 'is required');
    end if;
    if jsonb_typeof(v_elem -> 'quantity') is distinct from 'number' then
      perform private.raise_invalid(format('items[%s].quantity', v_idx), 'must be a positive integer');
    end if;
    v_qty := (v_elem ->> 'quantity')::numeric;
    if v_qty <= 0 or v_qty <> trunc(v_qty) or v_qty > 1000000 then
      perform private.raise_invalid(format('items[%s].quantity', v_idx), 'must be a positive integer');
    end if;
    v_cost := null;
    if v_elem ? 'unit_cost' and jsonb_typeof(v_elem -> 'unit_cost') <> 'null' then
      if jsonb_typeof(v_elem -> 'unit_cost') <> 'number' or (v_elem ->> 'unit_cost')::numeric < 0 then
        perform private.raise_invalid(format('items[%s].unit_cost', v_idx), 'must be a number >= 0');
      end if;
      v_cost := (v_elem ->> 'unit_cost')::numeric;
    end if;
    if v_elem ? 'reference' and jsonb_typeof(v_elem -> 'reference') <> 'null'
       and (jsonb_typeof(v_elem -> 'reference') <> 'string' or length(v_elem ->> 'reference') not between 1 and 100) then
      perform private.raise_invalid(format('items[%s].reference', v_idx), 'must be a string of 1 to 100 characters');
    end if;
    if length(v_elem ->> 'note') > 2000 then
      perform private.raise_invalid(format('items[%s].note', v_idx), 'at most 2000 characters');
    end if;
    v_items := v_items || jsonb_build_object('i', v_idx, 'part_id', v_pid, 'q', v_qty::integer,
      'cost', v_cost, 'ref', v_elem ->> 'reference', 'note', v_elem ->> 'note');
  end loop;

  -- lock the parts in id order; every one must be reachable
  perform 1 from public.parts p
   where p.id in (select (x ->> 'part_id')::uuid from jsonb_array_elements(v_items) x)
   order by p.id for update;
  for v_it in select (x ->> 'i')::bigint as i, (x ->> 'part_id')::uuid as part_id, (x ->> 'q')::integer as q,
                     (x ->> 'cost')::numeric as cost, x ->> 'ref' as ref, x ->> 'note' as note
                from jsonb_array_elements(v_items) x order by (x ->> 'i')::bigint loop
    select * into v_part from public.parts p where p.id = v_it.part_id;
    if not found or not (v_a.trusted or v_part.warehouse_id = any (v_a.scope)) then
      perform private.raise_not_found('part', format('items[%s].part_id', v_it.i));
    end if;
    if v_it.ref is not null and exists (
         select 1 from public.part_transactions t
          where t.part_id = v_part.id and t.type = 'receipt' and t.reference = v_it.ref) then
      continue;  -- already received under this reference (retry)
    end if;
    insert into public.part_transactions (warehouse_id, part_id, type, quantity, unit_cost,
                                          performed_by, reference, note)
    values (v_part.warehouse_id, v_part.id, 'receipt', v_it.q, coalesce(v_it.cost, v_part.unit_cost),
            v_a.uid, v_it.ref, v_it.note);
    v_n := v_n + 1;
  end loop;
  return v_n;
end
$$;

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
-- Name: check_rate_limit_impl(); Type: FUNCTION; Schema: private; Owner: -
--

CREATE FUNCTION private.check_rate_limit_impl() RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO ''
    AS $$
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
-- Name: complete_work_order_impl(uuid, numeric, jsonb, text, text); Type: FUNCTION; Schema: private; Owner: -
--

CREATE FUNCTION private.complete_work_order_impl(p_wo_id uuid, p_actual_hours numeric, p_parts jsonb, p_note text, p_idempotency_key text) RETURNS public.work_orders
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO ''
    AS $$
declare
  v_a       record;
  v_wo      public.work_orders;
  v_done    private.wo_completions;
  v_elem    jsonb;
  v_idx     bigint;
  v_pid     uuid;
  v_qty     numeric;
  v_req     jsonb := '{}';   -- part_id -> {"q": quantity, "i": first index in parts}
  v_hash    text;
  v_part    record;
  v_hours   numeric;
  v_open    integer;
begin
  select * into v_a from private.api_actor();
  perform private.require_arg('wo_id', p_wo_id);
  if p_actual_hours is not null and (p_actual_hours < 0 or p_actual_hours > 10000) then
    perform private.raise_invalid('actual_hours', 'must be between 0 and 10000');
  end if;
  perform private.note_arg(p_note);
  if p_idempotency_key is not null and (length(p_idempotency_key) = 0 or length(p_idempotency_key) > 200) then
    perform private.raise_invalid('idempotency_key', 'must be 1 to 200 characters');
  end if;
  if p_parts is not null then
    if jsonb_typeof(p_parts) <> 'array' then
      perform private.raise_invalid('parts', 'must be a JSON array of {part_id, quantity}');
    end if;
    if jsonb_array_length(p_parts) > 100 then
      perform private.raise_invalid('parts', 'at most 100 entries');
    end if;
    for v_elem, v_idx in select e, n - 1 from jsonb_array_elements(p_parts) with ordinality as t(e, n) loop
      if jsonb_typeof(v_elem) <> 'object' then
        perform private.raise_invalid(format('parts[%s]', v_idx), 'must be an object {part_id, quantity}');
      end if;
      begin
        v_pid := (v_elem ->> 'part_id')::uuid;
      exception when invalid_text_representation then
        perform private.raise_invalid(format('parts[%s].part_id', v_idx), 'must be a uuid');
      end;
      if v_pid is null then
        perform private.raise_invalid(format('parts[%s].part_id', v_idx), 'is required');
      end if;
      if jsonb_typeof(v_elem -> 'quantity') is distinct from 'number' then
        perform private.raise_invalid(format('parts[%s].quantity', v_idx), 'must be a positive integer');
      end if;
      v_qty := (v_elem ->> 'quantity')::numeric;
      if v_qty <= 0 or v_qty <> trunc(v_qty) or v_qty > 1000000 then
        perform private.raise_invalid(format('parts[%s].quantity', v_idx), 'must be a positive integer');
      end if;
      v_req := jsonb_set(v_req, array[v_pid::text], jsonb_build_object(
        'q', coalesce((v_req -> v_pid::text ->> 'q')::integer, 0) + v_qty::integer,
        'i', coalesce((v_req -> v_pid::text ->> 'i')::bigint, v_idx)));
    end loop;
  end if;

  -- The work order, locked: concurrent completions of the same work order serialize here.
  select * into v_wo from public.work_orders w where w.id = p_wo_id for update;
  if not found or not (v_a.trusted or v_wo.warehouse_id = any (v_a.scope)) then
    perform private.raise_not_found('work order', 'wo_id');
  end if;
  if not v_a.trusted and not (
       v_a.role in ('admin', 'manager', 'supervisor')
       or (v_a.role in ('technician', 'contractor') and v_a.uid = any (v_wo.assigned_to))) then
    if private.has_wo_access(p_wo_id) then
      perform private.raise_forbidden(format('a %s may not complete this work order', v_a.role));
    end if;
    perform private.raise_not_found('work order', 'wo_id');
  end if;

  v_hash := md5(coalesce(p_parts::text, 'planned') || '|' || coalesce(p_actual_hours::text, ''));
  -- request fingerprint over the normalized part list (order and duplicates do not matter)
  if p_parts is not null then
    v_hash := md5((select coalesce(string_agg(k || ':' || (v_req -> k ->> 'q'), ',' order by k), '')
                   from jsonb_object_keys(v_req) k) || '|' || coalesce(p_actual_hours::text, ''));
  end if;

  if v_wo.status in ('completed', 'verified', 'closed') then
    select * into v_done from private.wo_completions c
     where c.warehouse_id = v_wo.warehouse_id and c.work_order_id = v_wo.id;
    if found and ((p_idempotency_key is not null and v_done.idempotency_key = p_idempotency_key)
                  or (p_idempotency_key is null and v_done.request_hash = v_hash)) then
      return v_wo;  -- the same request again: already applied, consume nothing
    end if;
    perform private.raise_rule('wo_id', format('work order is already %s', v_wo.status));
  end if;
  if v_wo.status <> 'in_progress' then
    perform private.raise_rule('status',
      format('illegal transition %s -> completed (the work order must be in_progress)', v_wo.status));
  end if;
  select count(*) into v_open from public.wo_checklist_items c
   where c.warehouse_id = v_wo.warehouse_id and c.work_order_id = v_wo.id
     and c.is_required and not c.is_completed;
  if v_open > 0 then
    perform private.raise_rule('checklist', format('%s required checklist item(s) not done', v_open));
  end if;

  -- parts = null: consume what was planned/reserved for the work order
  if p_parts is null then
    select coalesce(jsonb_object_agg(x.part_id::text, jsonb_build_object('q', x.q, 'i', x.n)), '{}')
      into v_req
      from (select u.part_id, sum(u.quantity)::integer as q, row_number() over (order by u.part_id) - 1 as n
              from public.wo_parts_used u
             where u.warehouse_id = v_wo.warehouse_id and u.work_order_id = v_wo.id
               and u.consumed_at is null
             group by u.part_id) x;
  end if;

  -- Lock every part touched (requested or reserved by this work order) in id order: two
  -- completions sharing parts always lock in the same order, so they cannot deadlock.
  for v_part in
    with own as (
      select u.part_id, sum(u.quantity)::integer as reserved
        from public.wo_parts_used u
       where u.warehouse_id = v_wo.warehouse_id and u.work_order_id = v_wo.id
         and u.consumed_at is null
       group by u.part_id
    ), req as (
      select k::uuid as part_id, (v_req -> k ->> 'q')::integer as q, (v_req -> k ->> 'i')::bigint as i
        from jsonb_object_keys(v_req) k
    )
    select p.id, p.part_number, p.quantity_on_hand, p.reserved_quantity, p.unit_cost,
           coalesce(own.reserved, 0) as own_reserved, req.q, req.i
      from public.parts p
      left join own on own.part_id = p.id
      left join req on req.part_id = p.id
     where p.warehouse_id = v_wo.warehouse_id
       and (p.id in (select part_id from own) or p.id in (select part_id from req))
     order by p.id
       for update of p
  loop
    if v_part.q is not null
       and v_part.q > v_part.quantity_on_hand - (v_part.reserved_quantity - v_part.own_reserved) then
      perform private.raise_rule(format('parts[%s].quantity', v_part.i), format(
        'insufficient stock for part %s: requested %s, available %s', v_part.part_number, v_part.q,
        v_part.quantity_on_hand - (v_part.reserved_quantity - v_part.own_reserved)));
    end if;
  end loop;
  -- a requested part that is not in the work order's warehouse
  select (v_req -> k ->> 'i')::bigint into v_idx
    from jsonb_object_keys(v_req) k
   where not exists (select 1 from public.parts p
                      where p.id = k::uuid and p.warehouse_id = v_wo.warehouse_id)
   order by 1 limit 1;
  if found then
    perform private.raise_not_found('part', format('parts[%s].part_id', v_idx));
  end if;

  -- release this work order's reservations, then issue what was used
  update public.parts p
     set reserved_quantity = p.reserved_quantity - own.reserved
    from (select u.part_id, sum(u.quantity)::integer as reserved
            from public.wo_parts_used u
           where u.warehouse_id = v_wo.warehouse_id and u.work_order_id = v_wo.id
             and u.consumed_at is null
           group by u.part_id) own
   where p.warehouse_id = v_wo.warehouse_id and p.id = own.part_id;
  delete from public.wo_parts_used u
   where u.warehouse_id = v_wo.warehouse_id and u.work_order_id = v_wo.id and u.consumed_at is null;

  insert into public.wo_parts_used (warehouse_id, work_order_id, part_id, quantity, unit_cost,
                                    recorded_by, consumed_at)
  select v_wo.warehouse_id, v_wo.id, p.id, (v_req -> p.id::text ->> 'q')::integer, p.unit_cost,
         v_a.uid, now()
    from public.parts p
   where p.warehouse_id = v_wo.warehouse_id and v_req ? p.id::text
   order by p.id;
  -- the ledger trigger (0004) moves quantity_on_hand; its CHECK (>= 0) is the last guard
  insert into public.part_transactions (warehouse_id, part_id, type, quantity, unit_cost,
                                        work_order_id, performed_by, reference, note)
  select v_wo.warehouse_id, p.id, 'issue', -(v_req -> p.id::text ->> 'q')::integer, p.unit_cost,
         v_wo.id, v_a.uid, v_wo.wo_number, 'consumed on completion'
    from public.parts p
   where p.warehouse_id = v_wo.warehouse_id and v_req ? p.id::text
   order by p.id;

  v_hours := p_actual_hours;
  if v_hours is null then
    select round(sum(t.minutes) / 60.0, 2) into v_hours from public.wo_time_logs t
     where t.warehouse_id = v_wo.warehouse_id and t.work_order_id = v_wo.id;
  end if;

  update public.work_orders w
     set status = 'completed',
         actual_hours = coalesce(v_hours, w.actual_hours),
         notes = private.append_note(w.notes, 'completed', p_note)
   where w.id = v_wo.id
  returning w.* into v_wo;

  insert into private.wo_completions
    (warehouse_id, work_order_id, idempotency_key, request_hash, completed_by)
  values (v_wo.warehouse_id, v_wo.id, p_idempotency_key, v_hash, v_a.uid)
  on conflict (warehouse_id, work_order_id) do update
    set idempotency_key = excluded.idempotency_key, request_hash = excluded.request_hash,
        completed_by = excluded.completed_by, completed_at = excluded.completed_at;

  if v_wo.equipment_id is not null then
    insert into public.equipment_maintenance_history (warehouse_id, equipment_id, work_order_id,
      maintenance_type, performed_at, performed_by, description)
    values (v_wo.warehouse_id, v_wo.equipment_id, v_wo.id, v_wo.type, v_wo.completed_at, v_a.uid,
            v_wo.title);
  end if;
  if v_wo.pm_schedule_id is not null then
    update public.pm_schedules s set last_done = (v_wo.completed_at at time zone 'UTC')::date
     where s.warehouse_id = v_wo.warehouse_id and s.id = v_wo.pm_schedule_id;
  end if;
  return v_wo;
end
$$;

--
-- Name: FUNCTION complete_work_order_impl(p_wo_id uuid, p_actual_hours numeric, p_parts jsonb, p_note text, p_idempotency_key text); Type: COMMENT; Schema: private; Owner: -
--

COMMENT ON FUNCTION private.complete_work_order_impl(p_wo_id uuid, p_actual_hours numeric, p_parts jsonb, p_note text, p_idempotency_key text) IS 'Body of public.complete_work_order. Security definer because technicians complete work orders but may not write the stock ledger directly; it re-checks role, scope and assignment itself.';

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
    LANGUAGE plpgsql STABLE SECURITY DEFINER PARALLEL SAFE
    SET search_path TO ''
    AS $$
begin
  return (select p.role from public.profiles p where p.id = auth.uid() and p.is_active);
end
$$;

--
-- Name: FUNCTION "current_role"(); Type: COMMENT; Schema: private; Owner: -
--

COMMENT ON FUNCTION private."current_role"() IS 'App role of the calling user from profiles (null when no active profile).';

--
-- Name: cursor_decode(text); Type: FUNCTION; Schema: private; Owner: -
--

CREATE FUNCTION private.cursor_decode(p_cursor text, OUT sort_key text, OUT id uuid) RETURNS record
    LANGUAGE plpgsql IMMUTABLE
    SET search_path TO ''
    AS $$
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

--
-- Name: FUNCTION cursor_decode(p_cursor text, OUT sort_key text, OUT id uuid); Type: COMMENT; Schema: private; Owner: -
--

COMMENT ON FUNCTION private.cursor_decode(p_cursor text, OUT sort_key text, OUT id uuid) IS 'Inverse of cursor_encode; 22023 on anything else.';

--
-- Name: cursor_encode(text, uuid); Type: FUNCTION; Schema: private; Owner: -
--

CREATE FUNCTION private.cursor_encode(p_key text, p_id uuid) RETURNS text
    LANGUAGE sql IMMUTABLE
    SET search_path TO ''
    AS $$
  select rtrim(translate(encode(convert_to(p_key || '|' || p_id::text, 'UTF8'), 'base64'),
                         E'+/\n', '-_'), '=')
$$;

--
-- Name: FUNCTION cursor_encode(p_key text, p_id uuid); Type: COMMENT; Schema: private; Owner: -
--

COMMENT ON FUNCTION private.cursor_encode(p_key text, p_id uuid) IS 'Opaque keyset cursor (url-safe base64 of sort key and id).';

--
-- Name: dashboard_kpis_impl(uuid); Type: FUNCTION; Schema: private; Owner: -
--

CREATE FUNCTION private.dashboard_kpis_impl(p_warehouse_id uuid) RETURNS jsonb
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path TO ''
    AS $$
declare
  v_a        record;
  v_now      timestamptz := now();
  v_window   constant interval := interval '90 days';
  v_open     bigint;
  v_overdue  bigint;
  v_backlog  numeric;
  v_mttr     numeric;
  v_pm_due   bigint;
  v_pm_ok    bigint;
  v_low      bigint;
begin
  select * into v_a from private.api_actor();
  perform private.require_arg('warehouse_id', p_warehouse_id);
  if not (p_warehouse_id = any (v_a.scope)) then
    perform private.raise_not_found('warehouse', 'warehouse_id');
  end if;
  if not v_a.trusted and v_a.role not in ('admin', 'manager', 'supervisor') then
    perform private.raise_forbidden(format('a %s may not read warehouse KPIs', v_a.role));
  end if;

  -- the predicate matches the partial index work_orders_open_due_idx (index-only scan)
  select count(*), count(*) filter (where w.due_date < v_now), coalesce(sum(w.estimated_hours), 0)
    into v_open, v_overdue, v_backlog
    from public.work_orders w
   where w.warehouse_id = p_warehouse_id
     and w.status in ('requested', 'open', 'assigned', 'in_progress', 'on_hold');

  select round((avg(extract(epoch from w.completed_at - w.started_at)) / 3600)::numeric, 2)
    into v_mttr
    from public.work_orders w
   where w.warehouse_id = p_warehouse_id
     and w.completed_at is not null and w.completed_at >= v_now - v_window
     and w.started_at is not null
     and w.type in ('corrective', 'emergency')
     and w.status in ('completed', 'verified', 'closed');

  select count(*), count(*) filter (where w.completed_at is not null
                                      and w.completed_at < w.due_date + interval '1 day')
    into v_pm_due, v_pm_ok
    from public.work_orders w
   where w.warehouse_id = p_warehouse_id
     and w.due_date >= v_now - v_window and w.due_date < v_now
     and (w.type = 'preventive' or w.pm_schedule_id is not null)
     and w.status <> 'cancelled';

  select count(*) into v_low
    from public.parts p
   where p.warehouse_id = p_warehouse_id and p.available <= p.reorder_point and p.is_active;

  return jsonb_build_object(
    'warehouse_id', p_warehouse_id,
    'as_of', v_now,
    'window_days', extract(day from v_window)::integer,
    'open_work_orders', v_open,
    'overdue_work_orders', v_overdue,
    'mttr_hours', v_mttr,
    'pm_compliance_pct', case when v_pm_due > 0 then round(100.0 * v_pm_ok / v_pm_due, 1) end,
    'pm_due_work_orders', v_pm_due,
    'backlog_hours', v_backlog,
    'backlog_work_orders', v_open,
    'low_stock_parts', v_low);
end
$$;

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
-- Name: enum_arg(text, text, text[]); Type: FUNCTION; Schema: private; Owner: -
--

CREATE FUNCTION private.enum_arg(p_field text, p_value text, p_allowed text[]) RETURNS text
    LANGUAGE plpgsql IMMUTABLE
    SET search_path TO ''
    AS $$
begin
  if p_value is null or not (p_value = any (p_allowed)) then
    perform private.raise_invalid(p_field, format('must be one of %s (got %s)',
      array_to_string(p_allowed, ', '), coalesce(quote_literal(p_value), 'null')));
  end if;
  return p_value;
end
$$;

--
-- Name: FUNCTION enum_arg(p_field text, p_value text, p_allowed text[]); Type: COMMENT; Schema: private; Owner: -
--

COMMENT ON FUNCTION private.enum_arg(p_field text, p_value text, p_allowed text[]) IS 'Return p_value when it is one of p_allowed, else raise 22023 naming p_field.';

--
-- Name: has_wo_access(uuid); Type: FUNCTION; Schema: private; Owner: -
--

CREATE FUNCTION private.has_wo_access(p_wo_id uuid) RETURNS boolean
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path TO ''
    AS $$
begin
  -- the work_orders SELECT policy, spelled out as one statement (this function reads as its
  -- owner; plpgsql keeps the plan for the session)
  return exists (
    select 1
      from public.profiles p
      join public.work_orders w on w.id = p_wo_id
     where p.id = auth.uid() and p.is_active
       and (w.warehouse_id = p.warehouse_id
            or p.role = 'admin'
            or (p.role = 'manager'
                and exists (select 1 from public.user_warehouse_access a
                             where a.user_id = p.id and a.warehouse_id = w.warehouse_id)))
       and (p.role in ('admin', 'manager', 'supervisor', 'inventory_clerk')
            or (p.role in ('technician', 'contractor') and w.assigned_to @> array[p.id])
            or (p.role in ('technician', 'requester') and w.requested_by = p.id)));
end
$$;

--
-- Name: FUNCTION has_wo_access(p_wo_id uuid); Type: COMMENT; Schema: private; Owner: -
--

COMMENT ON FUNCTION private.has_wo_access(p_wo_id uuid) IS 'True when the caller may read the work order.';

--
-- Name: invalid_assignee(uuid[], uuid); Type: FUNCTION; Schema: private; Owner: -
--

CREATE FUNCTION private.invalid_assignee(p_assignees uuid[], p_warehouse uuid) RETURNS uuid
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path TO ''
    AS $$
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

--
-- Name: FUNCTION invalid_assignee(p_assignees uuid[], p_warehouse uuid); Type: COMMENT; Schema: private; Owner: -
--

COMMENT ON FUNCTION private.invalid_assignee(p_assignees uuid[], p_warehouse uuid) IS 'First assignee that is not an active user with access to the warehouse (null when all are fine); answers only for warehouses in the caller''s scope.';

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
-- Name: note_arg(text, text); Type: FUNCTION; Schema: private; Owner: -
--

CREATE FUNCTION private.note_arg(p_note text, p_field text DEFAULT 'note'::text) RETURNS text
    LANGUAGE plpgsql IMMUTABLE
    SET search_path TO ''
    AS $$
begin
  if p_note is not null and length(p_note) > 2000 then
    perform private.raise_invalid(p_field, 'at most 2000 characters');
  end if;
  return p_note;
end
$$;

--
-- Name: page_size_arg(integer, integer); Type: FUNCTION; Schema: private; Owner: -
--

CREATE FUNCTION private.page_size_arg(p_value integer, p_max integer DEFAULT 200) RETURNS integer
    LANGUAGE plpgsql IMMUTABLE
    SET search_path TO ''
    AS $$
begin
  if p_value is null or p_value < 1 or p_value > p_max then
    perform private.raise_invalid('page_size', format('must be between 1 and %s', p_max));
  end if;
  return p_value;
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
-- Name: pm_create_work_order(uuid, date, uuid); Type: FUNCTION; Schema: private; Owner: -
--

CREATE FUNCTION private.pm_create_work_order(p_schedule_id uuid, p_due date, p_requested_by uuid) RETURNS integer
    LANGUAGE plpgsql
    SET search_path TO ''
    AS $$
declare
  v_id uuid;
begin
  insert into public.work_orders as w (warehouse_id, type, title, description, equipment_id,
    status, priority, requested_by, due_date, estimated_hours, pm_schedule_id, pm_due_date,
    custom_fields)
  select s.warehouse_id, t.wo_type, 'PM: ' || t.name, t.description, s.equipment_id, 'open',
         t.priority, p_requested_by, p_due::timestamptz, t.estimated_hours, s.id, p_due,
         jsonb_build_object('source', 'pm', 'pm_template_id', t.id)
    from public.pm_schedules s
    join public.pm_templates t on t.warehouse_id = s.warehouse_id and t.id = s.template_id
   where s.id = p_schedule_id
  on conflict (warehouse_id, pm_schedule_id, pm_due_date) do nothing
  returning w.id into v_id;
  if v_id is null then
    return 0;
  end if;
  insert into public.wo_checklist_items (warehouse_id, work_order_id, position, description, is_required)
  select c.warehouse_id, v_id, c.position, c.description, c.is_required
    from public.pm_schedules s
    join public.pm_template_checklist c on c.warehouse_id = s.warehouse_id and c.template_id = s.template_id
   where s.id = p_schedule_id
   order by c.position;
  return 1;
end
$$;

--
-- Name: pm_step(public.pm_interval_unit, integer); Type: FUNCTION; Schema: private; Owner: -
--

CREATE FUNCTION private.pm_step(p_unit public.pm_interval_unit, p_value integer) RETURNS interval
    LANGUAGE sql IMMUTABLE
    SET search_path TO ''
    AS $$
  select case p_unit
    when 'days' then make_interval(days => p_value)
    when 'weeks' then make_interval(weeks => p_value)
    when 'months' then make_interval(months => p_value)
  end
$$;

--
-- Name: process_escalations_impl(timestamp with time zone); Type: FUNCTION; Schema: private; Owner: -
--

CREATE FUNCTION private.process_escalations_impl(p_as_of timestamp with time zone) RETURNS integer
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO ''
    AS $$
declare
  v_a     record;
  v_wo    record;
  v_level integer;
  v_n     integer := 0;
begin
  select * into v_a from private.api_actor();
  perform private.require_arg('as_of', p_as_of);
  if not v_a.trusted and v_a.role not in ('admin', 'manager') then
    perform private.raise_forbidden(format('a %s may not run escalations', v_a.role));
  end if;

  -- skip locked: a work order being edited right now is escalated by the next run; two
  -- concurrent runs split the work instead of escalating twice.
  for v_wo in
    select w.id, w.warehouse_id, w.wo_number, w.title, w.priority, w.due_date, w.escalation_level
      from public.work_orders w
     where w.status in ('requested', 'open', 'assigned', 'in_progress', 'on_hold')
       and w.due_date < p_as_of
       and w.warehouse_id = any (v_a.scope)
     order by w.id
       for update skip locked
  loop
    select max(r.level) into v_level
      from public.escalation_rules r
     where r.warehouse_id = v_wo.warehouse_id and r.priority = v_wo.priority and r.is_active
       and r.level > v_wo.escalation_level
       and v_wo.due_date + make_interval(hours => r.hours_overdue) <= p_as_of;
    continue when v_level is null;

    update public.work_orders w
       set escalated = true, escalation_level = v_level, escalated_at = p_as_of
     where w.id = v_wo.id;
    v_n := v_n + 1;

    -- one notification per rule level reached in this run, to every active user of the target
    -- role who reaches the warehouse
    insert into public.notifications (warehouse_id, user_id, title, body, work_order_id)
    select v_wo.warehouse_id, p.id,
           format('Escalation level %s: %s', r.level, v_wo.wo_number),
           format('%s priority work order "%s" is more than %s hours overdue.',
                  initcap(v_wo.priority::text), v_wo.title, r.hours_overdue),
           v_wo.id
      from public.escalation_rules r
      join public.profiles p on p.role = r.escalate_to_role and p.is_active
     where r.warehouse_id = v_wo.warehouse_id and r.priority = v_wo.priority and r.is_active
       and r.notify and r.level > v_wo.escalation_level and r.level <= v_level
       and (p.warehouse_id = v_wo.warehouse_id
            or (p.role in ('admin', 'manager') and exists (
                  select 1 from public.user_warehouse_access a
                   where a.user_id = p.id and a.warehouse_id = v_wo.warehouse_id)));
  end loop;
  return v_n;
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

--
-- Name: raise_forbidden(text); Type: FUNCTION; Schema: private; Owner: -
--

CREATE FUNCTION private.raise_forbidden(p_reason text) RETURNS void
    LANGUAGE plpgsql
    SET search_path TO ''
    AS $$
begin
  raise exception 'not permitted: %', p_reason using errcode = '42501';
end
$$;

--
-- Name: FUNCTION raise_forbidden(p_reason text); Type: COMMENT; Schema: private; Owner: -
--

COMMENT ON FUNCTION private.raise_forbidden(p_reason text) IS 'Raise 42501 "not permitted: <reason>".';

--
-- Name: raise_invalid(text, text); Type: FUNCTION; Schema: private; Owner: -
--

CREATE FUNCTION private.raise_invalid(p_field text, p_reason text) RETURNS void
    LANGUAGE plpgsql
    SET search_path TO ''
    AS $$
begin
  raise exception 'invalid %: %', p_field, p_reason
    using errcode = '22023', detail = 'field: ' || p_field;
end
$$;

--
-- Name: FUNCTION raise_invalid(p_field text, p_reason text); Type: COMMENT; Schema: private; Owner: -
--

COMMENT ON FUNCTION private.raise_invalid(p_field text, p_reason text) IS 'Raise 22023 "invalid <field>: <reason>" (detail "field: <field>").';

--
-- Name: raise_not_found(text, text); Type: FUNCTION; Schema: private; Owner: -
--

CREATE FUNCTION private.raise_not_found(p_what text, p_field text) RETURNS void
    LANGUAGE plpgsql
    SET search_path TO ''
    AS $$
begin
  raise exception '% not found or not accessible', p_what
    using errcode = '42501', detail = 'field: ' || p_field;
end
$$;

--
-- Name: FUNCTION raise_not_found(p_what text, p_field text); Type: COMMENT; Schema: private; Owner: -
--

COMMENT ON FUNCTION private.raise_not_found(p_what text, p_field text) IS 'Raise 42501 "<what> not found or not accessible" (detail "field: <field>"), the same for missing and foreign ids.';

--
-- Name: raise_rule(text, text); Type: FUNCTION; Schema: private; Owner: -
--

CREATE FUNCTION private.raise_rule(p_field text, p_reason text) RETURNS void
    LANGUAGE plpgsql
    SET search_path TO ''
    AS $$
begin
  raise exception 'rule violated: %', p_reason
    using errcode = '23514', detail = 'field: ' || p_field;
end
$$;

--
-- Name: FUNCTION raise_rule(p_field text, p_reason text); Type: COMMENT; Schema: private; Owner: -
--

COMMENT ON FUNCTION private.raise_rule(p_field text, p_reason text) IS 'Raise 23514 "rule violated: <reason>" (detail "field: <field>").';

--
-- Name: rate_limit_per_hour(uuid); Type: FUNCTION; Schema: private; Owner: -
--

CREATE FUNCTION private.rate_limit_per_hour(p_user uuid) RETURNS integer
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path TO ''
    AS $$
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

--
-- Name: FUNCTION rate_limit_per_hour(p_user uuid); Type: COMMENT; Schema: private; Owner: -
--

COMMENT ON FUNCTION private.rate_limit_per_hour(p_user uuid) IS 'Requests per hour allowed to a user: system_settings rate_limit_per_hour (or rate_limit.requests_per_hour) of the home warehouse, default 1000.';

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
-- Name: record_part_transaction_impl(uuid, text, integer, text, uuid, numeric, text); Type: FUNCTION; Schema: private; Owner: -
--

CREATE FUNCTION private.record_part_transaction_impl(p_part_id uuid, p_type text, p_quantity integer, p_note text, p_work_order_id uuid, p_unit_cost numeric, p_reference text) RETURNS public.part_transactions
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO ''
    AS $$
declare
  v_a      record;
  v_type   public.part_txn_type;
  v_part   public.parts;
  v_signed integer;
  v_row    public.part_transactions;
begin
  select * into v_a from private.api_actor();
  perform private.require_arg('part_id', p_part_id);
  v_type := private.enum_arg('type', p_type, enum_range(null::public.part_txn_type)::text[])::public.part_txn_type;
  perform private.require_arg('quantity', p_quantity);
  if v_type in ('receipt', 'issue', 'return') and p_quantity <= 0 then
    perform private.raise_invalid('quantity', format('must be > 0 for %s (the sign follows the type)', v_type));
  end if;
  if p_quantity = 0 then
    perform private.raise_invalid('quantity', 'must not be 0');
  end if;
  if abs(p_quantity) > 1000000 then
    perform private.raise_invalid('quantity', 'at most 1000000 units per transaction');
  end if;
  if p_unit_cost is not null and (p_unit_cost < 0 or p_unit_cost > 10000000) then
    perform private.raise_invalid('unit_cost', 'must be between 0 and 10000000');
  end if;
  if p_reference is not null and (length(p_reference) = 0 or length(p_reference) > 100) then
    perform private.raise_invalid('reference', 'must be 1 to 100 characters');
  end if;
  perform private.note_arg(p_note);

  select * into v_part from public.parts p where p.id = p_part_id for update;
  if not found or not (v_a.trusted or v_part.warehouse_id = any (v_a.scope))
     or (not v_a.trusted and v_a.role not in ('admin', 'manager', 'inventory_clerk', 'supervisor', 'technician')) then
    perform private.raise_not_found('part', 'part_id');
  end if;
  if not v_a.trusted and v_a.role not in ('admin', 'manager', 'inventory_clerk') then
    perform private.raise_forbidden(format('a %s may not record stock transactions', v_a.role));
  end if;
  if p_work_order_id is not null and not exists (
       select 1 from public.work_orders w
        where w.id = p_work_order_id and w.warehouse_id = v_part.warehouse_id) then
    perform private.raise_not_found('work order', 'work_order_id');
  end if;

  v_signed := case when v_type = 'issue' then -p_quantity else p_quantity end;
  if p_reference is not null then
    select * into v_row from public.part_transactions t
     where t.part_id = v_part.id and t.type = v_type and t.reference = p_reference
     order by t.created_at limit 1;
    if found then
      if v_row.quantity <> v_signed then
        perform private.raise_rule('reference', format(
          'reference %s was already used for a %s of %s', p_reference, v_type, v_row.quantity));
      end if;
      return v_row;  -- retry of a recorded transaction
    end if;
  end if;
  if v_part.quantity_on_hand + v_signed < v_part.reserved_quantity then
    perform private.raise_rule('quantity', format(
      'insufficient stock for part %s: on hand %s, reserved %s, change %s',
      v_part.part_number, v_part.quantity_on_hand, v_part.reserved_quantity, v_signed));
  end if;

  insert into public.part_transactions as t (warehouse_id, part_id, type, quantity, unit_cost,
    work_order_id, performed_by, reference, note)
  values (v_part.warehouse_id, v_part.id, v_type, v_signed, coalesce(p_unit_cost, v_part.unit_cost),
          p_work_order_id, v_a.uid, p_reference, p_note)
  returning t.* into v_row;
  return v_row;
end
$$;

--
-- Name: request_role(); Type: FUNCTION; Schema: private; Owner: -
--

CREATE FUNCTION private.request_role() RETURNS text
    LANGUAGE sql STABLE
    SET search_path TO ''
    AS $$
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

--
-- Name: FUNCTION request_role(); Type: COMMENT; Schema: private; Owner: -
--

COMMENT ON FUNCTION private.request_role() IS 'API role of the request (anon, authenticated, service_role), correct inside security definer functions too.';

--
-- Name: require_arg(text, anyelement); Type: FUNCTION; Schema: private; Owner: -
--

CREATE FUNCTION private.require_arg(p_field text, p_value anyelement) RETURNS anyelement
    LANGUAGE plpgsql IMMUTABLE
    SET search_path TO ''
    AS $$
begin
  if p_value is null then
    perform private.raise_invalid(p_field, 'is required');
  end if;
  return p_value;
end
$$;

--
-- Name: reservation_impl(uuid, integer, uuid, boolean); Type: FUNCTION; Schema: private; Owner: -
--

CREATE FUNCTION private.reservation_impl(p_part_id uuid, p_quantity integer, p_wo_id uuid, p_release boolean) RETURNS jsonb
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO ''
    AS $$
declare
  v_a    record;
  v_wo   public.work_orders;
  v_part public.parts;
  v_own  integer;
  v_qty  integer := p_quantity;
  v_verb text := case when p_release then 'released' else 'reserved' end;
begin
  select * into v_a from private.api_actor();
  perform private.require_arg('part_id', p_part_id);
  perform private.require_arg('wo_id', p_wo_id);
  if not p_release then
    perform private.require_arg('quantity', p_quantity);
  end if;
  if v_qty is not null and (v_qty <= 0 or v_qty > 1000000) then
    perform private.raise_invalid('quantity', 'must be between 1 and 1000000');
  end if;

  -- lock order everywhere: work order, then parts by id
  select * into v_wo from public.work_orders w where w.id = p_wo_id for share;
  if not found or not (v_a.trusted or v_wo.warehouse_id = any (v_a.scope)) then
    perform private.raise_not_found('work order', 'wo_id');
  end if;
  if not v_a.trusted and not (
       v_a.role in ('admin', 'manager', 'supervisor', 'inventory_clerk')
       or (v_a.role in ('technician', 'contractor') and v_a.uid = any (v_wo.assigned_to))) then
    if private.has_wo_access(p_wo_id) then
      perform private.raise_forbidden(format('a %s may not %s parts for this work order',
        v_a.role, case when p_release then 'release' else 'reserve' end));
    end if;
    perform private.raise_not_found('work order', 'wo_id');
  end if;
  if v_wo.status in ('completed', 'verified', 'closed', 'cancelled') then
    perform private.raise_rule('wo_id', format('parts cannot be %s on a %s work order', v_verb, v_wo.status));
  end if;
  select * into v_part from public.parts p
   where p.id = p_part_id and p.warehouse_id = v_wo.warehouse_id for update;
  if not found then
    perform private.raise_not_found('part', 'part_id');
  end if;
  select coalesce(sum(u.quantity), 0)::integer into v_own from public.wo_parts_used u
   where u.warehouse_id = v_wo.warehouse_id and u.work_order_id = v_wo.id
     and u.part_id = v_part.id and u.consumed_at is null;

  if p_release then
    v_qty := coalesce(v_qty, v_own);
    if v_qty > v_own then
      perform private.raise_rule('quantity', format(
        'cannot release %s of part %s: %s reserved for this work order', v_qty, v_part.part_number, v_own));
    end if;
    if v_qty > 0 then
      update public.parts p set reserved_quantity = p.reserved_quantity - v_qty where p.id = v_part.id
      returning p.* into v_part;
      delete from public.wo_parts_used u
       where u.warehouse_id = v_wo.warehouse_id and u.work_order_id = v_wo.id
         and u.part_id = v_part.id and u.consumed_at is null;
      if v_own - v_qty > 0 then
        insert into public.wo_parts_used (warehouse_id, work_order_id, part_id, quantity, unit_cost, recorded_by)
        values (v_wo.warehouse_id, v_wo.id, v_part.id, v_own - v_qty, v_part.unit_cost, v_a.uid);
      end if;
    end if;
    v_own := v_own - v_qty;
  else
    if v_qty > v_part.available then
      perform private.raise_rule('quantity', format(
        'insufficient stock for part %s: requested %s, available %s', v_part.part_number, v_qty, v_part.available));
    end if;
    update public.parts p set reserved_quantity = p.reserved_quantity + v_qty where p.id = v_part.id
    returning p.* into v_part;
    update public.wo_parts_used u set quantity = u.quantity + v_qty
     where u.id = (select x.id from public.wo_parts_used x
                    where x.warehouse_id = v_wo.warehouse_id and x.work_order_id = v_wo.id
                      and x.part_id = v_part.id and x.consumed_at is null
                    order by x.created_at, x.id limit 1);
    if not found then
      insert into public.wo_parts_used (warehouse_id, work_order_id, part_id, quantity, unit_cost, recorded_by)
      values (v_wo.warehouse_id, v_wo.id, v_part.id, v_qty, v_part.unit_cost, v_a.uid);
    end if;
    v_own := v_own + v_qty;
  end if;
  return jsonb_build_object(
    'part_id', v_part.id, 'work_order_id', v_wo.id, v_verb, v_qty,
    'reserved_for_work_order', v_own, 'quantity_on_hand', v_part.quantity_on_hand,
    'reserved_quantity', v_part.reserved_quantity, 'available', v_part.available);
end
$$;

--
-- Name: scope_for(public.app_role[]); Type: FUNCTION; Schema: private; Owner: -
--

CREATE FUNCTION private.scope_for(p_roles public.app_role[]) RETURNS uuid[]
    LANGUAGE plpgsql STABLE SECURITY DEFINER PARALLEL SAFE
    SET search_path TO ''
    AS $$
declare
  v_uid  uuid := auth.uid();
  v_role public.app_role;
  v_home uuid;
begin
  select p.role, p.warehouse_id into v_role, v_home
    from public.profiles p
   where p.id = v_uid and p.is_active;
  if v_role is null or (p_roles is not null and v_role <> all (p_roles)) then
    return '{}';
  end if;
  if v_role = 'admin' then
    return coalesce((select array_agg(w.id) from public.warehouses w), '{}');
  end if;
  if v_role = 'manager' then
    return array[v_home] || coalesce((
      select array_agg(a.warehouse_id) from public.user_warehouse_access a
       where a.user_id = v_uid and a.warehouse_id <> v_home), '{}'::uuid[]);
  end if;
  return array[v_home];
end
$$;

--
-- Name: FUNCTION scope_for(p_roles public.app_role[]); Type: COMMENT; Schema: private; Owner: -
--

COMMENT ON FUNCTION private.scope_for(p_roles public.app_role[]) IS 'Scope of the calling user when their app role is one of p_roles (null = any role), else empty: `warehouse_id = any ((select private.scope_for(...)))` is "role in p_roles and row in scope" as one indexable comparison.';

--
-- Name: search_work_order_hits(tsquery, uuid, real, uuid, integer); Type: FUNCTION; Schema: private; Owner: -
--

CREATE FUNCTION private.search_work_order_hits(p_query tsquery, p_warehouse_id uuid, p_after_rank real, p_after_id uuid, p_limit integer) RETURNS TABLE(id uuid, rank real)
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path TO ''
    AS $$
declare
  v_a   record;
  v_all boolean;
  v_tc  boolean;
  v_tr  boolean;
begin
  select * into v_a from private.api_actor();
  -- work_orders_select: staff read the scope, technician/contractor what is assigned to them,
  -- technician/requester their own requests; service_role (trusted) reads the scope.
  v_all := v_a.trusted or v_a.role in ('admin', 'manager', 'supervisor', 'inventory_clerk');
  v_tc := coalesce(v_a.role in ('technician', 'contractor'), false);
  v_tr := coalesce(v_a.role in ('technician', 'requester'), false);
  return query
    select h.id, h.rank
      from (select w.id, ts_rank(w.search, p_query) as rank
              from public.work_orders w
             where w.search @@ p_query
               and w.warehouse_id = any (v_a.scope)
               and (p_warehouse_id is null or w.warehouse_id = p_warehouse_id)
               and (v_all
                    or (v_tc and w.assigned_to @> array[v_a.uid])
                    or (v_tr and w.requested_by = v_a.uid))) h
     where p_after_rank is null or h.rank < p_after_rank
        or (h.rank = p_after_rank and h.id < p_after_id)
     order by h.rank desc, h.id desc
     limit p_limit;
end
$$;

--
-- Name: FUNCTION search_work_order_hits(p_query tsquery, p_warehouse_id uuid, p_after_rank real, p_after_id uuid, p_limit integer); Type: COMMENT; Schema: private; Owner: -
--

COMMENT ON FUNCTION private.search_work_order_hits(p_query tsquery, p_warehouse_id uuid, p_after_rank real, p_after_id uuid, p_limit integer) IS 'One page of (id, rank) of the work orders matching p_query that the caller may read (the work_orders read policy applied explicitly), best first, after the keyset (p_after_rank, p_after_id).';

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
-- Name: sync_work_order_assignees(); Type: FUNCTION; Schema: private; Owner: -
--

CREATE FUNCTION private.sync_work_order_assignees() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO ''
    AS $$
begin
  if tg_op = 'UPDATE' then
    -- the foreign key has already carried a warehouse change (RI triggers fire first: their
    -- names sort before this one's)
    delete from public.work_order_assignees a
     where a.warehouse_id = new.warehouse_id and a.work_order_id = new.id
       and not (a.user_id = any (new.assigned_to) and a.wo_created_at = new.created_at);
  end if;
  insert into public.work_order_assignees (warehouse_id, work_order_id, user_id, wo_created_at)
  select distinct new.warehouse_id, new.id, u, new.created_at
    from unnest(new.assigned_to) as u
   where u is not null
  on conflict on constraint work_order_assignees_once do nothing;
  return null;
end
$$;

--
-- Name: FUNCTION sync_work_order_assignees(); Type: COMMENT; Schema: private; Owner: -
--

COMMENT ON FUNCTION private.sync_work_order_assignees() IS 'AFTER INSERT/UPDATE trigger on work_orders: work_order_assignees holds exactly the elements of assigned_to, with the work order''s created_at.';

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
-- Name: ts_cursor_key(timestamp with time zone); Type: FUNCTION; Schema: private; Owner: -
--

CREATE FUNCTION private.ts_cursor_key(p_ts timestamp with time zone) RETURNS text
    LANGUAGE sql IMMUTABLE
    SET search_path TO ''
    AS $$
  select to_char(p_ts at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')
$$;

--
-- Name: uid_for(public.app_role[]); Type: FUNCTION; Schema: private; Owner: -
--

CREATE FUNCTION private.uid_for(p_roles public.app_role[]) RETURNS uuid
    LANGUAGE plpgsql STABLE SECURITY DEFINER PARALLEL SAFE
    SET search_path TO ''
    AS $$
declare
  v_uid uuid := auth.uid();
begin
  if v_uid is not null and exists (
       select 1 from public.profiles p
        where p.id = v_uid and p.is_active and p.role = any (p_roles)) then
    return v_uid;
  end if;
  return null;
end
$$;

--
-- Name: FUNCTION uid_for(p_roles public.app_role[]); Type: COMMENT; Schema: private; Owner: -
--

COMMENT ON FUNCTION private.uid_for(p_roles public.app_role[]) IS 'auth.uid() when the caller has an active profile whose role is one of p_roles, else null: `assigned_to @> array[(select private.uid_for(...))]` is "role in p_roles and assigned to me", still served by the index of the column.';

--
-- Name: user_scope(uuid); Type: FUNCTION; Schema: private; Owner: -
--

CREATE FUNCTION private.user_scope(p_user uuid) RETURNS uuid[]
    LANGUAGE plpgsql STABLE SECURITY DEFINER PARALLEL SAFE
    SET search_path TO ''
    AS $$
declare
  v_role public.app_role;
  v_home uuid;
begin
  select p.role, p.warehouse_id into v_role, v_home
    from public.profiles p
   where p.id = p_user and p.is_active;
  if v_role is null then
    return '{}';
  end if;
  if v_role = 'admin' then
    return coalesce((select array_agg(w.id) from public.warehouses w), '{}');
  end if;
  if v_role = 'manager' then
    return array[v_home] || coalesce((
      select array_agg(a.warehouse_id) from public.user_warehouse_access a
       where a.user_id = p_user and a.warehouse_id <> v_home), '{}'::uuid[]);
  end if;
  return array[v_home];
end
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

--
-- Name: vendor_tax_id_impl(uuid, text, boolean); Type: FUNCTION; Schema: private; Owner: -
--

CREATE FUNCTION private.vendor_tax_id_impl(p_vendor_id uuid, p_tax_id text, p_write boolean) RETURNS text
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO ''
    AS $_$
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
$_$;

--
-- Name: warehouse_scope(); Type: FUNCTION; Schema: private; Owner: -
--

CREATE FUNCTION private.warehouse_scope() RETURNS uuid[]
    LANGUAGE plpgsql STABLE SECURITY DEFINER PARALLEL SAFE
    SET search_path TO ''
    AS $$
begin
  return private.scope_for(null);
end
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
-- Name: wo_transition_ok(public.wo_status, public.wo_status); Type: FUNCTION; Schema: private; Owner: -
--

CREATE FUNCTION private.wo_transition_ok(p_from public.wo_status, p_to public.wo_status) RETURNS boolean
    LANGUAGE sql IMMUTABLE
    SET search_path TO ''
    AS $$
  -- Same table as the trigger private.wo_status_machine (0004), checked up front so the
  -- function can name the field; the trigger stays the last word.
  select case p_from
    when 'requested'   then p_to in ('open', 'cancelled')
    when 'open'        then p_to in ('assigned', 'cancelled')
    when 'assigned'    then p_to in ('in_progress', 'cancelled')
    when 'in_progress' then p_to in ('on_hold', 'completed', 'cancelled')
    when 'on_hold'     then p_to in ('in_progress', 'cancelled')
    when 'completed'   then p_to in ('verified', 'cancelled')
    when 'verified'    then p_to in ('closed', 'cancelled')
    else false
  end
$$;

--
-- Name: FUNCTION wo_transition_ok(p_from public.wo_status, p_to public.wo_status); Type: COMMENT; Schema: private; Owner: -
--

COMMENT ON FUNCTION private.wo_transition_ok(p_from public.wo_status, p_to public.wo_status) IS 'Legal work order status transitions (mirror of the 0004 state machine trigger).';

--
-- Name: assign_work_order(uuid, uuid[]); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.assign_work_order(wo_id uuid, assignees uuid[]) RETURNS public.work_orders
    LANGUAGE plpgsql
    SET search_path TO ''
    AS $$
declare
  v_a      record;
  v_wo     public.work_orders;
  v_assign uuid[];
  v_bad    uuid;
begin
  select * into v_a from private.api_actor();
  perform private.require_arg('wo_id', assign_work_order.wo_id);
  v_assign := private.assignees_arg(assign_work_order.assignees);

  select * into v_wo from public.work_orders w where w.id = assign_work_order.wo_id;
  if not found then
    perform private.raise_not_found('work order', 'wo_id');
  end if;
  if not v_a.trusted and v_a.role not in ('admin', 'manager', 'supervisor') then
    perform private.raise_forbidden(format('a %s may not assign work orders', v_a.role));
  end if;
  select * into v_wo from public.work_orders w where w.id = assign_work_order.wo_id for update;

  if v_wo.status in ('completed', 'verified', 'closed', 'cancelled') then
    perform private.raise_rule('wo_id', format('a %s work order cannot be assigned', v_wo.status));
  end if;
  v_bad := private.invalid_assignee(v_assign, v_wo.warehouse_id);
  if v_bad is not null then
    perform private.raise_invalid('assignees',
      format('%s is not an active user with access to the warehouse', v_bad));
  end if;

  if v_wo.status = 'requested' then
    -- assigning a request approves it: requested -> open -> assigned, each audited
    update public.work_orders w set status = 'open' where w.id = v_wo.id;
  end if;
  update public.work_orders w
     set assigned_to = v_assign,
         status = case when w.status = 'open' then 'assigned'::public.wo_status else w.status end
   where w.id = v_wo.id
  returning w.* into v_wo;
  return v_wo;
end
$$;

--
-- Name: FUNCTION assign_work_order(wo_id uuid, assignees uuid[]); Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON FUNCTION public.assign_work_order(wo_id uuid, assignees uuid[]) IS 'Set the assignees of work order wo_id (replacing the previous ones) and return it. A requested or open work order becomes assigned; in_progress/on_hold ones keep their status (reassignment).
Arguments: wo_id, assignees (1-20 active users with access to the work order''s warehouse).
Who: admin, manager, supervisor in scope; service_role.
Errors: 22023 "invalid assignees: ..."; 42501 "work order not found or not accessible"; 42501 "not permitted: ..."; 23514 "rule violated: a <status> work order cannot be assigned".';

--
-- Name: bulk_assign_work_orders(uuid[], uuid[]); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.bulk_assign_work_orders(wo_ids uuid[], assignees uuid[]) RETURNS integer
    LANGUAGE plpgsql
    SET search_path TO ''
    AS $$
declare
  v_ids    uuid[];
  v_i      integer := 0;
  v_id     uuid;
  v_state  text;
  v_msg    text;
  v_detail text;
  v_hint   text;
begin
  perform private.api_actor();
  if bulk_assign_work_orders.wo_ids is null or cardinality(bulk_assign_work_orders.wo_ids) = 0 then
    perform private.raise_invalid('wo_ids', 'must be a non-empty array of work order ids');
  end if;
  if array_position(bulk_assign_work_orders.wo_ids, null) is not null then
    perform private.raise_invalid('wo_ids', 'must not contain null');
  end if;
  if cardinality(bulk_assign_work_orders.wo_ids) > 500 then
    perform private.raise_invalid('wo_ids', 'at most 500 work orders per call');
  end if;
  perform private.assignees_arg(bulk_assign_work_orders.assignees);
  -- stable lock order (by id) so that concurrent bulk calls cannot deadlock
  v_ids := array(select distinct u from unnest(bulk_assign_work_orders.wo_ids) u order by u);
  foreach v_id in array v_ids loop
    v_i := v_i + 1;
    begin
      perform public.assign_work_order(v_id, bulk_assign_work_orders.assignees);
    exception when others then
      get stacked diagnostics v_state = returned_sqlstate, v_msg = message_text,
                              v_detail = pg_exception_detail, v_hint = pg_exception_hint;
      raise exception using errcode = v_state, message = v_msg || ' (work order ' || v_id || ')',
        detail = replace(coalesce(v_detail, ''), 'field: wo_id', 'field: wo_ids'),
        hint = coalesce(v_hint, 'nothing was assigned: the call is all or nothing');
    end;
  end loop;
  return v_i;
end
$$;

--
-- Name: FUNCTION bulk_assign_work_orders(wo_ids uuid[], assignees uuid[]); Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON FUNCTION public.bulk_assign_work_orders(wo_ids uuid[], assignees uuid[]) IS 'Assign the same assignees to every work order of wo_ids (1-500, duplicates ignored), all or nothing; returns the number of work orders assigned.
Who: admin, manager, supervisor (each work order in scope); service_role.
Errors: as assign_work_order, the message naming the failing work order and detail "field: wo_ids"; 22023 "invalid wo_ids: ..." for an empty, null-containing or too long list.';

--
-- Name: bulk_receive_parts(jsonb); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.bulk_receive_parts(items jsonb) RETURNS integer
    LANGUAGE plpgsql
    SET search_path TO ''
    AS $$
begin
  return private.bulk_receive_parts_impl(bulk_receive_parts.items);
end
$$;

--
-- Name: FUNCTION bulk_receive_parts(items jsonb); Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON FUNCTION public.bulk_receive_parts(items jsonb) IS 'Book a receipt for each item of items, all or nothing; returns the number of receipts written.
Arguments: items: JSON array (1-1000) of {"part_id": uuid, "quantity": positive integer, "unit_cost"?: number >= 0, "reference"?: text (an item whose part already has a receipt with this reference is skipped: safe retry), "note"?: text}.
Who: admin, manager, inventory_clerk (parts in scope); service_role.
Errors: 22023 "invalid items[<i>].<field>: ..."; 42501 "part not found or not accessible" (detail field: items[<i>].part_id); 42501 "not permitted: ...".';

--
-- Name: check_rate_limit(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.check_rate_limit() RETURNS void
    LANGUAGE plpgsql
    SET search_path TO ''
    AS $$
begin
  -- anon has no usage on schema private and reaches nothing in the CMMS: not limited here
  -- (limit anonymous traffic per IP at the gateway)
  if current_user = 'anon' then
    return;
  end if;
  perform private.check_rate_limit_impl();
end
$$;

--
-- Name: FUNCTION check_rate_limit(); Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON FUNCTION public.check_rate_limit() IS 'PostgREST db-pre-request hook (db-pre-request = "public.check_rate_limit"): counts the requests of the calling user (auth.uid()) per clock hour in private.rate_limits and refuses the request when over the limit: system_settings key rate_limit_per_hour of the user''s home warehouse (or rate_limit.requests_per_hour), default 1000. anon and service_role are not limited. In READ ONLY transactions (GET/HEAD) the counter is checked but cannot be incremented: reads are refused once a user''s writes exceeded the limit, and are counted at the gateway in front of PostgREST.
Errors: PT429 (HTTP 429) "rate_limit_exceeded: more than <n> requests in the current hour" with a hint naming the time to retry after.';

--
-- Name: complete_work_order(uuid, numeric, jsonb, text, text); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.complete_work_order(wo_id uuid, actual_hours numeric DEFAULT NULL::numeric, parts jsonb DEFAULT NULL::jsonb, note text DEFAULT NULL::text, idempotency_key text DEFAULT NULL::text) RETURNS public.work_orders
    LANGUAGE plpgsql
    SET search_path TO ''
    AS $$
begin
  return private.complete_work_order_impl(complete_work_order.wo_id, complete_work_order.actual_hours,
    complete_work_order.parts, complete_work_order.note, complete_work_order.idempotency_key);
end
$$;

--
-- Name: FUNCTION complete_work_order(wo_id uuid, actual_hours numeric, parts jsonb, note text, idempotency_key text); Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON FUNCTION public.complete_work_order(wo_id uuid, actual_hours numeric, parts jsonb, note text, idempotency_key text) IS 'Complete work order wo_id (in_progress -> completed) and consume its parts atomically: the work order''s reservations are released and each part of parts is issued from stock (wo_parts_used + an ''issue'' ledger row); stock never goes negative, also under concurrency (parts are locked in id order).
Arguments: wo_id; actual_hours (0-10000; default: the sum of its time logs); parts: JSON array [{"part_id": uuid, "quantity": positive integer}] of the work order''s warehouse, null = consume what is planned/reserved on the work order, [] = consume nothing; note (appended to notes); idempotency_key (1-200 chars).
Idempotent: repeating the call on a completed work order with the same idempotency_key (or, without a key, the same parts and hours) returns the row and consumes nothing.
Who: admin, manager, supervisor in scope; technician, contractor on work orders assigned to them; service_role.
Errors: 22023 "invalid parts[<i>].quantity: ..." / "invalid parts[<i>].part_id: ..." / "invalid actual_hours: ..."; 42501 "work order not found or not accessible" (also for work orders outside the caller''s reach), "part not found or not accessible" (detail field: parts[<i>].part_id); 42501 "not permitted: ..."; 23514 "rule violated: insufficient stock for part <number>: requested <q>, available <a>" (detail field: parts[<i>].quantity), "rule violated: illegal transition <status> -> completed ...", "rule violated: work order is already completed", "rule violated: <n> required checklist item(s) not done".';

--
-- Name: create_work_order(uuid, text, text, text, text, uuid, timestamp with time zone, numeric, uuid[], jsonb); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.create_work_order(warehouse_id uuid, title text, description text DEFAULT NULL::text, type text DEFAULT 'corrective'::text, priority text DEFAULT 'medium'::text, equipment_id uuid DEFAULT NULL::uuid, due_date timestamp with time zone DEFAULT NULL::timestamp with time zone, estimated_hours numeric DEFAULT NULL::numeric, assignees uuid[] DEFAULT NULL::uuid[], custom_fields jsonb DEFAULT NULL::jsonb) RETURNS public.work_orders
    LANGUAGE plpgsql
    SET search_path TO ''
    AS $$
declare
  v_a      record;
  v_title  text := btrim(create_work_order.title);
  v_assign uuid[] := '{}';
  v_bad    uuid;
  v_status public.wo_status;
  v_row    public.work_orders;
begin
  select * into v_a from private.api_actor();
  perform private.require_arg('warehouse_id', create_work_order.warehouse_id);
  if not (create_work_order.warehouse_id = any (v_a.scope)) then
    perform private.raise_not_found('warehouse', 'warehouse_id');
  end if;
  if not v_a.trusted
     and v_a.role not in ('admin', 'manager', 'supervisor', 'technician', 'requester') then
    perform private.raise_forbidden(format('a %s may not create work orders', v_a.role));
  end if;
  if v_title is null or length(v_title) = 0 or length(v_title) > 200 then
    perform private.raise_invalid('title', 'must be 1 to 200 characters');
  end if;
  if length(create_work_order.description) > 10000 then
    perform private.raise_invalid('description', 'at most 10000 characters');
  end if;
  perform private.enum_arg('type', create_work_order.type,
                           enum_range(null::public.wo_type)::text[]);
  perform private.enum_arg('priority', create_work_order.priority,
                           enum_range(null::public.wo_priority)::text[]);
  if create_work_order.estimated_hours is not null
     and (create_work_order.estimated_hours < 0 or create_work_order.estimated_hours > 10000) then
    perform private.raise_invalid('estimated_hours', 'must be between 0 and 10000');
  end if;
  if create_work_order.custom_fields is not null
     and jsonb_typeof(create_work_order.custom_fields) <> 'object' then
    perform private.raise_invalid('custom_fields', 'must be a JSON object');
  end if;
  if create_work_order.equipment_id is not null and not exists (
       select 1 from public.equipment e
       where e.id = create_work_order.equipment_id
         and e.warehouse_id = create_work_order.warehouse_id) then
    perform private.raise_not_found('equipment', 'equipment_id');
  end if;

  if create_work_order.assignees is not null and cardinality(create_work_order.assignees) > 0 then
    if not v_a.trusted and v_a.role not in ('admin', 'manager', 'supervisor') then
      perform private.raise_forbidden(format('a %s may not assign work orders', v_a.role));
    end if;
    v_assign := private.assignees_arg(create_work_order.assignees);
    v_bad := private.invalid_assignee(v_assign, create_work_order.warehouse_id);
    if v_bad is not null then
      perform private.raise_invalid('assignees',
        format('%s is not an active user with access to the warehouse', v_bad));
    end if;
  end if;

  v_status := case
    when not v_a.trusted and v_a.role in ('technician', 'requester') then 'requested'
    when cardinality(v_assign) > 0 then 'assigned'
    else 'open'
  end;

  insert into public.work_orders as w
    (warehouse_id, type, title, description, equipment_id, status, priority, requested_by,
     assigned_to, due_date, estimated_hours, custom_fields)
  values
    (create_work_order.warehouse_id, create_work_order.type::public.wo_type, v_title,
     create_work_order.description, create_work_order.equipment_id, v_status,
     create_work_order.priority::public.wo_priority, v_a.uid, v_assign,
     create_work_order.due_date, create_work_order.estimated_hours,
     coalesce(create_work_order.custom_fields, '{}'))
  returning w.* into v_row;
  return v_row;
end
$$;

--
-- Name: FUNCTION create_work_order(warehouse_id uuid, title text, description text, type text, priority text, equipment_id uuid, due_date timestamp with time zone, estimated_hours numeric, assignees uuid[], custom_fields jsonb); Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON FUNCTION public.create_work_order(warehouse_id uuid, title text, description text, type text, priority text, equipment_id uuid, due_date timestamp with time zone, estimated_hours numeric, assignees uuid[], custom_fields jsonb) IS 'Create a work order in warehouse_id and return it.
Arguments: warehouse_id (required), title (1-200 chars), description, type (wo_type, default corrective), priority (wo_priority, default medium), equipment_id (same warehouse), due_date, estimated_hours (0-10000), assignees (uuid[]; admin/manager/supervisor only), custom_fields (JSON object).
Who: admin, manager, supervisor (status open, or assigned when assignees are given); technician, requester (status requested, requested_by = caller); service_role.
Errors: 22023 "invalid <field>: ..." (bad title, type, priority, estimated_hours, custom_fields, assignees); 42501 "warehouse not found or not accessible" / "equipment not found or not accessible"; 42501 "not permitted: ..." (contractor, inventory_clerk; assignees by technician/requester).';

--
-- Name: dashboard_kpis(uuid); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.dashboard_kpis(warehouse_id uuid) RETURNS jsonb
    LANGUAGE plpgsql STABLE
    SET search_path TO ''
    AS $$
begin
  return private.dashboard_kpis_impl(dashboard_kpis.warehouse_id);
end
$$;

--
-- Name: FUNCTION dashboard_kpis(warehouse_id uuid); Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON FUNCTION public.dashboard_kpis(warehouse_id uuid) IS 'KPIs of warehouse warehouse_id as one JSON object: open_work_orders (requested..on_hold), overdue_work_orders (open and past due_date), mttr_hours (mean completed_at - started_at of corrective/emergency work orders completed in the last window_days = 90; null without any), pm_compliance_pct (preventive work orders due in the window, share completed by the end of their due day; null without any), pm_due_work_orders, backlog_hours (sum of estimated_hours of open work orders), backlog_work_orders, low_stock_parts (active parts with available <= reorder_point), as_of, window_days.
Who: admin, manager, supervisor with the warehouse in scope; service_role.
Errors: 22023 "invalid warehouse_id: is required"; 42501 "warehouse not found or not accessible"; 42501 "not permitted: ...".';

--
-- Name: generate_pm_work_orders(date, uuid); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.generate_pm_work_orders(as_of date DEFAULT CURRENT_DATE, warehouse_id uuid DEFAULT NULL::uuid) RETURNS integer
    LANGUAGE plpgsql
    SET search_path TO ''
    AS $$
declare
  v_a    record;
  v_s    record;
  v_due  date;
  v_next date;
  v_n    integer := 0;
begin
  select * into v_a from private.api_actor();
  perform private.require_arg('as_of', generate_pm_work_orders.as_of);
  if generate_pm_work_orders.warehouse_id is not null
     and not (generate_pm_work_orders.warehouse_id = any (v_a.scope)) then
    perform private.raise_not_found('warehouse', 'warehouse_id');
  end if;
  if not v_a.trusted and v_a.role not in ('admin', 'manager', 'supervisor') then
    perform private.raise_forbidden(format('a %s may not generate preventive work orders', v_a.role));
  end if;

  -- Due schedules, locked in id order. A concurrent run waits on the lock and then re-checks
  -- the row (next_due already advanced), and (pm_schedule_id, pm_due_date) is unique: each
  -- work order is created once.
  for v_s in
    select s.id, s.interval_unit, s.interval_value, s.next_due, s.lead_days, e.meter_reading
      from public.pm_schedules s
      join public.pm_templates t on t.warehouse_id = s.warehouse_id and t.id = s.template_id
      join public.equipment e on e.warehouse_id = s.warehouse_id and e.id = s.equipment_id
     where s.active and t.is_active and e.status <> 'retired'
       and s.warehouse_id = any (v_a.scope)
       and (generate_pm_work_orders.warehouse_id is null or s.warehouse_id = generate_pm_work_orders.warehouse_id)
       and ((s.interval_unit <> 'meter' and s.next_due is not null
             and s.next_due - s.lead_days <= generate_pm_work_orders.as_of)
            or (s.interval_unit = 'meter' and e.meter_reading is not null
                and e.meter_reading - coalesce(s.last_meter_reading, 0) >= s.meter_threshold))
     order by s.id
       for update of s
  loop
    if v_s.interval_unit = 'meter' then
      v_n := v_n + private.pm_create_work_order(v_s.id, generate_pm_work_orders.as_of, v_a.uid);
      update public.pm_schedules s set last_meter_reading = v_s.meter_reading where s.id = v_s.id;
    else
      -- Every occurrence due (within lead_days) on as_of gets a work order, except past
      -- occurrences superseded by a later one that is also past: one overdue work order stands
      -- for the missed ones.
      v_due := v_s.next_due;
      while v_due - v_s.lead_days <= generate_pm_work_orders.as_of loop
        v_next := (v_due + private.pm_step(v_s.interval_unit, v_s.interval_value))::date;
        if v_next > generate_pm_work_orders.as_of then
          v_n := v_n + private.pm_create_work_order(v_s.id, v_due, v_a.uid);
        end if;
        v_due := v_next;
      end loop;
      update public.pm_schedules s set next_due = v_due where s.id = v_s.id;
    end if;
  end loop;
  return v_n;
end
$$;

--
-- Name: FUNCTION generate_pm_work_orders(as_of date, warehouse_id uuid); Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON FUNCTION public.generate_pm_work_orders(as_of date, warehouse_id uuid) IS 'Create the preventive work orders that are due on as_of (default today): for calendar schedules every occurrence from next_due with occurrence - lead_days <= as_of (past occurrences superseded by a later past one are skipped: one overdue work order stands for them), for meter schedules one when the equipment meter advanced by meter_threshold; the template''s checklist is copied and the schedule advanced (next_due past as_of + lead_days, or last_meter_reading). Limited to warehouse_id when given, else the caller''s scope. Returns the number of work orders created.
Idempotent per schedule and due date: (pm_schedule_id, pm_due_date) is unique; running twice (also concurrently) creates each work order once.
Who: admin, manager, supervisor; service_role (every warehouse).
Errors: 22023 "invalid as_of: is required"; 42501 "warehouse not found or not accessible"; 42501 "not permitted: ...".';

--
-- Name: get_vendor_tax_id(uuid); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.get_vendor_tax_id(vendor_id uuid) RETURNS text
    LANGUAGE plpgsql
    SET search_path TO ''
    AS $$
begin
  return private.vendor_tax_id_impl(get_vendor_tax_id.vendor_id, null, false);
end
$$;

--
-- Name: FUNCTION get_vendor_tax_id(vendor_id uuid); Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON FUNCTION public.get_vendor_tax_id(vendor_id uuid) IS 'Decrypted tax id of vendor vendor_id (null when none is stored).
Who: admin, manager in scope; service_role.
Errors: 42501 "vendor not found or not accessible" (also for roles that cannot read vendors); 42501 "not permitted: ..." (supervisor, inventory_clerk); 55000 when app.settings.encryption_key is not configured.';

--
-- Name: list_work_orders(uuid, text, boolean, text, integer); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.list_work_orders(warehouse_id uuid DEFAULT NULL::uuid, status text DEFAULT NULL::text, assigned_to_me boolean DEFAULT false, after_cursor text DEFAULT NULL::text, page_size integer DEFAULT 50) RETURNS jsonb
    LANGUAGE plpgsql STABLE
    SET search_path TO ''
    AS $$
declare
  v_a      record;
  v_ps     integer := private.page_size_arg(list_work_orders.page_size);
  v_status public.wo_status;
  v_ts     timestamptz;
  v_id     uuid;
  v_cur    record;
  v_rows   public.work_orders[];
  v_next   text;
  v_mine   boolean := coalesce(list_work_orders.assigned_to_me, false);
begin
  select * into v_a from private.api_actor();
  if list_work_orders.status is not null then
    v_status := private.enum_arg('status', list_work_orders.status,
                                 enum_range(null::public.wo_status)::text[])::public.wo_status;
  end if;
  if list_work_orders.warehouse_id is not null and not (list_work_orders.warehouse_id = any (v_a.scope)) then
    perform private.raise_not_found('warehouse', 'warehouse_id');
  end if;
  if list_work_orders.after_cursor is not null then
    select * into v_cur from private.cursor_decode(list_work_orders.after_cursor);
    begin
      v_ts := v_cur.sort_key::timestamptz;
    exception when others then
      perform private.raise_invalid('after_cursor', 'not a cursor returned by this function');
    end;
    v_id := v_cur.id;
  end if;

  -- three statements so that each gets the index that fits (mine, warehouse or not); RLS adds
  -- scope
  if v_mine then
    v_rows := array(
      select w from public.work_order_assignees a
        join public.work_orders w on w.warehouse_id = a.warehouse_id and w.id = a.work_order_id
       where a.user_id = v_a.uid
         and (list_work_orders.warehouse_id is null or a.warehouse_id = list_work_orders.warehouse_id)
         and a.warehouse_id = any (v_a.scope)
         and (v_status is null or w.status = v_status)
         and (v_ts is null or (a.wo_created_at, a.work_order_id) < (v_ts, v_id))
       order by a.wo_created_at desc, a.work_order_id desc
       limit v_ps + 1);
  elsif list_work_orders.warehouse_id is not null then
    v_rows := array(
      select w from public.work_orders w
       where w.warehouse_id = list_work_orders.warehouse_id
         and (v_status is null or w.status = v_status)
         and (v_ts is null or (w.created_at, w.id) < (v_ts, v_id))
       order by w.created_at desc, w.id desc
       limit v_ps + 1);
  else
    v_rows := array(
      select w from public.work_orders w
       where w.warehouse_id = any (v_a.scope)
         and (v_status is null or w.status = v_status)
         and (v_ts is null or (w.created_at, w.id) < (v_ts, v_id))
       order by w.created_at desc, w.id desc
       limit v_ps + 1);
  end if;

  if cardinality(v_rows) > v_ps then
    v_next := private.cursor_encode(private.ts_cursor_key(v_rows[v_ps].created_at), v_rows[v_ps].id);
    v_rows := v_rows[1:v_ps];
  end if;
  return jsonb_build_object(
    'items', coalesce((select jsonb_agg(to_jsonb(v_rows[i]) - 'search' order by i)
                         from generate_subscripts(v_rows, 1) i), '[]'::jsonb),
    'next_cursor', v_next);
end
$$;

--
-- Name: FUNCTION list_work_orders(warehouse_id uuid, status text, assigned_to_me boolean, after_cursor text, page_size integer); Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON FUNCTION public.list_work_orders(warehouse_id uuid, status text, assigned_to_me boolean, after_cursor text, page_size integer) IS 'One page of the work orders the caller may read, newest first (created_at desc, id desc), as {"items": [work order...], "next_cursor": text|null}. Pass next_cursor back as after_cursor for the next page (keyset pagination: stable under inserts, cost independent of the page number).
Arguments: warehouse_id (null = every warehouse in scope), status (wo_status), assigned_to_me (only work orders assigned to the caller), after_cursor (opaque, from a previous call), page_size (1-200, default 50).
Who: every authenticated role; rows follow the work_orders read policy (technicians: assigned or own requests, requesters: own requests, ...); service_role.
Errors: 22023 "invalid status: ...", "invalid page_size: ...", "invalid after_cursor: ..."; 42501 "warehouse not found or not accessible".';

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
-- Name: log_time(uuid, timestamp with time zone, timestamp with time zone, text); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.log_time(wo_id uuid, started_at timestamp with time zone, ended_at timestamp with time zone DEFAULT NULL::timestamp with time zone, note text DEFAULT NULL::text) RETURNS public.wo_time_logs
    LANGUAGE plpgsql
    SET search_path TO ''
    AS $$
declare
  v_a   record;
  v_wo  public.work_orders;
  v_row public.wo_time_logs;
begin
  select * into v_a from private.api_actor();
  perform private.require_arg('wo_id', log_time.wo_id);
  perform private.require_arg('started_at', log_time.started_at);
  perform private.note_arg(log_time.note);
  if log_time.started_at > now() + interval '5 minutes' then
    perform private.raise_invalid('started_at', 'must not be in the future');
  end if;
  if log_time.ended_at is not null then
    if log_time.ended_at < log_time.started_at then
      perform private.raise_invalid('ended_at', 'must not be before started_at');
    end if;
    if log_time.ended_at > now() + interval '5 minutes' then
      perform private.raise_invalid('ended_at', 'must not be in the future');
    end if;
    if log_time.ended_at - log_time.started_at > interval '24 hours' then
      perform private.raise_invalid('ended_at', 'a time log spans at most 24 hours');
    end if;
  end if;
  if v_a.uid is null then
    perform private.raise_forbidden('time is logged as the calling user; service_role has none');
  end if;

  select * into v_wo from public.work_orders w where w.id = log_time.wo_id;
  if not found then
    perform private.raise_not_found('work order', 'wo_id');
  end if;
  if not v_a.trusted and not (
       v_a.role in ('admin', 'manager', 'supervisor')
       or (v_a.role in ('technician', 'contractor') and v_a.uid = any (v_wo.assigned_to))) then
    perform private.raise_forbidden('time can be logged only on work orders assigned to you');
  end if;
  if v_wo.status not in ('assigned', 'in_progress', 'on_hold', 'completed') then
    perform private.raise_rule('wo_id', format('time cannot be logged on a %s work order', v_wo.status));
  end if;

  -- a retried call returns the row it created
  select * into v_row from public.wo_time_logs t
   where t.warehouse_id = v_wo.warehouse_id and t.work_order_id = v_wo.id
     and t.user_id = v_a.uid and t.started_at = log_time.started_at
     and t.ended_at is not distinct from log_time.ended_at;
  if found then
    return v_row;
  end if;
  if exists (
       select 1 from public.wo_time_logs t
        where t.user_id = v_a.uid
          and tstzrange(t.started_at, coalesce(t.ended_at, greatest(now(), t.started_at)), '[)')
              && tstzrange(log_time.started_at,
                           coalesce(log_time.ended_at, greatest(now(), log_time.started_at)), '[)')) then
    perform private.raise_rule('started_at', 'overlaps another time log of yours');
  end if;

  insert into public.wo_time_logs as t (warehouse_id, work_order_id, user_id, started_at, ended_at, note)
  values (v_wo.warehouse_id, v_wo.id, v_a.uid, log_time.started_at, log_time.ended_at, log_time.note)
  returning t.* into v_row;
  return v_row;
end
$$;

--
-- Name: FUNCTION log_time(wo_id uuid, started_at timestamp with time zone, ended_at timestamp with time zone, note text); Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON FUNCTION public.log_time(wo_id uuid, started_at timestamp with time zone, ended_at timestamp with time zone, note text) IS 'Log the caller''s own working time on work order wo_id and return the time log (minutes derived). Repeating the same call returns the existing row.
Arguments: wo_id; started_at (not in the future); ended_at (null = running; not before started_at, at most 24 h later, not in the future); note (<= 2000 chars).
Who: admin, manager, supervisor in scope; technician, contractor on work orders assigned to them. Always as self (user_id = caller).
Errors: 22023 "invalid started_at: ..." / "invalid ended_at: ..."; 42501 "work order not found or not accessible"; 42501 "not permitted: ..."; 23514 "rule violated: time cannot be logged on a <status> work order", "rule violated: overlaps another time log of yours".';

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
-- Name: low_stock(uuid); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.low_stock(warehouse_id uuid DEFAULT NULL::uuid) RETURNS SETOF public.parts
    LANGUAGE plpgsql STABLE
    SET search_path TO ''
    AS $$
declare
  v_a record;
begin
  select * into v_a from private.api_actor();
  if low_stock.warehouse_id is not null and not (low_stock.warehouse_id = any (v_a.scope)) then
    perform private.raise_not_found('warehouse', 'warehouse_id');
  end if;
  if not v_a.trusted
     and v_a.role not in ('admin', 'manager', 'inventory_clerk', 'supervisor', 'technician') then
    perform private.raise_forbidden(format('a %s may not read parts', v_a.role));
  end if;
  return query
    select p.*
      from public.parts p
     where p.is_active
       and p.available <= p.reorder_point
       and p.warehouse_id = any (v_a.scope)
       and (low_stock.warehouse_id is null or p.warehouse_id = low_stock.warehouse_id)
     order by p.warehouse_id, p.available - p.reorder_point, p.part_number;
end
$$;

--
-- Name: FUNCTION low_stock(warehouse_id uuid); Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON FUNCTION public.low_stock(warehouse_id uuid) IS 'Active parts at or below their reorder point (available <= reorder_point), in warehouse_id or, when null, in every warehouse of the caller''s scope; most short first.
Who: admin, manager, inventory_clerk, supervisor, technician; service_role.
Errors: 42501 "warehouse not found or not accessible"; 42501 "not permitted: ..." (contractor, requester).';

--
-- Name: process_escalations(timestamp with time zone); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.process_escalations(as_of timestamp with time zone DEFAULT now()) RETURNS integer
    LANGUAGE plpgsql
    SET search_path TO ''
    AS $$
begin
  return private.process_escalations_impl(process_escalations.as_of);
end
$$;

--
-- Name: FUNCTION process_escalations(as_of timestamp with time zone); Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON FUNCTION public.process_escalations(as_of timestamp with time zone) IS 'Apply escalation_rules to open work orders overdue at as_of (default now): a work order whose due_date + hours_overdue of an active rule for its priority has passed gets escalated = true and escalation_level = the highest such level, and every active user of the rule''s escalate_to_role in the warehouse gets a notification (rules with notify). Returns the number of work orders escalated.
Idempotent: a level is applied once (levels only grow), so running twice notifies once.
Who: admin, manager (their scope); service_role (every warehouse). Security definer inside (it notifies other users), with the caller''s role and scope re-checked.
Errors: 22023 "invalid as_of: is required"; 42501 "not permitted: ...".';

--
-- Name: record_part_transaction(uuid, text, integer, text, uuid, numeric, text); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.record_part_transaction(part_id uuid, type text, quantity integer, note text DEFAULT NULL::text, work_order_id uuid DEFAULT NULL::uuid, unit_cost numeric DEFAULT NULL::numeric, reference text DEFAULT NULL::text) RETURNS public.part_transactions
    LANGUAGE plpgsql
    SET search_path TO ''
    AS $$
begin
  return private.record_part_transaction_impl(record_part_transaction.part_id,
    record_part_transaction.type, record_part_transaction.quantity, record_part_transaction.note,
    record_part_transaction.work_order_id, record_part_transaction.unit_cost,
    record_part_transaction.reference);
end
$$;

--
-- Name: FUNCTION record_part_transaction(part_id uuid, type text, quantity integer, note text, work_order_id uuid, unit_cost numeric, reference text); Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON FUNCTION public.record_part_transaction(part_id uuid, type text, quantity integer, note text, work_order_id uuid, unit_cost numeric, reference text) IS 'Append one row to the stock ledger of part part_id and return it; quantity_on_hand follows (ledger trigger).
Arguments: part_id; type (receipt, issue, adjustment, transfer, return); quantity: units, > 0 for receipt/issue/return (an issue is stored negative), signed and non-zero for adjustment/transfer; note; work_order_id (same warehouse); unit_cost (default the part''s); reference (e.g. PO number: a repeated call with the same part, type and reference returns the recorded row instead of booking twice).
Who: admin, manager, inventory_clerk in scope; service_role. (Technicians consume stock through complete_work_order.)
Errors: 22023 "invalid type|quantity|unit_cost|reference|note: ..."; 42501 "part not found or not accessible", "work order not found or not accessible"; 42501 "not permitted: ..." (supervisor, technician); 23514 "rule violated: insufficient stock for part ..." (on hand would fall below reserved or 0), "rule violated: reference ... was already used ...".';

--
-- Name: release_parts(uuid, integer, uuid); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.release_parts(part_id uuid, quantity integer, wo_id uuid) RETURNS jsonb
    LANGUAGE plpgsql
    SET search_path TO ''
    AS $$
begin
  return private.reservation_impl(release_parts.part_id, release_parts.quantity, release_parts.wo_id, true);
end
$$;

--
-- Name: FUNCTION release_parts(part_id uuid, quantity integer, wo_id uuid); Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON FUNCTION public.release_parts(part_id uuid, quantity integer, wo_id uuid) IS 'Release quantity units (null = all) of the reservation of part part_id for work order wo_id. Releasing nothing reserved with quantity null is a no-op. Returns the same object as reserve_parts with "released".
Who: as reserve_parts.
Errors: 22023 "invalid quantity: ..."; 42501 "work order not found or not accessible", "part not found or not accessible"; 42501 "not permitted: ..."; 23514 "rule violated: cannot release <q> of part <number>: <r> reserved for this work order".';

--
-- Name: reserve_parts(uuid, integer, uuid); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.reserve_parts(part_id uuid, quantity integer, wo_id uuid) RETURNS jsonb
    LANGUAGE plpgsql
    SET search_path TO ''
    AS $$
begin
  return private.reservation_impl(reserve_parts.part_id, reserve_parts.quantity, reserve_parts.wo_id, false);
end
$$;

--
-- Name: FUNCTION reserve_parts(part_id uuid, quantity integer, wo_id uuid); Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON FUNCTION public.reserve_parts(part_id uuid, quantity integer, wo_id uuid) IS 'Reserve quantity units of part part_id for open work order wo_id (parts.reserved_quantity grows, a planned wo_parts_used row records it; complete_work_order consumes or releases it). Returns {part_id, work_order_id, reserved, reserved_for_work_order, quantity_on_hand, reserved_quantity, available}. Additive: each call reserves more.
Who: admin, manager, supervisor, inventory_clerk in scope; technician, contractor on work orders assigned to them; service_role.
Errors: 22023 "invalid quantity: ..."; 42501 "work order not found or not accessible", "part not found or not accessible" (the part must be in the work order''s warehouse); 42501 "not permitted: ..."; 23514 "rule violated: insufficient stock for part <number>: requested <q>, available <a>", "rule violated: parts cannot be reserved on a <status> work order".';

--
-- Name: search_work_orders(text, integer, text, uuid); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.search_work_orders(query text, page_size integer DEFAULT 20, after_cursor text DEFAULT NULL::text, warehouse_id uuid DEFAULT NULL::uuid) RETURNS jsonb
    LANGUAGE plpgsql STABLE
    SET search_path TO ''
    AS $$
declare
  v_a    record;
  v_ps   integer := private.page_size_arg(search_work_orders.page_size, 100);
  v_q    tsquery;
  v_cur  record;
  v_rank real;
  v_id   uuid;
  v_rows jsonb;
  v_n    integer;
  v_next text;
begin
  select * into v_a from private.api_actor();
  if search_work_orders.query is null or btrim(search_work_orders.query) = '' then
    perform private.raise_invalid('query', 'must not be empty');
  end if;
  if length(search_work_orders.query) > 500 then
    perform private.raise_invalid('query', 'at most 500 characters');
  end if;
  if search_work_orders.warehouse_id is not null and not (search_work_orders.warehouse_id = any (v_a.scope)) then
    perform private.raise_not_found('warehouse', 'warehouse_id');
  end if;
  if search_work_orders.after_cursor is not null then
    select * into v_cur from private.cursor_decode(search_work_orders.after_cursor);
    begin
      v_rank := v_cur.sort_key::real;
    exception when others then
      perform private.raise_invalid('after_cursor', 'not a cursor returned by this function');
    end;
    v_id := v_cur.id;
  end if;
  -- websearch syntax ("quoted phrase", or, -not) from a bound parameter: no dynamic SQL
  v_q := websearch_to_tsquery('english', search_work_orders.query);
  if numnode(v_q) = 0 then
    return jsonb_build_object('items', '[]'::jsonb, 'next_cursor', null);  -- only stop words
  end if;

  with hits as (
    select h.id, h.rank
      from private.search_work_order_hits(v_q, search_work_orders.warehouse_id, v_rank, v_id,
                                          v_ps + 1) h
  ), page as (
    -- read under RLS again: the helper's ids are only a candidate list
    select w, h.rank, row_number() over (order by h.rank desc, w.id desc) as n
      from hits h
      join public.work_orders w on w.id = h.id
     order by h.rank desc, w.id desc
  )
  select coalesce(jsonb_agg((to_jsonb(p.w) - 'search') || jsonb_build_object('rank', p.rank)
                            order by p.n) filter (where p.n <= v_ps), '[]'::jsonb),
         count(*),
         max(private.cursor_encode(p.rank::text, (p.w).id)) filter (where p.n = v_ps)
    into v_rows, v_n, v_next
    from page p;
  return jsonb_build_object('items', v_rows, 'next_cursor', case when v_n > v_ps then v_next end);
end
$$;

--
-- Name: FUNCTION search_work_orders(query text, page_size integer, after_cursor text, warehouse_id uuid); Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON FUNCTION public.search_work_orders(query text, page_size integer, after_cursor text, warehouse_id uuid) IS 'Full-text search over work order number, title and description (work_orders.search) with web-search syntax (websearch_to_tsquery(''english'', query): words, "quoted phrases", or, -excluded), best match first, as {"items": [work order + rank...], "next_cursor": text|null}.
Arguments: query (1-500 chars), page_size (1-100, default 20), after_cursor (from a previous call), warehouse_id (null = every warehouse in scope).
Who: every authenticated role; rows follow the work_orders read policy; service_role.
Errors: 22023 "invalid query: ...", "invalid page_size: ...", "invalid after_cursor: ..."; 42501 "warehouse not found or not accessible".';

--
-- Name: set_vendor_tax_id(uuid, text); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.set_vendor_tax_id(vendor_id uuid, tax_id text) RETURNS void
    LANGUAGE plpgsql
    SET search_path TO ''
    AS $$
begin
  perform private.vendor_tax_id_impl(set_vendor_tax_id.vendor_id, set_vendor_tax_id.tax_id, true);
end
$$;

--
-- Name: FUNCTION set_vendor_tax_id(vendor_id uuid, tax_id text); Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON FUNCTION public.set_vendor_tax_id(vendor_id uuid, tax_id text) IS 'Store (encrypted at rest with pgcrypto and app.settings.encryption_key) the tax id of vendor vendor_id; null clears it.
Who: admin, manager, inventory_clerk in scope; service_role.
Errors: 22023 "invalid tax_id: ..."; 42501 "vendor not found or not accessible"; 42501 "not permitted: ..."; 55000 when app.settings.encryption_key is not configured.';

--
-- Name: transition_work_order(uuid, text, text); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.transition_work_order(wo_id uuid, new_status text, note text DEFAULT NULL::text) RETURNS public.work_orders
    LANGUAGE plpgsql
    SET search_path TO ''
    AS $$
declare
  v_a   record;
  v_wo  public.work_orders;
  v_new public.wo_status;
begin
  select * into v_a from private.api_actor();
  perform private.require_arg('wo_id', transition_work_order.wo_id);
  v_new := private.enum_arg('new_status', transition_work_order.new_status,
                            enum_range(null::public.wo_status)::text[])::public.wo_status;
  perform private.note_arg(transition_work_order.note);

  -- completion and verification have their own rules (stock, verifier)
  if v_new = 'completed' then
    return public.complete_work_order(transition_work_order.wo_id, null, null,
                                      transition_work_order.note, null);
  elsif v_new = 'verified' then
    return public.verify_work_order(transition_work_order.wo_id, transition_work_order.note);
  end if;

  select * into v_wo from public.work_orders w where w.id = transition_work_order.wo_id;
  if not found then
    perform private.raise_not_found('work order', 'wo_id');
  end if;
  if not v_a.trusted and not (
       v_a.role in ('admin', 'manager', 'supervisor')
       or (v_a.role in ('technician', 'contractor') and v_a.uid = any (v_wo.assigned_to)
           and v_new in ('in_progress', 'on_hold'))) then
    perform private.raise_forbidden(format(
      'a %s may not set status %s on this work order', v_a.role, v_new));
  end if;

  select * into v_wo from public.work_orders w where w.id = transition_work_order.wo_id for update;
  if v_wo.status = v_new then
    return v_wo;  -- retry of a transition that already happened
  end if;
  if not private.wo_transition_ok(v_wo.status, v_new) then
    perform private.raise_rule('new_status',
      format('illegal transition %s -> %s', v_wo.status, v_new));
  end if;
  if v_new = 'assigned' and cardinality(v_wo.assigned_to) = 0 then
    perform private.raise_rule('new_status', 'a work order without assignees cannot be assigned (use assign_work_order)');
  end if;

  update public.work_orders w
     set status = v_new,
         notes = private.append_note(w.notes, v_new::text, transition_work_order.note)
   where w.id = v_wo.id
  returning w.* into v_wo;
  return v_wo;
end
$$;

--
-- Name: FUNCTION transition_work_order(wo_id uuid, new_status text, note text); Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON FUNCTION public.transition_work_order(wo_id uuid, new_status text, note text) IS 'Move work order wo_id to new_status along a legal transition (requested -> open -> assigned -> in_progress <-> on_hold -> completed -> verified -> closed; cancelled from any non-terminal state); note is appended to notes. Setting the current status again returns the row unchanged (safe retry). new_status completed delegates to complete_work_order (consuming the planned parts), verified to verify_work_order.
Who: admin, manager, supervisor in scope (any legal transition); technician, contractor on work orders assigned to them (in_progress, on_hold, completed); service_role.
Errors: 22023 "invalid new_status: ..." / "invalid note: ..."; 42501 "work order not found or not accessible"; 42501 "not permitted: ..."; 23514 "rule violated: illegal transition <from> -> <to>".';

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
-- Name: update_checklist_item(uuid, boolean, text); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.update_checklist_item(item_id uuid, is_done boolean, note text DEFAULT NULL::text) RETURNS public.wo_checklist_items
    LANGUAGE plpgsql
    SET search_path TO ''
    AS $$
declare
  v_a    record;
  v_item public.wo_checklist_items;
  v_wo   public.work_orders;
begin
  select * into v_a from private.api_actor();
  perform private.require_arg('item_id', update_checklist_item.item_id);
  perform private.require_arg('is_done', update_checklist_item.is_done);
  perform private.note_arg(update_checklist_item.note);
  select * into v_item from public.wo_checklist_items c where c.id = update_checklist_item.item_id;
  if not found then
    perform private.raise_not_found('checklist item', 'item_id');
  end if;
  select * into v_wo from public.work_orders w
   where w.warehouse_id = v_item.warehouse_id and w.id = v_item.work_order_id;
  if not found then
    perform private.raise_not_found('checklist item', 'item_id');
  end if;
  if not v_a.trusted and not (
       v_a.role in ('admin', 'manager', 'supervisor')
       or (v_a.role in ('technician', 'contractor') and v_a.uid = any (v_wo.assigned_to))) then
    perform private.raise_forbidden('checklists change only on work orders assigned to you');
  end if;
  if v_wo.status not in ('assigned', 'in_progress', 'on_hold') then
    perform private.raise_rule('item_id',
      format('the checklist of a %s work order cannot change', v_wo.status));
  end if;
  select * into v_item from public.wo_checklist_items c where c.id = v_item.id for update;
  if v_item.is_completed = update_checklist_item.is_done
     and (update_checklist_item.note is null or v_item.notes is not distinct from update_checklist_item.note) then
    return v_item;  -- nothing to change (retry)
  end if;
  update public.wo_checklist_items c
     set is_completed = update_checklist_item.is_done,
         completed_by = case when update_checklist_item.is_done
                             then case when c.is_completed then c.completed_by else v_a.uid end end,
         completed_at = case when update_checklist_item.is_done
                             then case when c.is_completed then c.completed_at else now() end end,
         notes = coalesce(update_checklist_item.note, c.notes)
   where c.id = v_item.id
  returning c.* into v_item;
  return v_item;
end
$$;

--
-- Name: FUNCTION update_checklist_item(item_id uuid, is_done boolean, note text); Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON FUNCTION public.update_checklist_item(item_id uuid, is_done boolean, note text) IS 'Mark checklist item item_id done or not done (completed_by/at follow), optionally replacing its note; returns the item. Unchanged values return the item as is.
Who: admin, manager, supervisor in scope; technician, contractor on work orders assigned to them; only while the work order is assigned, in_progress or on_hold.
Errors: 22023 "invalid is_done: is required" / "invalid note: ..."; 42501 "checklist item not found or not accessible"; 42501 "not permitted: ..."; 23514 "rule violated: the checklist of a <status> work order cannot change".';

--
-- Name: verify_work_order(uuid, text); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.verify_work_order(wo_id uuid, note text DEFAULT NULL::text) RETURNS public.work_orders
    LANGUAGE plpgsql
    SET search_path TO ''
    AS $$
declare
  v_a  record;
  v_wo public.work_orders;
begin
  select * into v_a from private.api_actor();
  perform private.require_arg('wo_id', verify_work_order.wo_id);
  perform private.note_arg(verify_work_order.note);
  select * into v_wo from public.work_orders w where w.id = verify_work_order.wo_id;
  if not found then
    perform private.raise_not_found('work order', 'wo_id');
  end if;
  if not v_a.trusted and v_a.role not in ('admin', 'manager', 'supervisor') then
    perform private.raise_forbidden(format('a %s may not verify work orders', v_a.role));
  end if;
  select * into v_wo from public.work_orders w where w.id = verify_work_order.wo_id for update;
  if v_wo.status in ('verified', 'closed') then
    return v_wo;  -- already verified: safe retry
  end if;
  if v_wo.status <> 'completed' then
    perform private.raise_rule('status', format('illegal transition %s -> verified', v_wo.status));
  end if;
  if v_a.uid = any (v_wo.assigned_to) then
    perform private.raise_rule('wo_id', 'a work order cannot be verified by one of its assignees');
  end if;
  update public.work_orders w
     set status = 'verified', verified_by = v_a.uid, verified_at = now(),
         notes = private.append_note(w.notes, 'verified', verify_work_order.note)
   where w.id = v_wo.id
  returning w.* into v_wo;
  return v_wo;
end
$$;

--
-- Name: FUNCTION verify_work_order(wo_id uuid, note text); Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON FUNCTION public.verify_work_order(wo_id uuid, note text) IS 'Verify completed work order wo_id (completed -> verified, verified_by = caller); note is appended to notes. Verifying an already verified (or closed) work order returns it unchanged.
Who: admin, manager, supervisor in scope, who is not an assignee of the work order; service_role.
Errors: 42501 "work order not found or not accessible"; 42501 "not permitted: ..."; 23514 "rule violated: illegal transition <status> -> verified", "rule violated: a work order cannot be verified by one of its assignees"; 22023 "invalid note: ...".';

--
-- Name: extension(text); Type: FUNCTION; Schema: storage; Owner: -
--

CREATE FUNCTION storage.extension(name text) RETURNS text
    LANGUAGE plpgsql
    AS $$
declare
  parts text[] := string_to_array(name, '/');
begin
  return reverse(split_part(reverse(parts[array_length(parts, 1)]), '.', 1));
end
$$;

--
-- Name: filename(text); Type: FUNCTION; Schema: storage; Owner: -
--

CREATE FUNCTION storage.filename(name text) RETURNS text
    LANGUAGE plpgsql
    AS $$
declare
  parts text[] := string_to_array(name, '/');
begin
  return parts[array_length(parts, 1)];
end
$$;

--
-- Name: foldername(text); Type: FUNCTION; Schema: storage; Owner: -
--

CREATE FUNCTION storage.foldername(name text) RETURNS text[]
    LANGUAGE plpgsql
    AS $$
declare
  parts text[] := string_to_array(name, '/');
begin
  return parts[1:array_length(parts, 1) - 1];
end
$$;

--
-- Name: identities; Type: TABLE; Schema: auth; Owner: -
--

CREATE TABLE auth.identities (
    provider_id text NOT NULL,
    user_id uuid NOT NULL,
    identity_data jsonb NOT NULL,
    provider text NOT NULL,
    last_sign_in_at timestamp with time zone,
    created_at timestamp with time zone DEFAULT now(),
    updated_at timestamp with time zone DEFAULT now(),
    email text GENERATED ALWAYS AS (lower((identity_data ->> 'email'::text))) STORED,
    id uuid DEFAULT gen_random_uuid() NOT NULL
);

--
-- Name: TABLE identities; Type: COMMENT; Schema: auth; Owner: -
--

COMMENT ON TABLE auth.identities IS 'Platform: how each user signs in (one row per provider).';

--
-- Name: users; Type: TABLE; Schema: auth; Owner: -
--

CREATE TABLE auth.users (
    instance_id uuid,
    id uuid NOT NULL,
    aud character varying(255),
    role character varying(255),
    email character varying(255),
    encrypted_password character varying(255),
    email_confirmed_at timestamp with time zone,
    invited_at timestamp with time zone,
    confirmation_token character varying(255),
    confirmation_sent_at timestamp with time zone,
    recovery_token character varying(255),
    recovery_sent_at timestamp with time zone,
    email_change_token_new character varying(255),
    email_change character varying(255),
    email_change_sent_at timestamp with time zone,
    last_sign_in_at timestamp with time zone,
    raw_app_meta_data jsonb,
    raw_user_meta_data jsonb,
    is_super_admin boolean,
    created_at timestamp with time zone DEFAULT now(),
    updated_at timestamp with time zone DEFAULT now(),
    phone text,
    phone_confirmed_at timestamp with time zone,
    phone_change text DEFAULT ''::text,
    phone_change_token character varying(255) DEFAULT ''::character varying,
    phone_change_sent_at timestamp with time zone,
    confirmed_at timestamp with time zone GENERATED ALWAYS AS (LEAST(email_confirmed_at, phone_confirmed_at)) STORED,
    email_change_token_current character varying(255) DEFAULT ''::character varying,
    email_change_confirm_status smallint DEFAULT 0,
    banned_until timestamp with time zone,
    reauthentication_token character varying(255) DEFAULT ''::character varying,
    reauthentication_sent_at timestamp with time zone,
    is_sso_user boolean DEFAULT false NOT NULL,
    deleted_at timestamp with time zone,
    is_anonymous boolean DEFAULT false NOT NULL,
    CONSTRAINT users_email_change_confirm_status_check CHECK (((email_change_confirm_status >= 0) AND (email_change_confirm_status <= 2)))
);

--
-- Name: TABLE users; Type: COMMENT; Schema: auth; Owner: -
--

COMMENT ON TABLE auth.users IS 'Platform: the auth server''s users (one row per account).';

--
-- Name: rate_limits; Type: TABLE; Schema: private; Owner: -
--

CREATE UNLOGGED TABLE private.rate_limits (
    user_id uuid NOT NULL,
    window_start timestamp with time zone NOT NULL,
    count integer DEFAULT 0 NOT NULL
);

--
-- Name: TABLE rate_limits; Type: COMMENT; Schema: private; Owner: -
--

COMMENT ON TABLE private.rate_limits IS 'Requests per user per hour for public.check_rate_limit (db-pre-request). Old windows are deleted by the function itself.';

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
    warehouse_id uuid NOT NULL,
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
    warehouse_id uuid NOT NULL,
    old_values jsonb,
    new_values jsonb
);

--
-- Name: wo_completions; Type: TABLE; Schema: private; Owner: -
--

CREATE TABLE private.wo_completions (
    work_order_id uuid NOT NULL,
    idempotency_key text,
    request_hash text NOT NULL,
    completed_by uuid,
    completed_at timestamp with time zone DEFAULT now() NOT NULL,
    warehouse_id uuid NOT NULL
);

--
-- Name: TABLE wo_completions; Type: COMMENT; Schema: private; Owner: -
--

COMMENT ON TABLE private.wo_completions IS 'One row per completed work order: the idempotency key and request fingerprint of the completing call, so that a retry does not consume stock twice.';

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
-- Name: work_order_assignees; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.work_order_assignees (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    warehouse_id uuid NOT NULL,
    work_order_id uuid NOT NULL,
    user_id uuid NOT NULL,
    wo_created_at timestamp with time zone NOT NULL
);

--
-- Name: TABLE work_order_assignees; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON TABLE public.work_order_assignees IS 'One row per (work order, assignee), derived from work_orders.assigned_to by a trigger (read-only for clients): serves "my work orders, newest first" from the index on (user_id, wo_created_at, work_order_id).';

--
-- Name: COLUMN work_order_assignees.user_id; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.work_order_assignees.user_id IS 'An element of work_orders.assigned_to (like the array, not a foreign key: unassigning is the work order''s business).';

--
-- Name: COLUMN work_order_assignees.wo_created_at; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.work_order_assignees.wo_created_at IS 'work_orders.created_at, copied so that the index orders a user''s work orders newest first.';

--
-- Name: buckets; Type: TABLE; Schema: storage; Owner: -
--

CREATE TABLE storage.buckets (
    id text NOT NULL,
    name text NOT NULL,
    owner uuid,
    owner_id text,
    public boolean DEFAULT false,
    avif_autodetection boolean DEFAULT false,
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
    owner_id text,
    metadata jsonb,
    user_metadata jsonb,
    version text,
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
-- Name: identities identities_pkey; Type: CONSTRAINT; Schema: auth; Owner: -
--

ALTER TABLE ONLY auth.identities
    ADD CONSTRAINT identities_pkey PRIMARY KEY (id);

--
-- Name: identities identities_provider_id_provider_unique; Type: CONSTRAINT; Schema: auth; Owner: -
--

ALTER TABLE ONLY auth.identities
    ADD CONSTRAINT identities_provider_id_provider_unique UNIQUE (provider_id, provider);

--
-- Name: users users_phone_key; Type: CONSTRAINT; Schema: auth; Owner: -
--

ALTER TABLE ONLY auth.users
    ADD CONSTRAINT users_phone_key UNIQUE (phone);

--
-- Name: users users_pkey; Type: CONSTRAINT; Schema: auth; Owner: -
--

ALTER TABLE ONLY auth.users
    ADD CONSTRAINT users_pkey PRIMARY KEY (id);

--
-- Name: rate_limits rate_limits_pkey; Type: CONSTRAINT; Schema: private; Owner: -
--

ALTER TABLE ONLY private.rate_limits
    ADD CONSTRAINT rate_limits_pkey PRIMARY KEY (user_id, window_start);

--
-- Name: system_logs system_logs_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.system_logs
    ADD CONSTRAINT system_logs_pkey PRIMARY KEY (warehouse_id, id, created_at);

--
-- Name: system_logs_default system_logs_default_pkey; Type: CONSTRAINT; Schema: private; Owner: -
--

ALTER TABLE ONLY private.system_logs_default
    ADD CONSTRAINT system_logs_default_pkey PRIMARY KEY (warehouse_id, id, created_at);

--
-- Name: wo_completions wo_completions_pkey; Type: CONSTRAINT; Schema: private; Owner: -
--

ALTER TABLE ONLY private.wo_completions
    ADD CONSTRAINT wo_completions_pkey PRIMARY KEY (warehouse_id, work_order_id);

--
-- Name: wo_number_counters wo_number_counters_pkey; Type: CONSTRAINT; Schema: private; Owner: -
--

ALTER TABLE ONLY private.wo_number_counters
    ADD CONSTRAINT wo_number_counters_pkey PRIMARY KEY (warehouse_id, day);

--
-- Name: contractors contractors_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.contractors
    ADD CONSTRAINT contractors_pkey PRIMARY KEY (warehouse_id, id);

--
-- Name: contractors contractors_warehouse_id_profile_id_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.contractors
    ADD CONSTRAINT contractors_warehouse_id_profile_id_key UNIQUE (warehouse_id, profile_id);

--
-- Name: equipment_maintenance_history equipment_maintenance_history_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.equipment_maintenance_history
    ADD CONSTRAINT equipment_maintenance_history_pkey PRIMARY KEY (warehouse_id, id);

--
-- Name: equipment equipment_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.equipment
    ADD CONSTRAINT equipment_pkey PRIMARY KEY (warehouse_id, id);

--
-- Name: equipment equipment_warehouse_id_asset_tag_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.equipment
    ADD CONSTRAINT equipment_warehouse_id_asset_tag_key UNIQUE (warehouse_id, asset_tag);

--
-- Name: escalation_rules escalation_rules_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.escalation_rules
    ADD CONSTRAINT escalation_rules_pkey PRIMARY KEY (warehouse_id, id);

--
-- Name: escalation_rules escalation_rules_warehouse_id_priority_level_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.escalation_rules
    ADD CONSTRAINT escalation_rules_warehouse_id_priority_level_key UNIQUE (warehouse_id, priority, level);

--
-- Name: notification_settings notification_settings_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.notification_settings
    ADD CONSTRAINT notification_settings_pkey PRIMARY KEY (warehouse_id, id);

--
-- Name: notification_settings notification_settings_user_id_warehouse_id_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.notification_settings
    ADD CONSTRAINT notification_settings_user_id_warehouse_id_key UNIQUE (user_id, warehouse_id);

--
-- Name: notifications notifications_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.notifications
    ADD CONSTRAINT notifications_pkey PRIMARY KEY (warehouse_id, id);

--
-- Name: part_transactions part_transactions_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.part_transactions
    ADD CONSTRAINT part_transactions_pkey PRIMARY KEY (warehouse_id, id);

--
-- Name: parts parts_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.parts
    ADD CONSTRAINT parts_pkey PRIMARY KEY (warehouse_id, id);

--
-- Name: parts parts_warehouse_id_part_number_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.parts
    ADD CONSTRAINT parts_warehouse_id_part_number_key UNIQUE (warehouse_id, part_number);

--
-- Name: pm_schedules pm_schedules_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.pm_schedules
    ADD CONSTRAINT pm_schedules_pkey PRIMARY KEY (warehouse_id, id);

--
-- Name: pm_template_checklist pm_template_checklist_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.pm_template_checklist
    ADD CONSTRAINT pm_template_checklist_pkey PRIMARY KEY (warehouse_id, id);

--
-- Name: pm_templates pm_templates_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.pm_templates
    ADD CONSTRAINT pm_templates_pkey PRIMARY KEY (warehouse_id, id);

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
    ADD CONSTRAINT system_settings_pkey PRIMARY KEY (warehouse_id, id);

--
-- Name: system_settings system_settings_warehouse_id_key_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.system_settings
    ADD CONSTRAINT system_settings_warehouse_id_key_key UNIQUE (warehouse_id, key);

--
-- Name: user_warehouse_access user_warehouse_access_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.user_warehouse_access
    ADD CONSTRAINT user_warehouse_access_pkey PRIMARY KEY (warehouse_id, id);

--
-- Name: user_warehouse_access user_warehouse_access_user_id_warehouse_id_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.user_warehouse_access
    ADD CONSTRAINT user_warehouse_access_user_id_warehouse_id_key UNIQUE (user_id, warehouse_id);

--
-- Name: vendors vendors_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.vendors
    ADD CONSTRAINT vendors_pkey PRIMARY KEY (warehouse_id, id);

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
    ADD CONSTRAINT wo_attachments_pkey PRIMARY KEY (warehouse_id, id);

--
-- Name: wo_attachments wo_attachments_storage_path_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.wo_attachments
    ADD CONSTRAINT wo_attachments_storage_path_key UNIQUE (warehouse_id, storage_path);

--
-- Name: wo_checklist_items wo_checklist_items_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.wo_checklist_items
    ADD CONSTRAINT wo_checklist_items_pkey PRIMARY KEY (warehouse_id, id);

--
-- Name: wo_parts_used wo_parts_used_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.wo_parts_used
    ADD CONSTRAINT wo_parts_used_pkey PRIMARY KEY (warehouse_id, id);

--
-- Name: wo_time_logs wo_time_logs_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.wo_time_logs
    ADD CONSTRAINT wo_time_logs_pkey PRIMARY KEY (warehouse_id, id);

--
-- Name: work_order_assignees work_order_assignees_once; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.work_order_assignees
    ADD CONSTRAINT work_order_assignees_once UNIQUE (warehouse_id, work_order_id, user_id);

--
-- Name: work_order_assignees work_order_assignees_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.work_order_assignees
    ADD CONSTRAINT work_order_assignees_pkey PRIMARY KEY (warehouse_id, id);

--
-- Name: work_orders work_orders_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.work_orders
    ADD CONSTRAINT work_orders_pkey PRIMARY KEY (warehouse_id, id);

--
-- Name: work_orders work_orders_pm_schedule_id_pm_due_date_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.work_orders
    ADD CONSTRAINT work_orders_pm_schedule_id_pm_due_date_key UNIQUE (warehouse_id, pm_schedule_id, pm_due_date);

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
-- Name: identities_user_id_idx; Type: INDEX; Schema: auth; Owner: -
--

CREATE INDEX identities_user_id_idx ON auth.identities USING btree (user_id);

--
-- Name: users_email_partial_key; Type: INDEX; Schema: auth; Owner: -
--

CREATE UNIQUE INDEX users_email_partial_key ON auth.users USING btree (email) WHERE (is_sso_user = false);

--
-- Name: users_instance_id_idx; Type: INDEX; Schema: auth; Owner: -
--

CREATE INDEX users_instance_id_idx ON auth.users USING btree (instance_id);

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
-- Name: contractors_id_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX contractors_id_idx ON public.contractors USING btree (id);

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
-- Name: equipment_id_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX equipment_id_idx ON public.equipment USING btree (id);

--
-- Name: equipment_maintenance_history_id_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX equipment_maintenance_history_id_idx ON public.equipment_maintenance_history USING btree (id);

--
-- Name: equipment_parent_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX equipment_parent_idx ON public.equipment USING btree (warehouse_id, parent_equipment_id);

--
-- Name: equipment_status_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX equipment_status_idx ON public.equipment USING btree (warehouse_id, status);

--
-- Name: escalation_rules_id_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX escalation_rules_id_idx ON public.escalation_rules USING btree (id);

--
-- Name: notification_settings_id_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX notification_settings_id_idx ON public.notification_settings USING btree (id);

--
-- Name: notification_settings_warehouse_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX notification_settings_warehouse_idx ON public.notification_settings USING btree (warehouse_id);

--
-- Name: notifications_id_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX notifications_id_idx ON public.notifications USING btree (id);

--
-- Name: notifications_unread_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX notifications_unread_idx ON public.notifications USING btree (user_id, created_at DESC) WHERE (read_at IS NULL);

--
-- Name: notifications_user_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX notifications_user_idx ON public.notifications USING btree (user_id, created_at);

--
-- Name: notifications_wo_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX notifications_wo_idx ON public.notifications USING btree (warehouse_id, work_order_id);

--
-- Name: part_transactions_id_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX part_transactions_id_idx ON public.part_transactions USING btree (id);

--
-- Name: part_transactions_part_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX part_transactions_part_idx ON public.part_transactions USING btree (warehouse_id, part_id, created_at);

--
-- Name: part_transactions_performed_by_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX part_transactions_performed_by_idx ON public.part_transactions USING btree (performed_by);

--
-- Name: part_transactions_reference_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX part_transactions_reference_idx ON public.part_transactions USING btree (part_id, type, reference) WHERE (reference IS NOT NULL);

--
-- Name: part_transactions_wo_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX part_transactions_wo_idx ON public.part_transactions USING btree (warehouse_id, work_order_id);

--
-- Name: parts_id_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX parts_id_idx ON public.parts USING btree (id);

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
-- Name: pm_schedules_id_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX pm_schedules_id_idx ON public.pm_schedules USING btree (id);

--
-- Name: pm_schedules_template_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX pm_schedules_template_idx ON public.pm_schedules USING btree (warehouse_id, template_id);

--
-- Name: pm_template_checklist_id_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX pm_template_checklist_id_idx ON public.pm_template_checklist USING btree (id);

--
-- Name: pm_template_checklist_template_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX pm_template_checklist_template_idx ON public.pm_template_checklist USING btree (warehouse_id, template_id, "position");

--
-- Name: pm_templates_id_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX pm_templates_id_idx ON public.pm_templates USING btree (id);

--
-- Name: profiles_role_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX profiles_role_idx ON public.profiles USING btree (warehouse_id, role);

--
-- Name: system_settings_id_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX system_settings_id_idx ON public.system_settings USING btree (id);

--
-- Name: user_warehouse_access_granted_by_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX user_warehouse_access_granted_by_idx ON public.user_warehouse_access USING btree (granted_by);

--
-- Name: user_warehouse_access_id_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX user_warehouse_access_id_idx ON public.user_warehouse_access USING btree (id);

--
-- Name: user_warehouse_access_warehouse_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX user_warehouse_access_warehouse_idx ON public.user_warehouse_access USING btree (warehouse_id);

--
-- Name: vendors_id_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX vendors_id_idx ON public.vendors USING btree (id);

--
-- Name: wo_attachments_id_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX wo_attachments_id_idx ON public.wo_attachments USING btree (id);

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
-- Name: wo_checklist_items_id_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX wo_checklist_items_id_idx ON public.wo_checklist_items USING btree (id);

--
-- Name: wo_checklist_items_wo_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX wo_checklist_items_wo_idx ON public.wo_checklist_items USING btree (warehouse_id, work_order_id, "position");

--
-- Name: wo_parts_used_id_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX wo_parts_used_id_idx ON public.wo_parts_used USING btree (id);

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
-- Name: wo_time_logs_id_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX wo_time_logs_id_idx ON public.wo_time_logs USING btree (id);

--
-- Name: wo_time_logs_user_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX wo_time_logs_user_idx ON public.wo_time_logs USING btree (user_id, started_at);

--
-- Name: wo_time_logs_wo_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX wo_time_logs_wo_idx ON public.wo_time_logs USING btree (warehouse_id, work_order_id);

--
-- Name: work_order_assignees_id_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX work_order_assignees_id_idx ON public.work_order_assignees USING btree (id);

--
-- Name: work_order_assignees_user_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX work_order_assignees_user_idx ON public.work_order_assignees USING btree (user_id, wo_created_at DESC, work_order_id DESC);

--
-- Name: work_orders_assigned_to_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX work_orders_assigned_to_idx ON public.work_orders USING gin (assigned_to);

--
-- Name: work_orders_completed_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX work_orders_completed_idx ON public.work_orders USING btree (warehouse_id, completed_at) WHERE (completed_at IS NOT NULL);

--
-- Name: work_orders_created_all_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX work_orders_created_all_idx ON public.work_orders USING btree (created_at, id);

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
-- Name: work_orders_id_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX work_orders_id_idx ON public.work_orders USING btree (id);

--
-- Name: work_orders_open_due_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX work_orders_open_due_idx ON public.work_orders USING btree (warehouse_id, due_date) INCLUDE (estimated_hours, priority, escalation_level) WHERE (status = ANY (ARRAY['requested'::public.wo_status, 'open'::public.wo_status, 'assigned'::public.wo_status, 'in_progress'::public.wo_status, 'on_hold'::public.wo_status]));

--
-- Name: work_orders_pm_schedule_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX work_orders_pm_schedule_idx ON public.work_orders USING btree (warehouse_id, pm_schedule_id);

--
-- Name: work_orders_requested_by_created_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX work_orders_requested_by_created_idx ON public.work_orders USING btree (requested_by, created_at DESC, id DESC);

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
-- Name: bname; Type: INDEX; Schema: storage; Owner: -
--

CREATE UNIQUE INDEX bname ON storage.buckets USING btree (name);

--
-- Name: bucketid_objname; Type: INDEX; Schema: storage; Owner: -
--

CREATE UNIQUE INDEX bucketid_objname ON storage.objects USING btree (bucket_id, name);

--
-- Name: name_prefix_search; Type: INDEX; Schema: storage; Owner: -
--

CREATE INDEX name_prefix_search ON storage.objects USING btree (name text_pattern_ops);

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
-- Name: work_orders trg_50_sync_assignees; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER trg_50_sync_assignees AFTER INSERT OR UPDATE OF assigned_to, created_at, warehouse_id ON public.work_orders FOR EACH ROW EXECUTE FUNCTION private.sync_work_order_assignees();

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
-- Name: identities identities_user_id_fkey; Type: FK CONSTRAINT; Schema: auth; Owner: -
--

ALTER TABLE ONLY auth.identities
    ADD CONSTRAINT identities_user_id_fkey FOREIGN KEY (user_id) REFERENCES auth.users(id) ON DELETE CASCADE;

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
    ADD CONSTRAINT part_transactions_performed_by_fkey FOREIGN KEY (performed_by) REFERENCES public.profiles(id);

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
-- Name: work_order_assignees work_order_assignees_warehouse_id_work_order_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.work_order_assignees
    ADD CONSTRAINT work_order_assignees_warehouse_id_work_order_id_fkey FOREIGN KEY (warehouse_id, work_order_id) REFERENCES public.work_orders(warehouse_id, id) ON UPDATE CASCADE ON DELETE CASCADE;

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
-- Name: contractors; Type: ROW SECURITY; Schema: public; Owner: -
--

ALTER TABLE public.contractors ENABLE ROW LEVEL SECURITY;

--
-- Name: contractors contractors_delete; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY contractors_delete ON public.contractors FOR DELETE TO authenticated USING ((warehouse_id = ANY (( SELECT private.scope_for('{admin,manager}'::public.app_role[]) AS scope_for)::uuid[])));

--
-- Name: contractors contractors_insert; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY contractors_insert ON public.contractors FOR INSERT TO authenticated WITH CHECK ((warehouse_id = ANY (( SELECT private.scope_for('{admin,manager}'::public.app_role[]) AS scope_for)::uuid[])));

--
-- Name: contractors contractors_select; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY contractors_select ON public.contractors FOR SELECT TO authenticated USING (((warehouse_id = ANY (( SELECT private.scope_for('{admin,manager,supervisor}'::public.app_role[]) AS scope_for)::uuid[])) OR ((profile_id = ( SELECT auth.uid() AS uid)) AND (warehouse_id = ANY (( SELECT private.scope_for('{contractor}'::public.app_role[]) AS scope_for)::uuid[])))));

--
-- Name: contractors contractors_update; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY contractors_update ON public.contractors FOR UPDATE TO authenticated USING ((warehouse_id = ANY (( SELECT private.scope_for('{admin,manager}'::public.app_role[]) AS scope_for)::uuid[]))) WITH CHECK ((warehouse_id = ANY (( SELECT private.scope_for('{admin,manager}'::public.app_role[]) AS scope_for)::uuid[])));

--
-- Name: equipment_maintenance_history emh_delete; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY emh_delete ON public.equipment_maintenance_history FOR DELETE TO authenticated USING ((warehouse_id = ANY (( SELECT private.scope_for('{admin,manager}'::public.app_role[]) AS scope_for)::uuid[])));

--
-- Name: equipment_maintenance_history emh_insert; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY emh_insert ON public.equipment_maintenance_history FOR INSERT TO authenticated WITH CHECK ((warehouse_id = ANY (( SELECT private.scope_for('{admin,manager,supervisor}'::public.app_role[]) AS scope_for)::uuid[])));

--
-- Name: equipment_maintenance_history emh_select; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY emh_select ON public.equipment_maintenance_history FOR SELECT TO authenticated USING (((warehouse_id = ANY (( SELECT private.scope_for('{admin,manager,supervisor,technician,inventory_clerk,requester}'::public.app_role[]) AS scope_for)::uuid[])) OR ((equipment_id = ANY (( SELECT private.contractor_equipment_ids() AS contractor_equipment_ids)::uuid[])) AND (warehouse_id = ANY (( SELECT private.scope_for('{contractor}'::public.app_role[]) AS scope_for)::uuid[])))));

--
-- Name: equipment_maintenance_history emh_update; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY emh_update ON public.equipment_maintenance_history FOR UPDATE TO authenticated USING ((warehouse_id = ANY (( SELECT private.scope_for('{admin,manager,supervisor}'::public.app_role[]) AS scope_for)::uuid[]))) WITH CHECK ((warehouse_id = ANY (( SELECT private.scope_for('{admin,manager,supervisor}'::public.app_role[]) AS scope_for)::uuid[])));

--
-- Name: equipment; Type: ROW SECURITY; Schema: public; Owner: -
--

ALTER TABLE public.equipment ENABLE ROW LEVEL SECURITY;

--
-- Name: equipment equipment_delete; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY equipment_delete ON public.equipment FOR DELETE TO authenticated USING ((warehouse_id = ANY (( SELECT private.scope_for('{admin,manager}'::public.app_role[]) AS scope_for)::uuid[])));

--
-- Name: equipment equipment_insert; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY equipment_insert ON public.equipment FOR INSERT TO authenticated WITH CHECK ((warehouse_id = ANY (( SELECT private.scope_for('{admin,manager,supervisor}'::public.app_role[]) AS scope_for)::uuid[])));

--
-- Name: equipment_maintenance_history; Type: ROW SECURITY; Schema: public; Owner: -
--

ALTER TABLE public.equipment_maintenance_history ENABLE ROW LEVEL SECURITY;

--
-- Name: equipment equipment_select; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY equipment_select ON public.equipment FOR SELECT TO authenticated USING (((warehouse_id = ANY (( SELECT private.scope_for('{admin,manager,supervisor,technician,inventory_clerk,requester}'::public.app_role[]) AS scope_for)::uuid[])) OR ((id = ANY (( SELECT private.contractor_equipment_ids() AS contractor_equipment_ids)::uuid[])) AND (warehouse_id = ANY (( SELECT private.scope_for('{contractor}'::public.app_role[]) AS scope_for)::uuid[])))));

--
-- Name: equipment equipment_update; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY equipment_update ON public.equipment FOR UPDATE TO authenticated USING ((warehouse_id = ANY (( SELECT private.scope_for('{admin,manager,supervisor}'::public.app_role[]) AS scope_for)::uuid[]))) WITH CHECK ((warehouse_id = ANY (( SELECT private.scope_for('{admin,manager,supervisor}'::public.app_role[]) AS scope_for)::uuid[])));

--
-- Name: escalation_rules; Type: ROW SECURITY; Schema: public; Owner: -
--

ALTER TABLE public.escalation_rules ENABLE ROW LEVEL SECURITY;

--
-- Name: escalation_rules escalation_rules_delete; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY escalation_rules_delete ON public.escalation_rules FOR DELETE TO authenticated USING ((warehouse_id = ANY (( SELECT private.scope_for('{admin,manager}'::public.app_role[]) AS scope_for)::uuid[])));

--
-- Name: escalation_rules escalation_rules_insert; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY escalation_rules_insert ON public.escalation_rules FOR INSERT TO authenticated WITH CHECK ((warehouse_id = ANY (( SELECT private.scope_for('{admin,manager}'::public.app_role[]) AS scope_for)::uuid[])));

--
-- Name: escalation_rules escalation_rules_select; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY escalation_rules_select ON public.escalation_rules FOR SELECT TO authenticated USING ((warehouse_id = ANY (( SELECT private.scope_for('{admin,manager,supervisor}'::public.app_role[]) AS scope_for)::uuid[])));

--
-- Name: escalation_rules escalation_rules_update; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY escalation_rules_update ON public.escalation_rules FOR UPDATE TO authenticated USING ((warehouse_id = ANY (( SELECT private.scope_for('{admin,manager}'::public.app_role[]) AS scope_for)::uuid[]))) WITH CHECK ((warehouse_id = ANY (( SELECT private.scope_for('{admin,manager}'::public.app_role[]) AS scope_for)::uuid[])));

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

CREATE POLICY part_transactions_insert ON public.part_transactions FOR INSERT TO authenticated WITH CHECK ((warehouse_id = ANY (( SELECT private.scope_for('{manager,inventory_clerk}'::public.app_role[]) AS scope_for)::uuid[])));

--
-- Name: part_transactions part_transactions_select; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY part_transactions_select ON public.part_transactions FOR SELECT TO authenticated USING ((warehouse_id = ANY (( SELECT private.scope_for('{admin,manager,supervisor,inventory_clerk}'::public.app_role[]) AS scope_for)::uuid[])));

--
-- Name: parts; Type: ROW SECURITY; Schema: public; Owner: -
--

ALTER TABLE public.parts ENABLE ROW LEVEL SECURITY;

--
-- Name: parts parts_delete; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY parts_delete ON public.parts FOR DELETE TO authenticated USING ((warehouse_id = ANY (( SELECT private.scope_for('{admin,manager,inventory_clerk}'::public.app_role[]) AS scope_for)::uuid[])));

--
-- Name: parts parts_insert; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY parts_insert ON public.parts FOR INSERT TO authenticated WITH CHECK ((warehouse_id = ANY (( SELECT private.scope_for('{admin,manager,inventory_clerk}'::public.app_role[]) AS scope_for)::uuid[])));

--
-- Name: parts parts_select; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY parts_select ON public.parts FOR SELECT TO authenticated USING ((warehouse_id = ANY (( SELECT private.scope_for('{admin,manager,inventory_clerk,supervisor,technician}'::public.app_role[]) AS scope_for)::uuid[])));

--
-- Name: parts parts_update; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY parts_update ON public.parts FOR UPDATE TO authenticated USING ((warehouse_id = ANY (( SELECT private.scope_for('{admin,manager,inventory_clerk}'::public.app_role[]) AS scope_for)::uuid[]))) WITH CHECK ((warehouse_id = ANY (( SELECT private.scope_for('{admin,manager,inventory_clerk}'::public.app_role[]) AS scope_for)::uuid[])));

--
-- Name: pm_schedules; Type: ROW SECURITY; Schema: public; Owner: -
--

ALTER TABLE public.pm_schedules ENABLE ROW LEVEL SECURITY;

--
-- Name: pm_schedules pm_schedules_delete; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY pm_schedules_delete ON public.pm_schedules FOR DELETE TO authenticated USING ((warehouse_id = ANY (( SELECT private.scope_for('{admin,manager}'::public.app_role[]) AS scope_for)::uuid[])));

--
-- Name: pm_schedules pm_schedules_insert; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY pm_schedules_insert ON public.pm_schedules FOR INSERT TO authenticated WITH CHECK ((warehouse_id = ANY (( SELECT private.scope_for('{admin,manager,supervisor}'::public.app_role[]) AS scope_for)::uuid[])));

--
-- Name: pm_schedules pm_schedules_select; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY pm_schedules_select ON public.pm_schedules FOR SELECT TO authenticated USING ((warehouse_id = ANY (( SELECT private.scope_for('{admin,manager,supervisor,technician}'::public.app_role[]) AS scope_for)::uuid[])));

--
-- Name: pm_schedules pm_schedules_update; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY pm_schedules_update ON public.pm_schedules FOR UPDATE TO authenticated USING ((warehouse_id = ANY (( SELECT private.scope_for('{admin,manager,supervisor}'::public.app_role[]) AS scope_for)::uuid[]))) WITH CHECK ((warehouse_id = ANY (( SELECT private.scope_for('{admin,manager,supervisor}'::public.app_role[]) AS scope_for)::uuid[])));

--
-- Name: pm_template_checklist; Type: ROW SECURITY; Schema: public; Owner: -
--

ALTER TABLE public.pm_template_checklist ENABLE ROW LEVEL SECURITY;

--
-- Name: pm_template_checklist pm_template_checklist_delete; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY pm_template_checklist_delete ON public.pm_template_checklist FOR DELETE TO authenticated USING ((warehouse_id = ANY (( SELECT private.scope_for('{admin,manager}'::public.app_role[]) AS scope_for)::uuid[])));

--
-- Name: pm_template_checklist pm_template_checklist_insert; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY pm_template_checklist_insert ON public.pm_template_checklist FOR INSERT TO authenticated WITH CHECK ((warehouse_id = ANY (( SELECT private.scope_for('{admin,manager,supervisor}'::public.app_role[]) AS scope_for)::uuid[])));

--
-- Name: pm_template_checklist pm_template_checklist_select; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY pm_template_checklist_select ON public.pm_template_checklist FOR SELECT TO authenticated USING ((warehouse_id = ANY (( SELECT private.scope_for('{admin,manager,supervisor,technician}'::public.app_role[]) AS scope_for)::uuid[])));

--
-- Name: pm_template_checklist pm_template_checklist_update; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY pm_template_checklist_update ON public.pm_template_checklist FOR UPDATE TO authenticated USING ((warehouse_id = ANY (( SELECT private.scope_for('{admin,manager,supervisor}'::public.app_role[]) AS scope_for)::uuid[]))) WITH CHECK ((warehouse_id = ANY (( SELECT private.scope_for('{admin,manager,supervisor}'::public.app_role[]) AS scope_for)::uuid[])));

--
-- Name: pm_templates; Type: ROW SECURITY; Schema: public; Owner: -
--

ALTER TABLE public.pm_templates ENABLE ROW LEVEL SECURITY;

--
-- Name: pm_templates pm_templates_delete; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY pm_templates_delete ON public.pm_templates FOR DELETE TO authenticated USING ((warehouse_id = ANY (( SELECT private.scope_for('{admin,manager}'::public.app_role[]) AS scope_for)::uuid[])));

--
-- Name: pm_templates pm_templates_insert; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY pm_templates_insert ON public.pm_templates FOR INSERT TO authenticated WITH CHECK ((warehouse_id = ANY (( SELECT private.scope_for('{admin,manager,supervisor}'::public.app_role[]) AS scope_for)::uuid[])));

--
-- Name: pm_templates pm_templates_select; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY pm_templates_select ON public.pm_templates FOR SELECT TO authenticated USING ((warehouse_id = ANY (( SELECT private.scope_for('{admin,manager,supervisor,technician}'::public.app_role[]) AS scope_for)::uuid[])));

--
-- Name: pm_templates pm_templates_update; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY pm_templates_update ON public.pm_templates FOR UPDATE TO authenticated USING ((warehouse_id = ANY (( SELECT private.scope_for('{admin,manager,supervisor}'::public.app_role[]) AS scope_for)::uuid[]))) WITH CHECK ((warehouse_id = ANY (( SELECT private.scope_for('{admin,manager,supervisor}'::public.app_role[]) AS scope_for)::uuid[])));

--
-- Name: profiles; Type: ROW SECURITY; Schema: public; Owner: -
--

ALTER TABLE public.profiles ENABLE ROW LEVEL SECURITY;

--
-- Name: profiles profiles_delete; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY profiles_delete ON public.profiles FOR DELETE TO authenticated USING ((warehouse_id = ANY (( SELECT private.scope_for('{admin}'::public.app_role[]) AS scope_for)::uuid[])));

--
-- Name: profiles profiles_insert; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY profiles_insert ON public.profiles FOR INSERT TO authenticated WITH CHECK (((warehouse_id = ANY (( SELECT private.scope_for('{admin}'::public.app_role[]) AS scope_for)::uuid[])) OR ((role <> 'admin'::public.app_role) AND (warehouse_id = ANY (( SELECT private.scope_for('{manager}'::public.app_role[]) AS scope_for)::uuid[])))));

--
-- Name: profiles profiles_select; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY profiles_select ON public.profiles FOR SELECT TO authenticated USING (((warehouse_id = ANY (( SELECT private.scope_for('{admin,manager,supervisor,technician,inventory_clerk}'::public.app_role[]) AS scope_for)::uuid[])) OR ((id = ( SELECT auth.uid() AS uid)) AND (warehouse_id = ANY (( SELECT private.scope_for('{contractor,requester}'::public.app_role[]) AS scope_for)::uuid[])))));

--
-- Name: profiles profiles_update; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY profiles_update ON public.profiles FOR UPDATE TO authenticated USING (((warehouse_id = ANY (( SELECT private.scope_for('{admin}'::public.app_role[]) AS scope_for)::uuid[])) OR ((role <> 'admin'::public.app_role) AND (warehouse_id = ANY (( SELECT private.scope_for('{manager}'::public.app_role[]) AS scope_for)::uuid[]))) OR (id = ( SELECT auth.uid() AS uid)))) WITH CHECK (((warehouse_id = ANY (( SELECT private.scope_for('{admin}'::public.app_role[]) AS scope_for)::uuid[])) OR ((role <> 'admin'::public.app_role) AND (warehouse_id = ANY (( SELECT private.scope_for('{manager}'::public.app_role[]) AS scope_for)::uuid[]))) OR (id = ( SELECT auth.uid() AS uid))));

--
-- Name: system_logs; Type: ROW SECURITY; Schema: public; Owner: -
--

ALTER TABLE public.system_logs ENABLE ROW LEVEL SECURITY;

--
-- Name: system_logs system_logs_select; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY system_logs_select ON public.system_logs FOR SELECT TO authenticated USING ((warehouse_id = ANY (( SELECT private.scope_for('{admin,manager}'::public.app_role[]) AS scope_for)::uuid[])));

--
-- Name: system_settings; Type: ROW SECURITY; Schema: public; Owner: -
--

ALTER TABLE public.system_settings ENABLE ROW LEVEL SECURITY;

--
-- Name: system_settings system_settings_insert; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY system_settings_insert ON public.system_settings FOR INSERT TO authenticated WITH CHECK ((warehouse_id = ANY (( SELECT private.scope_for('{admin}'::public.app_role[]) AS scope_for)::uuid[])));

--
-- Name: system_settings system_settings_select; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY system_settings_select ON public.system_settings FOR SELECT TO authenticated USING ((warehouse_id = ANY (( SELECT private.scope_for('{admin,manager,supervisor,technician,inventory_clerk}'::public.app_role[]) AS scope_for)::uuid[])));

--
-- Name: system_settings system_settings_update; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY system_settings_update ON public.system_settings FOR UPDATE TO authenticated USING (((warehouse_id = ANY (( SELECT private.scope_for('{admin}'::public.app_role[]) AS scope_for)::uuid[])) OR (('manager'::public.app_role = ANY (editable_by_role)) AND (warehouse_id = ANY (( SELECT private.scope_for('{manager}'::public.app_role[]) AS scope_for)::uuid[]))))) WITH CHECK (((warehouse_id = ANY (( SELECT private.scope_for('{admin}'::public.app_role[]) AS scope_for)::uuid[])) OR (('manager'::public.app_role = ANY (editable_by_role)) AND (warehouse_id = ANY (( SELECT private.scope_for('{manager}'::public.app_role[]) AS scope_for)::uuid[])))));

--
-- Name: user_warehouse_access; Type: ROW SECURITY; Schema: public; Owner: -
--

ALTER TABLE public.user_warehouse_access ENABLE ROW LEVEL SECURITY;

--
-- Name: user_warehouse_access uwa_delete; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY uwa_delete ON public.user_warehouse_access FOR DELETE TO authenticated USING ((warehouse_id = ANY (( SELECT private.scope_for('{admin}'::public.app_role[]) AS scope_for)::uuid[])));

--
-- Name: user_warehouse_access uwa_insert; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY uwa_insert ON public.user_warehouse_access FOR INSERT TO authenticated WITH CHECK ((warehouse_id = ANY (( SELECT private.scope_for('{admin}'::public.app_role[]) AS scope_for)::uuid[])));

--
-- Name: user_warehouse_access uwa_select; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY uwa_select ON public.user_warehouse_access FOR SELECT TO authenticated USING (((warehouse_id = ANY (( SELECT private.scope_for('{admin}'::public.app_role[]) AS scope_for)::uuid[])) OR ((user_id = ( SELECT auth.uid() AS uid)) AND (warehouse_id = ANY (( SELECT private.scope_for('{manager}'::public.app_role[]) AS scope_for)::uuid[])))));

--
-- Name: user_warehouse_access uwa_update; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY uwa_update ON public.user_warehouse_access FOR UPDATE TO authenticated USING ((warehouse_id = ANY (( SELECT private.scope_for('{admin}'::public.app_role[]) AS scope_for)::uuid[]))) WITH CHECK ((warehouse_id = ANY (( SELECT private.scope_for('{admin}'::public.app_role[]) AS scope_for)::uuid[])));

--
-- Name: vendors; Type: ROW SECURITY; Schema: public; Owner: -
--

ALTER TABLE public.vendors ENABLE ROW LEVEL SECURITY;

--
-- Name: vendors vendors_delete; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY vendors_delete ON public.vendors FOR DELETE TO authenticated USING ((warehouse_id = ANY (( SELECT private.scope_for('{admin,manager}'::public.app_role[]) AS scope_for)::uuid[])));

--
-- Name: vendors vendors_insert; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY vendors_insert ON public.vendors FOR INSERT TO authenticated WITH CHECK ((warehouse_id = ANY (( SELECT private.scope_for('{admin,manager,inventory_clerk}'::public.app_role[]) AS scope_for)::uuid[])));

--
-- Name: vendors vendors_select; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY vendors_select ON public.vendors FOR SELECT TO authenticated USING ((warehouse_id = ANY (( SELECT private.scope_for('{admin,manager,supervisor,inventory_clerk}'::public.app_role[]) AS scope_for)::uuid[])));

--
-- Name: vendors vendors_update; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY vendors_update ON public.vendors FOR UPDATE TO authenticated USING ((warehouse_id = ANY (( SELECT private.scope_for('{admin,manager,inventory_clerk}'::public.app_role[]) AS scope_for)::uuid[]))) WITH CHECK ((warehouse_id = ANY (( SELECT private.scope_for('{admin,manager,inventory_clerk}'::public.app_role[]) AS scope_for)::uuid[])));

--
-- Name: warehouses; Type: ROW SECURITY; Schema: public; Owner: -
--

ALTER TABLE public.warehouses ENABLE ROW LEVEL SECURITY;

--
-- Name: warehouses warehouses_delete; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY warehouses_delete ON public.warehouses FOR DELETE TO authenticated USING ((id = ANY (( SELECT private.scope_for('{admin}'::public.app_role[]) AS scope_for)::uuid[])));

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

CREATE POLICY warehouses_update ON public.warehouses FOR UPDATE TO authenticated USING ((id = ANY (( SELECT private.scope_for('{admin}'::public.app_role[]) AS scope_for)::uuid[]))) WITH CHECK ((( SELECT private."current_role"() AS "current_role") = 'admin'::public.app_role));

--
-- Name: wo_attachments; Type: ROW SECURITY; Schema: public; Owner: -
--

ALTER TABLE public.wo_attachments ENABLE ROW LEVEL SECURITY;

--
-- Name: wo_attachments wo_attachments_delete; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY wo_attachments_delete ON public.wo_attachments FOR DELETE TO authenticated USING ((warehouse_id = ANY (( SELECT private.scope_for('{admin,manager}'::public.app_role[]) AS scope_for)::uuid[])));

--
-- Name: wo_attachments wo_attachments_insert; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY wo_attachments_insert ON public.wo_attachments FOR INSERT TO authenticated WITH CHECK (((warehouse_id = ANY (( SELECT private.scope_for('{admin,manager,supervisor}'::public.app_role[]) AS scope_for)::uuid[])) OR ((warehouse_id = ANY (( SELECT private.scope_for('{technician,contractor}'::public.app_role[]) AS scope_for)::uuid[])) AND (EXISTS ( SELECT 1
   FROM public.work_orders w
  WHERE ((w.id = wo_attachments.work_order_id) AND (w.assigned_to @> ARRAY[( SELECT auth.uid() AS uid)])))))));

--
-- Name: wo_attachments wo_attachments_select; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY wo_attachments_select ON public.wo_attachments FOR SELECT TO authenticated USING (((warehouse_id = ANY (( SELECT private.scope_for('{admin,manager,supervisor,inventory_clerk}'::public.app_role[]) AS scope_for)::uuid[])) OR private.has_wo_access(work_order_id)));

--
-- Name: wo_attachments wo_attachments_update; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY wo_attachments_update ON public.wo_attachments FOR UPDATE TO authenticated USING (((warehouse_id = ANY (( SELECT private.scope_for('{admin,manager,supervisor}'::public.app_role[]) AS scope_for)::uuid[])) OR ((warehouse_id = ANY (( SELECT private.scope_for('{technician,contractor}'::public.app_role[]) AS scope_for)::uuid[])) AND (EXISTS ( SELECT 1
   FROM public.work_orders w
  WHERE ((w.id = wo_attachments.work_order_id) AND (w.assigned_to @> ARRAY[( SELECT auth.uid() AS uid)]))))))) WITH CHECK (((warehouse_id = ANY (( SELECT private.scope_for('{admin,manager,supervisor}'::public.app_role[]) AS scope_for)::uuid[])) OR ((warehouse_id = ANY (( SELECT private.scope_for('{technician,contractor}'::public.app_role[]) AS scope_for)::uuid[])) AND (EXISTS ( SELECT 1
   FROM public.work_orders w
  WHERE ((w.id = wo_attachments.work_order_id) AND (w.assigned_to @> ARRAY[( SELECT auth.uid() AS uid)])))))));

--
-- Name: wo_checklist_items; Type: ROW SECURITY; Schema: public; Owner: -
--

ALTER TABLE public.wo_checklist_items ENABLE ROW LEVEL SECURITY;

--
-- Name: wo_checklist_items wo_checklist_items_delete; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY wo_checklist_items_delete ON public.wo_checklist_items FOR DELETE TO authenticated USING ((warehouse_id = ANY (( SELECT private.scope_for('{admin,manager}'::public.app_role[]) AS scope_for)::uuid[])));

--
-- Name: wo_checklist_items wo_checklist_items_insert; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY wo_checklist_items_insert ON public.wo_checklist_items FOR INSERT TO authenticated WITH CHECK (((warehouse_id = ANY (( SELECT private.scope_for('{admin,manager,supervisor}'::public.app_role[]) AS scope_for)::uuid[])) OR ((warehouse_id = ANY (( SELECT private.scope_for('{technician,contractor}'::public.app_role[]) AS scope_for)::uuid[])) AND (EXISTS ( SELECT 1
   FROM public.work_orders w
  WHERE ((w.id = wo_checklist_items.work_order_id) AND (w.assigned_to @> ARRAY[( SELECT auth.uid() AS uid)])))))));

--
-- Name: wo_checklist_items wo_checklist_items_select; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY wo_checklist_items_select ON public.wo_checklist_items FOR SELECT TO authenticated USING (((warehouse_id = ANY (( SELECT private.scope_for('{admin,manager,supervisor,inventory_clerk}'::public.app_role[]) AS scope_for)::uuid[])) OR private.has_wo_access(work_order_id)));

--
-- Name: wo_checklist_items wo_checklist_items_update; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY wo_checklist_items_update ON public.wo_checklist_items FOR UPDATE TO authenticated USING (((warehouse_id = ANY (( SELECT private.scope_for('{admin,manager,supervisor}'::public.app_role[]) AS scope_for)::uuid[])) OR ((warehouse_id = ANY (( SELECT private.scope_for('{technician,contractor}'::public.app_role[]) AS scope_for)::uuid[])) AND (EXISTS ( SELECT 1
   FROM public.work_orders w
  WHERE ((w.id = wo_checklist_items.work_order_id) AND (w.assigned_to @> ARRAY[( SELECT auth.uid() AS uid)]))))))) WITH CHECK (((warehouse_id = ANY (( SELECT private.scope_for('{admin,manager,supervisor}'::public.app_role[]) AS scope_for)::uuid[])) OR ((warehouse_id = ANY (( SELECT private.scope_for('{technician,contractor}'::public.app_role[]) AS scope_for)::uuid[])) AND (EXISTS ( SELECT 1
   FROM public.work_orders w
  WHERE ((w.id = wo_checklist_items.work_order_id) AND (w.assigned_to @> ARRAY[( SELECT auth.uid() AS uid)])))))));

--
-- Name: wo_parts_used; Type: ROW SECURITY; Schema: public; Owner: -
--

ALTER TABLE public.wo_parts_used ENABLE ROW LEVEL SECURITY;

--
-- Name: wo_parts_used wo_parts_used_delete; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY wo_parts_used_delete ON public.wo_parts_used FOR DELETE TO authenticated USING ((warehouse_id = ANY (( SELECT private.scope_for('{admin,manager}'::public.app_role[]) AS scope_for)::uuid[])));

--
-- Name: wo_parts_used wo_parts_used_insert; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY wo_parts_used_insert ON public.wo_parts_used FOR INSERT TO authenticated WITH CHECK (((warehouse_id = ANY (( SELECT private.scope_for('{admin,manager,supervisor}'::public.app_role[]) AS scope_for)::uuid[])) OR ((warehouse_id = ANY (( SELECT private.scope_for('{technician,contractor}'::public.app_role[]) AS scope_for)::uuid[])) AND (EXISTS ( SELECT 1
   FROM public.work_orders w
  WHERE ((w.id = wo_parts_used.work_order_id) AND (w.assigned_to @> ARRAY[( SELECT auth.uid() AS uid)])))))));

--
-- Name: wo_parts_used wo_parts_used_select; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY wo_parts_used_select ON public.wo_parts_used FOR SELECT TO authenticated USING (((warehouse_id = ANY (( SELECT private.scope_for('{admin,manager,supervisor,inventory_clerk}'::public.app_role[]) AS scope_for)::uuid[])) OR private.has_wo_access(work_order_id)));

--
-- Name: wo_parts_used wo_parts_used_update; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY wo_parts_used_update ON public.wo_parts_used FOR UPDATE TO authenticated USING (((warehouse_id = ANY (( SELECT private.scope_for('{admin,manager,supervisor}'::public.app_role[]) AS scope_for)::uuid[])) OR ((warehouse_id = ANY (( SELECT private.scope_for('{technician,contractor}'::public.app_role[]) AS scope_for)::uuid[])) AND (EXISTS ( SELECT 1
   FROM public.work_orders w
  WHERE ((w.id = wo_parts_used.work_order_id) AND (w.assigned_to @> ARRAY[( SELECT auth.uid() AS uid)]))))))) WITH CHECK (((warehouse_id = ANY (( SELECT private.scope_for('{admin,manager,supervisor}'::public.app_role[]) AS scope_for)::uuid[])) OR ((warehouse_id = ANY (( SELECT private.scope_for('{technician,contractor}'::public.app_role[]) AS scope_for)::uuid[])) AND (EXISTS ( SELECT 1
   FROM public.work_orders w
  WHERE ((w.id = wo_parts_used.work_order_id) AND (w.assigned_to @> ARRAY[( SELECT auth.uid() AS uid)])))))));

--
-- Name: wo_time_logs; Type: ROW SECURITY; Schema: public; Owner: -
--

ALTER TABLE public.wo_time_logs ENABLE ROW LEVEL SECURITY;

--
-- Name: wo_time_logs wo_time_logs_delete; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY wo_time_logs_delete ON public.wo_time_logs FOR DELETE TO authenticated USING ((warehouse_id = ANY (( SELECT private.scope_for('{admin,manager}'::public.app_role[]) AS scope_for)::uuid[])));

--
-- Name: wo_time_logs wo_time_logs_insert; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY wo_time_logs_insert ON public.wo_time_logs FOR INSERT TO authenticated WITH CHECK (((warehouse_id = ANY (( SELECT private.scope_for('{admin,manager,supervisor}'::public.app_role[]) AS scope_for)::uuid[])) OR ((warehouse_id = ANY (( SELECT private.scope_for('{technician,contractor}'::public.app_role[]) AS scope_for)::uuid[])) AND (user_id = ( SELECT auth.uid() AS uid)) AND (EXISTS ( SELECT 1
   FROM public.work_orders w
  WHERE ((w.id = wo_time_logs.work_order_id) AND (w.assigned_to @> ARRAY[( SELECT auth.uid() AS uid)])))))));

--
-- Name: wo_time_logs wo_time_logs_select; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY wo_time_logs_select ON public.wo_time_logs FOR SELECT TO authenticated USING (((warehouse_id = ANY (( SELECT private.scope_for('{admin,manager,supervisor,inventory_clerk}'::public.app_role[]) AS scope_for)::uuid[])) OR private.has_wo_access(work_order_id)));

--
-- Name: wo_time_logs wo_time_logs_update; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY wo_time_logs_update ON public.wo_time_logs FOR UPDATE TO authenticated USING (((warehouse_id = ANY (( SELECT private.scope_for('{admin,manager,supervisor}'::public.app_role[]) AS scope_for)::uuid[])) OR ((warehouse_id = ANY (( SELECT private.scope_for('{technician,contractor}'::public.app_role[]) AS scope_for)::uuid[])) AND (user_id = ( SELECT auth.uid() AS uid)) AND (EXISTS ( SELECT 1
   FROM public.work_orders w
  WHERE ((w.id = wo_time_logs.work_order_id) AND (w.assigned_to @> ARRAY[( SELECT auth.uid() AS uid)]))))))) WITH CHECK (((warehouse_id = ANY (( SELECT private.scope_for('{admin,manager,supervisor}'::public.app_role[]) AS scope_for)::uuid[])) OR ((warehouse_id = ANY (( SELECT private.scope_for('{technician,contractor}'::public.app_role[]) AS scope_for)::uuid[])) AND (user_id = ( SELECT auth.uid() AS uid)) AND (EXISTS ( SELECT 1
   FROM public.work_orders w
  WHERE ((w.id = wo_time_logs.work_order_id) AND (w.assigned_to @> ARRAY[( SELECT auth.uid() AS uid)])))))));

--
-- Name: work_order_assignees; Type: ROW SECURITY; Schema: public; Owner: -
--

ALTER TABLE public.work_order_assignees ENABLE ROW LEVEL SECURITY;

--
-- Name: work_order_assignees work_order_assignees_select; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY work_order_assignees_select ON public.work_order_assignees FOR SELECT TO authenticated USING ((((user_id = ( SELECT private.uid_for('{technician,contractor}'::public.app_role[]) AS uid_for)) AND (warehouse_id = ANY (( SELECT private.scope_for('{technician,contractor}'::public.app_role[]) AS scope_for)::uuid[]))) OR (warehouse_id = ANY (( SELECT private.scope_for('{admin,manager,supervisor,inventory_clerk}'::public.app_role[]) AS scope_for)::uuid[])) OR private.has_wo_access(work_order_id)));

--
-- Name: work_orders; Type: ROW SECURITY; Schema: public; Owner: -
--

ALTER TABLE public.work_orders ENABLE ROW LEVEL SECURITY;

--
-- Name: work_orders work_orders_delete; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY work_orders_delete ON public.work_orders FOR DELETE TO authenticated USING ((warehouse_id = ANY (( SELECT private.scope_for('{admin,manager}'::public.app_role[]) AS scope_for)::uuid[])));

--
-- Name: work_orders work_orders_insert; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY work_orders_insert ON public.work_orders FOR INSERT TO authenticated WITH CHECK (((warehouse_id = ANY (( SELECT private.scope_for('{admin,manager,supervisor}'::public.app_role[]) AS scope_for)::uuid[])) OR ((warehouse_id = ANY (( SELECT private.scope_for('{technician,requester}'::public.app_role[]) AS scope_for)::uuid[])) AND (status = 'requested'::public.wo_status) AND (requested_by = ( SELECT auth.uid() AS uid)))));

--
-- Name: work_orders work_orders_select; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY work_orders_select ON public.work_orders FOR SELECT TO authenticated USING (((warehouse_id = ANY (( SELECT private.scope_for('{admin,manager,supervisor,inventory_clerk}'::public.app_role[]) AS scope_for)::uuid[])) OR ((warehouse_id = ANY (( SELECT private.scope_for('{technician,contractor,requester}'::public.app_role[]) AS scope_for)::uuid[])) AND ((assigned_to @> ARRAY[( SELECT private.uid_for('{technician,contractor}'::public.app_role[]) AS uid_for)]) OR (requested_by = ( SELECT private.uid_for('{technician,requester}'::public.app_role[]) AS uid_for))))));

--
-- Name: work_orders work_orders_update; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY work_orders_update ON public.work_orders FOR UPDATE TO authenticated USING (((warehouse_id = ANY (( SELECT private.scope_for('{admin,manager,supervisor}'::public.app_role[]) AS scope_for)::uuid[])) OR ((warehouse_id = ANY (( SELECT private.scope_for('{technician,contractor,requester}'::public.app_role[]) AS scope_for)::uuid[])) AND ((assigned_to @> ARRAY[( SELECT private.uid_for('{technician,contractor}'::public.app_role[]) AS uid_for)]) OR ((requested_by = ( SELECT private.uid_for('{technician,requester}'::public.app_role[]) AS uid_for)) AND (status = 'requested'::public.wo_status)))))) WITH CHECK (((warehouse_id = ANY (( SELECT private.scope_for('{admin,manager,supervisor}'::public.app_role[]) AS scope_for)::uuid[])) OR ((warehouse_id = ANY (( SELECT private.scope_for('{technician,contractor,requester}'::public.app_role[]) AS scope_for)::uuid[])) AND ((assigned_to @> ARRAY[( SELECT private.uid_for('{technician,contractor}'::public.app_role[]) AS uid_for)]) OR (requested_by = ( SELECT private.uid_for('{technician,requester}'::public.app_role[]) AS uid_for))))));

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
GRANT USAGE ON SCHEMA auth TO postgres;
GRANT USAGE ON SCHEMA auth TO dashboard_user;

--
-- Name: SCHEMA extensions; Type: ACL; Schema: -; Owner: -
--

GRANT USAGE ON SCHEMA extensions TO anon;
GRANT USAGE ON SCHEMA extensions TO authenticated;
GRANT USAGE ON SCHEMA extensions TO service_role;
GRANT USAGE ON SCHEMA extensions TO dashboard_user;

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
GRANT USAGE ON SCHEMA public TO postgres;
GRANT USAGE ON SCHEMA public TO dashboard_user;

--
-- Name: SCHEMA storage; Type: ACL; Schema: -; Owner: -
--

GRANT USAGE ON SCHEMA storage TO anon;
GRANT USAGE ON SCHEMA storage TO authenticated;
GRANT USAGE ON SCHEMA storage TO service_role;
GRANT USAGE ON SCHEMA storage TO postgres;
GRANT USAGE ON SCHEMA storage TO dashboard_user;

--
-- Name: FUNCTION api_actor(OUT uid uuid, OUT role public.app_role, OUT trusted boolean, OUT scope uuid[]); Type: ACL; Schema: private; Owner: -
--

REVOKE ALL ON FUNCTION private.api_actor(OUT uid uuid, OUT role public.app_role, OUT trusted boolean, OUT scope uuid[]) FROM PUBLIC;
GRANT ALL ON FUNCTION private.api_actor(OUT uid uuid, OUT role public.app_role, OUT trusted boolean, OUT scope uuid[]) TO authenticated;
GRANT ALL ON FUNCTION private.api_actor(OUT uid uuid, OUT role public.app_role, OUT trusted boolean, OUT scope uuid[]) TO service_role;

--
-- Name: FUNCTION append_note(p_notes text, p_status text, p_note text); Type: ACL; Schema: private; Owner: -
--

REVOKE ALL ON FUNCTION private.append_note(p_notes text, p_status text, p_note text) FROM PUBLIC;
GRANT ALL ON FUNCTION private.append_note(p_notes text, p_status text, p_note text) TO authenticated;
GRANT ALL ON FUNCTION private.append_note(p_notes text, p_status text, p_note text) TO service_role;

--
-- Name: FUNCTION append_only_guard(); Type: ACL; Schema: private; Owner: -
--

REVOKE ALL ON FUNCTION private.append_only_guard() FROM PUBLIC;

--
-- Name: FUNCTION assignees_arg(p_assignees uuid[]); Type: ACL; Schema: private; Owner: -
--

REVOKE ALL ON FUNCTION private.assignees_arg(p_assignees uuid[]) FROM PUBLIC;
GRANT ALL ON FUNCTION private.assignees_arg(p_assignees uuid[]) TO authenticated;
GRANT ALL ON FUNCTION private.assignees_arg(p_assignees uuid[]) TO service_role;

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
-- Name: FUNCTION bulk_receive_parts_impl(p_items jsonb); Type: ACL; Schema: private; Owner: -
--

REVOKE ALL ON FUNCTION private.bulk_receive_parts_impl(p_items jsonb) FROM PUBLIC;
GRANT ALL ON FUNCTION private.bulk_receive_parts_impl(p_items jsonb) TO authenticated;
GRANT ALL ON FUNCTION private.bulk_receive_parts_impl(p_items jsonb) TO service_role;

--
-- Name: FUNCTION can_work_on_wo(p_wo_id uuid); Type: ACL; Schema: private; Owner: -
--

REVOKE ALL ON FUNCTION private.can_work_on_wo(p_wo_id uuid) FROM PUBLIC;
GRANT ALL ON FUNCTION private.can_work_on_wo(p_wo_id uuid) TO authenticated;
GRANT ALL ON FUNCTION private.can_work_on_wo(p_wo_id uuid) TO service_role;

--
-- Name: FUNCTION check_rate_limit_impl(); Type: ACL; Schema: private; Owner: -
--

REVOKE ALL ON FUNCTION private.check_rate_limit_impl() FROM PUBLIC;
GRANT ALL ON FUNCTION private.check_rate_limit_impl() TO authenticated;
GRANT ALL ON FUNCTION private.check_rate_limit_impl() TO service_role;

--
-- Name: TABLE work_orders; Type: ACL; Schema: public; Owner: -
--

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.work_orders TO service_role;
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.work_orders TO authenticated;

--
-- Name: FUNCTION complete_work_order_impl(p_wo_id uuid, p_actual_hours numeric, p_parts jsonb, p_note text, p_idempotency_key text); Type: ACL; Schema: private; Owner: -
--

REVOKE ALL ON FUNCTION private.complete_work_order_impl(p_wo_id uuid, p_actual_hours numeric, p_parts jsonb, p_note text, p_idempotency_key text) FROM PUBLIC;
GRANT ALL ON FUNCTION private.complete_work_order_impl(p_wo_id uuid, p_actual_hours numeric, p_parts jsonb, p_note text, p_idempotency_key text) TO authenticated;
GRANT ALL ON FUNCTION private.complete_work_order_impl(p_wo_id uuid, p_actual_hours numeric, p_parts jsonb, p_note text, p_idempotency_key text) TO service_role;

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
-- Name: FUNCTION cursor_decode(p_cursor text, OUT sort_key text, OUT id uuid); Type: ACL; Schema: private; Owner: -
--

REVOKE ALL ON FUNCTION private.cursor_decode(p_cursor text, OUT sort_key text, OUT id uuid) FROM PUBLIC;
GRANT ALL ON FUNCTION private.cursor_decode(p_cursor text, OUT sort_key text, OUT id uuid) TO authenticated;
GRANT ALL ON FUNCTION private.cursor_decode(p_cursor text, OUT sort_key text, OUT id uuid) TO service_role;

--
-- Name: FUNCTION cursor_encode(p_key text, p_id uuid); Type: ACL; Schema: private; Owner: -
--

REVOKE ALL ON FUNCTION private.cursor_encode(p_key text, p_id uuid) FROM PUBLIC;
GRANT ALL ON FUNCTION private.cursor_encode(p_key text, p_id uuid) TO authenticated;
GRANT ALL ON FUNCTION private.cursor_encode(p_key text, p_id uuid) TO service_role;

--
-- Name: FUNCTION dashboard_kpis_impl(p_warehouse_id uuid); Type: ACL; Schema: private; Owner: -
--

REVOKE ALL ON FUNCTION private.dashboard_kpis_impl(p_warehouse_id uuid) FROM PUBLIC;
GRANT ALL ON FUNCTION private.dashboard_kpis_impl(p_warehouse_id uuid) TO authenticated;
GRANT ALL ON FUNCTION private.dashboard_kpis_impl(p_warehouse_id uuid) TO service_role;

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
-- Name: FUNCTION enum_arg(p_field text, p_value text, p_allowed text[]); Type: ACL; Schema: private; Owner: -
--

REVOKE ALL ON FUNCTION private.enum_arg(p_field text, p_value text, p_allowed text[]) FROM PUBLIC;
GRANT ALL ON FUNCTION private.enum_arg(p_field text, p_value text, p_allowed text[]) TO authenticated;
GRANT ALL ON FUNCTION private.enum_arg(p_field text, p_value text, p_allowed text[]) TO service_role;

--
-- Name: FUNCTION has_wo_access(p_wo_id uuid); Type: ACL; Schema: private; Owner: -
--

REVOKE ALL ON FUNCTION private.has_wo_access(p_wo_id uuid) FROM PUBLIC;
GRANT ALL ON FUNCTION private.has_wo_access(p_wo_id uuid) TO authenticated;
GRANT ALL ON FUNCTION private.has_wo_access(p_wo_id uuid) TO service_role;

--
-- Name: FUNCTION invalid_assignee(p_assignees uuid[], p_warehouse uuid); Type: ACL; Schema: private; Owner: -
--

REVOKE ALL ON FUNCTION private.invalid_assignee(p_assignees uuid[], p_warehouse uuid) FROM PUBLIC;
GRANT ALL ON FUNCTION private.invalid_assignee(p_assignees uuid[], p_warehouse uuid) TO authenticated;
GRANT ALL ON FUNCTION private.invalid_assignee(p_assignees uuid[], p_warehouse uuid) TO service_role;

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
-- Name: FUNCTION note_arg(p_note text, p_field text); Type: ACL; Schema: private; Owner: -
--

REVOKE ALL ON FUNCTION private.note_arg(p_note text, p_field text) FROM PUBLIC;
GRANT ALL ON FUNCTION private.note_arg(p_note text, p_field text) TO authenticated;
GRANT ALL ON FUNCTION private.note_arg(p_note text, p_field text) TO service_role;

--
-- Name: FUNCTION page_size_arg(p_value integer, p_max integer); Type: ACL; Schema: private; Owner: -
--

REVOKE ALL ON FUNCTION private.page_size_arg(p_value integer, p_max integer) FROM PUBLIC;
GRANT ALL ON FUNCTION private.page_size_arg(p_value integer, p_max integer) TO authenticated;
GRANT ALL ON FUNCTION private.page_size_arg(p_value integer, p_max integer) TO service_role;

--
-- Name: FUNCTION parts_ledger_sync(); Type: ACL; Schema: private; Owner: -
--

REVOKE ALL ON FUNCTION private.parts_ledger_sync() FROM PUBLIC;

--
-- Name: FUNCTION pm_create_work_order(p_schedule_id uuid, p_due date, p_requested_by uuid); Type: ACL; Schema: private; Owner: -
--

REVOKE ALL ON FUNCTION private.pm_create_work_order(p_schedule_id uuid, p_due date, p_requested_by uuid) FROM PUBLIC;
GRANT ALL ON FUNCTION private.pm_create_work_order(p_schedule_id uuid, p_due date, p_requested_by uuid) TO authenticated;
GRANT ALL ON FUNCTION private.pm_create_work_order(p_schedule_id uuid, p_due date, p_requested_by uuid) TO service_role;

--
-- Name: FUNCTION pm_step(p_unit public.pm_interval_unit, p_value integer); Type: ACL; Schema: private; Owner: -
--

REVOKE ALL ON FUNCTION private.pm_step(p_unit public.pm_interval_unit, p_value integer) FROM PUBLIC;
GRANT ALL ON FUNCTION private.pm_step(p_unit public.pm_interval_unit, p_value integer) TO authenticated;
GRANT ALL ON FUNCTION private.pm_step(p_unit public.pm_interval_unit, p_value integer) TO service_role;

--
-- Name: FUNCTION process_escalations_impl(p_as_of timestamp with time zone); Type: ACL; Schema: private; Owner: -
--

REVOKE ALL ON FUNCTION private.process_escalations_impl(p_as_of timestamp with time zone) FROM PUBLIC;
GRANT ALL ON FUNCTION private.process_escalations_impl(p_as_of timestamp with time zone) TO authenticated;
GRANT ALL ON FUNCTION private.process_escalations_impl(p_as_of timestamp with time zone) TO service_role;

--
-- Name: FUNCTION profiles_guard(); Type: ACL; Schema: private; Owner: -
--

REVOKE ALL ON FUNCTION private.profiles_guard() FROM PUBLIC;

--
-- Name: FUNCTION raise_forbidden(p_reason text); Type: ACL; Schema: private; Owner: -
--

REVOKE ALL ON FUNCTION private.raise_forbidden(p_reason text) FROM PUBLIC;
GRANT ALL ON FUNCTION private.raise_forbidden(p_reason text) TO authenticated;
GRANT ALL ON FUNCTION private.raise_forbidden(p_reason text) TO service_role;

--
-- Name: FUNCTION raise_invalid(p_field text, p_reason text); Type: ACL; Schema: private; Owner: -
--

REVOKE ALL ON FUNCTION private.raise_invalid(p_field text, p_reason text) FROM PUBLIC;
GRANT ALL ON FUNCTION private.raise_invalid(p_field text, p_reason text) TO authenticated;
GRANT ALL ON FUNCTION private.raise_invalid(p_field text, p_reason text) TO service_role;

--
-- Name: FUNCTION raise_not_found(p_what text, p_field text); Type: ACL; Schema: private; Owner: -
--

REVOKE ALL ON FUNCTION private.raise_not_found(p_what text, p_field text) FROM PUBLIC;
GRANT ALL ON FUNCTION private.raise_not_found(p_what text, p_field text) TO authenticated;
GRANT ALL ON FUNCTION private.raise_not_found(p_what text, p_field text) TO service_role;

--
-- Name: FUNCTION raise_rule(p_field text, p_reason text); Type: ACL; Schema: private; Owner: -
--

REVOKE ALL ON FUNCTION private.raise_rule(p_field text, p_reason text) FROM PUBLIC;
GRANT ALL ON FUNCTION private.raise_rule(p_field text, p_reason text) TO authenticated;
GRANT ALL ON FUNCTION private.raise_rule(p_field text, p_reason text) TO service_role;

--
-- Name: FUNCTION rate_limit_per_hour(p_user uuid); Type: ACL; Schema: private; Owner: -
--

REVOKE ALL ON FUNCTION private.rate_limit_per_hour(p_user uuid) FROM PUBLIC;

--
-- Name: TABLE part_transactions; Type: ACL; Schema: public; Owner: -
--

GRANT SELECT,INSERT ON TABLE public.part_transactions TO service_role;
GRANT SELECT,INSERT ON TABLE public.part_transactions TO authenticated;

--
-- Name: FUNCTION record_part_transaction_impl(p_part_id uuid, p_type text, p_quantity integer, p_note text, p_work_order_id uuid, p_unit_cost numeric, p_reference text); Type: ACL; Schema: private; Owner: -
--

REVOKE ALL ON FUNCTION private.record_part_transaction_impl(p_part_id uuid, p_type text, p_quantity integer, p_note text, p_work_order_id uuid, p_unit_cost numeric, p_reference text) FROM PUBLIC;
GRANT ALL ON FUNCTION private.record_part_transaction_impl(p_part_id uuid, p_type text, p_quantity integer, p_note text, p_work_order_id uuid, p_unit_cost numeric, p_reference text) TO authenticated;
GRANT ALL ON FUNCTION private.record_part_transaction_impl(p_part_id uuid, p_type text, p_quantity integer, p_note text, p_work_order_id uuid, p_unit_cost numeric, p_reference text) TO service_role;

--
-- Name: FUNCTION request_role(); Type: ACL; Schema: private; Owner: -
--

REVOKE ALL ON FUNCTION private.request_role() FROM PUBLIC;
GRANT ALL ON FUNCTION private.request_role() TO authenticated;
GRANT ALL ON FUNCTION private.request_role() TO service_role;

--
-- Name: FUNCTION require_arg(p_field text, p_value anyelement); Type: ACL; Schema: private; Owner: -
--

REVOKE ALL ON FUNCTION private.require_arg(p_field text, p_value anyelement) FROM PUBLIC;
GRANT ALL ON FUNCTION private.require_arg(p_field text, p_value anyelement) TO authenticated;
GRANT ALL ON FUNCTION private.require_arg(p_field text, p_value anyelement) TO service_role;

--
-- Name: FUNCTION reservation_impl(p_part_id uuid, p_quantity integer, p_wo_id uuid, p_release boolean); Type: ACL; Schema: private; Owner: -
--

REVOKE ALL ON FUNCTION private.reservation_impl(p_part_id uuid, p_quantity integer, p_wo_id uuid, p_release boolean) FROM PUBLIC;
GRANT ALL ON FUNCTION private.reservation_impl(p_part_id uuid, p_quantity integer, p_wo_id uuid, p_release boolean) TO authenticated;
GRANT ALL ON FUNCTION private.reservation_impl(p_part_id uuid, p_quantity integer, p_wo_id uuid, p_release boolean) TO service_role;

--
-- Name: FUNCTION scope_for(p_roles public.app_role[]); Type: ACL; Schema: private; Owner: -
--

REVOKE ALL ON FUNCTION private.scope_for(p_roles public.app_role[]) FROM PUBLIC;
GRANT ALL ON FUNCTION private.scope_for(p_roles public.app_role[]) TO authenticated;
GRANT ALL ON FUNCTION private.scope_for(p_roles public.app_role[]) TO service_role;

--
-- Name: FUNCTION search_work_order_hits(p_query tsquery, p_warehouse_id uuid, p_after_rank real, p_after_id uuid, p_limit integer); Type: ACL; Schema: private; Owner: -
--

REVOKE ALL ON FUNCTION private.search_work_order_hits(p_query tsquery, p_warehouse_id uuid, p_after_rank real, p_after_id uuid, p_limit integer) FROM PUBLIC;
GRANT ALL ON FUNCTION private.search_work_order_hits(p_query tsquery, p_warehouse_id uuid, p_after_rank real, p_after_id uuid, p_limit integer) TO authenticated;
GRANT ALL ON FUNCTION private.search_work_order_hits(p_query tsquery, p_warehouse_id uuid, p_after_rank real, p_after_id uuid, p_limit integer) TO service_role;

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
-- Name: FUNCTION ts_cursor_key(p_ts timestamp with time zone); Type: ACL; Schema: private; Owner: -
--

REVOKE ALL ON FUNCTION private.ts_cursor_key(p_ts timestamp with time zone) FROM PUBLIC;
GRANT ALL ON FUNCTION private.ts_cursor_key(p_ts timestamp with time zone) TO authenticated;
GRANT ALL ON FUNCTION private.ts_cursor_key(p_ts timestamp with time zone) TO service_role;

--
-- Name: FUNCTION uid_for(p_roles public.app_role[]); Type: ACL; Schema: private; Owner: -
--

REVOKE ALL ON FUNCTION private.uid_for(p_roles public.app_role[]) FROM PUBLIC;
GRANT ALL ON FUNCTION private.uid_for(p_roles public.app_role[]) TO authenticated;
GRANT ALL ON FUNCTION private.uid_for(p_roles public.app_role[]) TO service_role;

--
-- Name: FUNCTION user_scope(p_user uuid); Type: ACL; Schema: private; Owner: -
--

REVOKE ALL ON FUNCTION private.user_scope(p_user uuid) FROM PUBLIC;

--
-- Name: FUNCTION uwa_check_role(); Type: ACL; Schema: private; Owner: -
--

REVOKE ALL ON FUNCTION private.uwa_check_role() FROM PUBLIC;

--
-- Name: FUNCTION vendor_tax_id_impl(p_vendor_id uuid, p_tax_id text, p_write boolean); Type: ACL; Schema: private; Owner: -
--

REVOKE ALL ON FUNCTION private.vendor_tax_id_impl(p_vendor_id uuid, p_tax_id text, p_write boolean) FROM PUBLIC;
GRANT ALL ON FUNCTION private.vendor_tax_id_impl(p_vendor_id uuid, p_tax_id text, p_write boolean) TO authenticated;
GRANT ALL ON FUNCTION private.vendor_tax_id_impl(p_vendor_id uuid, p_tax_id text, p_write boolean) TO service_role;

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
-- Name: FUNCTION wo_transition_ok(p_from public.wo_status, p_to public.wo_status); Type: ACL; Schema: private; Owner: -
--

REVOKE ALL ON FUNCTION private.wo_transition_ok(p_from public.wo_status, p_to public.wo_status) FROM PUBLIC;
GRANT ALL ON FUNCTION private.wo_transition_ok(p_from public.wo_status, p_to public.wo_status) TO authenticated;
GRANT ALL ON FUNCTION private.wo_transition_ok(p_from public.wo_status, p_to public.wo_status) TO service_role;

--
-- Name: FUNCTION assign_work_order(wo_id uuid, assignees uuid[]); Type: ACL; Schema: public; Owner: -
--

REVOKE ALL ON FUNCTION public.assign_work_order(wo_id uuid, assignees uuid[]) FROM PUBLIC;
GRANT ALL ON FUNCTION public.assign_work_order(wo_id uuid, assignees uuid[]) TO authenticated;
GRANT ALL ON FUNCTION public.assign_work_order(wo_id uuid, assignees uuid[]) TO service_role;

--
-- Name: FUNCTION bulk_assign_work_orders(wo_ids uuid[], assignees uuid[]); Type: ACL; Schema: public; Owner: -
--

REVOKE ALL ON FUNCTION public.bulk_assign_work_orders(wo_ids uuid[], assignees uuid[]) FROM PUBLIC;
GRANT ALL ON FUNCTION public.bulk_assign_work_orders(wo_ids uuid[], assignees uuid[]) TO authenticated;
GRANT ALL ON FUNCTION public.bulk_assign_work_orders(wo_ids uuid[], assignees uuid[]) TO service_role;

--
-- Name: FUNCTION bulk_receive_parts(items jsonb); Type: ACL; Schema: public; Owner: -
--

REVOKE ALL ON FUNCTION public.bulk_receive_parts(items jsonb) FROM PUBLIC;
GRANT ALL ON FUNCTION public.bulk_receive_parts(items jsonb) TO authenticated;
GRANT ALL ON FUNCTION public.bulk_receive_parts(items jsonb) TO service_role;

--
-- Name: FUNCTION check_rate_limit(); Type: ACL; Schema: public; Owner: -
--

REVOKE ALL ON FUNCTION public.check_rate_limit() FROM PUBLIC;
GRANT ALL ON FUNCTION public.check_rate_limit() TO anon;
GRANT ALL ON FUNCTION public.check_rate_limit() TO authenticated;
GRANT ALL ON FUNCTION public.check_rate_limit() TO service_role;

--
-- Name: FUNCTION complete_work_order(wo_id uuid, actual_hours numeric, parts jsonb, note text, idempotency_key text); Type: ACL; Schema: public; Owner: -
--

REVOKE ALL ON FUNCTION public.complete_work_order(wo_id uuid, actual_hours numeric, parts jsonb, note text, idempotency_key text) FROM PUBLIC;
GRANT ALL ON FUNCTION public.complete_work_order(wo_id uuid, actual_hours numeric, parts jsonb, note text, idempotency_key text) TO authenticated;
GRANT ALL ON FUNCTION public.complete_work_order(wo_id uuid, actual_hours numeric, parts jsonb, note text, idempotency_key text) TO service_role;

--
-- Name: FUNCTION create_work_order(warehouse_id uuid, title text, description text, type text, priority text, equipment_id uuid, due_date timestamp with time zone, estimated_hours numeric, assignees uuid[], custom_fields jsonb); Type: ACL; Schema: public; Owner: -
--

REVOKE ALL ON FUNCTION public.create_work_order(warehouse_id uuid, title text, description text, type text, priority text, equipment_id uuid, due_date timestamp with time zone, estimated_hours numeric, assignees uuid[], custom_fields jsonb) FROM PUBLIC;
GRANT ALL ON FUNCTION public.create_work_order(warehouse_id uuid, title text, description text, type text, priority text, equipment_id uuid, due_date timestamp with time zone, estimated_hours numeric, assignees uuid[], custom_fields jsonb) TO authenticated;
GRANT ALL ON FUNCTION public.create_work_order(warehouse_id uuid, title text, description text, type text, priority text, equipment_id uuid, due_date timestamp with time zone, estimated_hours numeric, assignees uuid[], custom_fields jsonb) TO service_role;

--
-- Name: FUNCTION dashboard_kpis(warehouse_id uuid); Type: ACL; Schema: public; Owner: -
--

REVOKE ALL ON FUNCTION public.dashboard_kpis(warehouse_id uuid) FROM PUBLIC;
GRANT ALL ON FUNCTION public.dashboard_kpis(warehouse_id uuid) TO authenticated;
GRANT ALL ON FUNCTION public.dashboard_kpis(warehouse_id uuid) TO service_role;

--
-- Name: FUNCTION generate_pm_work_orders(as_of date, warehouse_id uuid); Type: ACL; Schema: public; Owner: -
--

REVOKE ALL ON FUNCTION public.generate_pm_work_orders(as_of date, warehouse_id uuid) FROM PUBLIC;
GRANT ALL ON FUNCTION public.generate_pm_work_orders(as_of date, warehouse_id uuid) TO authenticated;
GRANT ALL ON FUNCTION public.generate_pm_work_orders(as_of date, warehouse_id uuid) TO service_role;

--
-- Name: FUNCTION get_vendor_tax_id(vendor_id uuid); Type: ACL; Schema: public; Owner: -
--

REVOKE ALL ON FUNCTION public.get_vendor_tax_id(vendor_id uuid) FROM PUBLIC;
GRANT ALL ON FUNCTION public.get_vendor_tax_id(vendor_id uuid) TO authenticated;
GRANT ALL ON FUNCTION public.get_vendor_tax_id(vendor_id uuid) TO service_role;

--
-- Name: FUNCTION list_work_orders(warehouse_id uuid, status text, assigned_to_me boolean, after_cursor text, page_size integer); Type: ACL; Schema: public; Owner: -
--

REVOKE ALL ON FUNCTION public.list_work_orders(warehouse_id uuid, status text, assigned_to_me boolean, after_cursor text, page_size integer) FROM PUBLIC;
GRANT ALL ON FUNCTION public.list_work_orders(warehouse_id uuid, status text, assigned_to_me boolean, after_cursor text, page_size integer) TO authenticated;
GRANT ALL ON FUNCTION public.list_work_orders(warehouse_id uuid, status text, assigned_to_me boolean, after_cursor text, page_size integer) TO service_role;

--
-- Name: TABLE wo_time_logs; Type: ACL; Schema: public; Owner: -
--

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.wo_time_logs TO service_role;
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.wo_time_logs TO authenticated;

--
-- Name: FUNCTION log_time(wo_id uuid, started_at timestamp with time zone, ended_at timestamp with time zone, note text); Type: ACL; Schema: public; Owner: -
--

REVOKE ALL ON FUNCTION public.log_time(wo_id uuid, started_at timestamp with time zone, ended_at timestamp with time zone, note text) FROM PUBLIC;
GRANT ALL ON FUNCTION public.log_time(wo_id uuid, started_at timestamp with time zone, ended_at timestamp with time zone, note text) TO authenticated;
GRANT ALL ON FUNCTION public.log_time(wo_id uuid, started_at timestamp with time zone, ended_at timestamp with time zone, note text) TO service_role;

--
-- Name: TABLE parts; Type: ACL; Schema: public; Owner: -
--

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.parts TO service_role;
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.parts TO authenticated;

--
-- Name: FUNCTION low_stock(warehouse_id uuid); Type: ACL; Schema: public; Owner: -
--

REVOKE ALL ON FUNCTION public.low_stock(warehouse_id uuid) FROM PUBLIC;
GRANT ALL ON FUNCTION public.low_stock(warehouse_id uuid) TO authenticated;
GRANT ALL ON FUNCTION public.low_stock(warehouse_id uuid) TO service_role;

--
-- Name: FUNCTION process_escalations(as_of timestamp with time zone); Type: ACL; Schema: public; Owner: -
--

REVOKE ALL ON FUNCTION public.process_escalations(as_of timestamp with time zone) FROM PUBLIC;
GRANT ALL ON FUNCTION public.process_escalations(as_of timestamp with time zone) TO authenticated;
GRANT ALL ON FUNCTION public.process_escalations(as_of timestamp with time zone) TO service_role;

--
-- Name: FUNCTION record_part_transaction(part_id uuid, type text, quantity integer, note text, work_order_id uuid, unit_cost numeric, reference text); Type: ACL; Schema: public; Owner: -
--

REVOKE ALL ON FUNCTION public.record_part_transaction(part_id uuid, type text, quantity integer, note text, work_order_id uuid, unit_cost numeric, reference text) FROM PUBLIC;
GRANT ALL ON FUNCTION public.record_part_transaction(part_id uuid, type text, quantity integer, note text, work_order_id uuid, unit_cost numeric, reference text) TO authenticated;
GRANT ALL ON FUNCTION public.record_part_transaction(part_id uuid, type text, quantity integer, note text, work_order_id uuid, unit_cost numeric, reference text) TO service_role;

--
-- Name: FUNCTION release_parts(part_id uuid, quantity integer, wo_id uuid); Type: ACL; Schema: public; Owner: -
--

REVOKE ALL ON FUNCTION public.release_parts(part_id uuid, quantity integer, wo_id uuid) FROM PUBLIC;
GRANT ALL ON FUNCTION public.release_parts(part_id uuid, quantity integer, wo_id uuid) TO authenticated;
GRANT ALL ON FUNCTION public.release_parts(part_id uuid, quantity integer, wo_id uuid) TO service_role;

--
-- Name: FUNCTION reserve_parts(part_id uuid, quantity integer, wo_id uuid); Type: ACL; Schema: public; Owner: -
--

REVOKE ALL ON FUNCTION public.reserve_parts(part_id uuid, quantity integer, wo_id uuid) FROM PUBLIC;
GRANT ALL ON FUNCTION public.reserve_parts(part_id uuid, quantity integer, wo_id uuid) TO authenticated;
GRANT ALL ON FUNCTION public.reserve_parts(part_id uuid, quantity integer, wo_id uuid) TO service_role;

--
-- Name: FUNCTION search_work_orders(query text, page_size integer, after_cursor text, warehouse_id uuid); Type: ACL; Schema: public; Owner: -
--

REVOKE ALL ON FUNCTION public.search_work_orders(query text, page_size integer, after_cursor text, warehouse_id uuid) FROM PUBLIC;
GRANT ALL ON FUNCTION public.search_work_orders(query text, page_size integer, after_cursor text, warehouse_id uuid) TO authenticated;
GRANT ALL ON FUNCTION public.search_work_orders(query text, page_size integer, after_cursor text, warehouse_id uuid) TO service_role;

--
-- Name: FUNCTION set_vendor_tax_id(vendor_id uuid, tax_id text); Type: ACL; Schema: public; Owner: -
--

REVOKE ALL ON FUNCTION public.set_vendor_tax_id(vendor_id uuid, tax_id text) FROM PUBLIC;
GRANT ALL ON FUNCTION public.set_vendor_tax_id(vendor_id uuid, tax_id text) TO authenticated;
GRANT ALL ON FUNCTION public.set_vendor_tax_id(vendor_id uuid, tax_id text) TO service_role;

--
-- Name: FUNCTION transition_work_order(wo_id uuid, new_status text, note text); Type: ACL; Schema: public; Owner: -
--

REVOKE ALL ON FUNCTION public.transition_work_order(wo_id uuid, new_status text, note text) FROM PUBLIC;
GRANT ALL ON FUNCTION public.transition_work_order(wo_id uuid, new_status text, note text) TO authenticated;
GRANT ALL ON FUNCTION public.transition_work_order(wo_id uuid, new_status text, note text) TO service_role;

--
-- Name: TABLE wo_checklist_items; Type: ACL; Schema: public; Owner: -
--

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.wo_checklist_items TO service_role;
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.wo_checklist_items TO authenticated;

--
-- Name: FUNCTION update_checklist_item(item_id uuid, is_done boolean, note text); Type: ACL; Schema: public; Owner: -
--

REVOKE ALL ON FUNCTION public.update_checklist_item(item_id uuid, is_done boolean, note text) FROM PUBLIC;
GRANT ALL ON FUNCTION public.update_checklist_item(item_id uuid, is_done boolean, note text) TO authenticated;
GRANT ALL ON FUNCTION public.update_checklist_item(item_id uuid, is_done boolean, note text) TO service_role;

--
-- Name: FUNCTION verify_work_order(wo_id uuid, note text); Type: ACL; Schema: public; Owner: -
--

REVOKE ALL ON FUNCTION public.verify_work_order(wo_id uuid, note text) FROM PUBLIC;
GRANT ALL ON FUNCTION public.verify_work_order(wo_id uuid, note text) TO authenticated;
GRANT ALL ON FUNCTION public.verify_work_order(wo_id uuid, note text) TO service_role;

--
-- Name: TABLE identities; Type: ACL; Schema: auth; Owner: -
--

GRANT ALL ON TABLE auth.identities TO dashboard_user;
GRANT ALL ON TABLE auth.identities TO postgres;

--
-- Name: TABLE users; Type: ACL; Schema: auth; Owner: -
--

GRANT ALL ON TABLE auth.users TO dashboard_user;
GRANT ALL ON TABLE auth.users TO postgres;

--
-- Name: TABLE system_logs; Type: ACL; Schema: public; Owner: -
--

GRANT SELECT ON TABLE public.system_logs TO authenticated;
GRANT SELECT,INSERT ON TABLE public.system_logs TO service_role;

--
-- Name: TABLE contractors; Type: ACL; Schema: public; Owner: -
--

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.contractors TO service_role;
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.contractors TO authenticated;

--
-- Name: TABLE equipment; Type: ACL; Schema: public; Owner: -
--

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.equipment TO service_role;
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.equipment TO authenticated;

--
-- Name: TABLE equipment_maintenance_history; Type: ACL; Schema: public; Owner: -
--

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.equipment_maintenance_history TO service_role;
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.equipment_maintenance_history TO authenticated;

--
-- Name: TABLE escalation_rules; Type: ACL; Schema: public; Owner: -
--

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.escalation_rules TO service_role;
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.escalation_rules TO authenticated;

--
-- Name: TABLE notification_settings; Type: ACL; Schema: public; Owner: -
--

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.notification_settings TO service_role;
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.notification_settings TO authenticated;

--
-- Name: TABLE notifications; Type: ACL; Schema: public; Owner: -
--

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.notifications TO service_role;
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.notifications TO authenticated;

--
-- Name: TABLE pm_schedules; Type: ACL; Schema: public; Owner: -
--

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.pm_schedules TO service_role;
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.pm_schedules TO authenticated;

--
-- Name: TABLE pm_template_checklist; Type: ACL; Schema: public; Owner: -
--

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.pm_template_checklist TO service_role;
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.pm_template_checklist TO authenticated;

--
-- Name: TABLE pm_templates; Type: ACL; Schema: public; Owner: -
--

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.pm_templates TO service_role;
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.pm_templates TO authenticated;

--
-- Name: TABLE profiles; Type: ACL; Schema: public; Owner: -
--

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.profiles TO service_role;
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.profiles TO authenticated;

--
-- Name: TABLE system_settings; Type: ACL; Schema: public; Owner: -
--

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.system_settings TO service_role;
GRANT SELECT,INSERT,UPDATE ON TABLE public.system_settings TO authenticated;

--
-- Name: TABLE user_warehouse_access; Type: ACL; Schema: public; Owner: -
--

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.user_warehouse_access TO service_role;
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.user_warehouse_access TO authenticated;

--
-- Name: TABLE vendors; Type: ACL; Schema: public; Owner: -
--

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.vendors TO service_role;
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.vendors TO authenticated;

--
-- Name: TABLE warehouses; Type: ACL; Schema: public; Owner: -
--

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.warehouses TO service_role;
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.warehouses TO authenticated;

--
-- Name: TABLE wo_attachments; Type: ACL; Schema: public; Owner: -
--

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.wo_attachments TO service_role;
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.wo_attachments TO authenticated;

--
-- Name: TABLE wo_parts_used; Type: ACL; Schema: public; Owner: -
--

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.wo_parts_used TO service_role;
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.wo_parts_used TO authenticated;

--
-- Name: TABLE work_order_assignees; Type: ACL; Schema: public; Owner: -
--

GRANT SELECT ON TABLE public.work_order_assignees TO authenticated;
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.work_order_assignees TO service_role;

--
-- Name: TABLE buckets; Type: ACL; Schema: storage; Owner: -
--

GRANT ALL ON TABLE storage.buckets TO anon;
GRANT ALL ON TABLE storage.buckets TO authenticated;
GRANT ALL ON TABLE storage.buckets TO service_role;
GRANT ALL ON TABLE storage.buckets TO postgres;
GRANT ALL ON TABLE storage.buckets TO dashboard_user;

--
-- Name: TABLE objects; Type: ACL; Schema: storage; Owner: -
--

GRANT ALL ON TABLE storage.objects TO anon;
GRANT ALL ON TABLE storage.objects TO authenticated;
GRANT ALL ON TABLE storage.objects TO service_role;
GRANT ALL ON TABLE storage.objects TO postgres;
GRANT ALL ON TABLE storage.objects TO dashboard_user;

--
--

--
-- Name: system_logs; Type: RANGE PARTITIONS; Schema: public; Owner: -
--
-- The bounded partitions of public.system_logs exist by date, so they are described, not
-- listed: each one is of one of these kinds (what it has besides what it inherits).
-- kind 1:
--   relation <partition>: r rls=true force=false persistence=p
--   schema private
