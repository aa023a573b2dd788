-- 0011_api_work_orders.sql
-- Work order business functions (PostgREST /rpc): create, assign, bulk assign, transition,
-- complete (consumes parts), verify, log time, update checklist item.
-- SECURITY INVOKER (RLS and the rule triggers of 0004 apply as the caller) except the stock
-- part of completion, which writes the ledger that technicians may not write directly: it
-- lives in private.complete_work_order_impl (security definer, not exposed) and re-checks
-- role and scope itself. Errors: 22023 bad argument, 42501 not found / not accessible,
-- 42501 not permitted, 23514 business rule.

-- ================================================================ shared
create function private.wo_transition_ok(p_from public.wo_status, p_to public.wo_status)
returns boolean
language sql immutable
set search_path = ''
as $$
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
comment on function private.wo_transition_ok(public.wo_status, public.wo_status) is
  'Legal work order status transitions (mirror of the 0004 state machine trigger).';

create function private.append_note(p_notes text, p_status text, p_note text) returns text
language sql stable
set search_path = ''
as $$
  select case when nullif(btrim(p_note), '') is null then p_notes
              else coalesce(p_notes || E'\n', '')
                   || '[' || to_char(now() at time zone 'UTC', 'YYYY-MM-DD HH24:MI') || ' UTC, '
                   || p_status || '] ' || btrim(p_note)
         end
$$;

create function private.note_arg(p_note text, p_field text default 'note') returns text
language plpgsql immutable
set search_path = ''
as $$
begin
  if p_note is not null and length(p_note) > 2000 then
    perform private.raise_invalid(p_field, 'at most 2000 characters');
  end if;
  return p_note;
end
$$;

-- Assignee list: required, 1..20 distinct non-null ids (order kept).
create function private.assignees_arg(p_assignees uuid[]) returns uuid[]
language plpgsql immutable
set search_path = ''
as $$
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

create table private.wo_completions (
  work_order_id   uuid primary key,
  idempotency_key text,
  request_hash    text not null,
  completed_by    uuid,
  completed_at    timestamptz not null default now()
);
comment on table private.wo_completions is
  'One row per completed work order: the idempotency key and request fingerprint of the completing call, so that a retry does not consume stock twice.';
revoke all on private.wo_completions from public, anon, authenticated;

-- ================================================================ create_work_order
create function public.create_work_order(
  warehouse_id uuid,
  title text,
  description text default null,
  type text default 'corrective',
  priority text default 'medium',
  equipment_id uuid default null,
  due_date timestamptz default null,
  estimated_hours numeric default null,
  assignees uuid[] default null,
  custom_fields jsonb default null
) returns public.work_orders
language plpgsql volatile
set search_path = ''
as $$
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
comment on function public.create_work_order(uuid, text, text, text, text, uuid, timestamptz, numeric, uuid[], jsonb) is
$$Create a work order in warehouse_id and return it.
Arguments: warehouse_id (required), title (1-200 chars), description, type (wo_type, default corrective), priority (wo_priority, default medium), equipment_id (same warehouse), due_date, estimated_hours (0-10000), assignees (uuid[]; admin/manager/supervisor only), custom_fields (JSON object).
Who: admin, manager, supervisor (status open, or assigned when assignees are given); technician, requester (status requested, requested_by = caller); service_role.
Errors: 22023 "invalid <field>: ..." (bad title, type, priority, estimated_hours, custom_fields, assignees); 42501 "warehouse not found or not accessible" / "equipment not found or not accessible"; 42501 "not permitted: ..." (contractor, inventory_clerk; assignees by technician/requester).$$;

-- ================================================================ assign_work_order
create function public.assign_work_order(wo_id uuid, assignees uuid[])
returns public.work_orders
language plpgsql volatile
set search_path = ''
as $$
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
comment on function public.assign_work_order(uuid, uuid[]) is
$$Set the assignees of work order wo_id (replacing the previous ones) and return it. A requested or open work order becomes assigned; in_progress/on_hold ones keep their status (reassignment).
Arguments: wo_id, assignees (1-20 active users with access to the work order's warehouse).
Who: admin, manager, supervisor in scope; service_role.
Errors: 22023 "invalid assignees: ..."; 42501 "work order not found or not accessible"; 42501 "not permitted: ..."; 23514 "rule violated: a <status> work order cannot be assigned".$$;

-- ================================================================ bulk_assign_work_orders
create function public.bulk_assign_work_orders(wo_ids uuid[], assignees uuid[])
returns integer
language plpgsql volatile
set search_path = ''
as $$
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
comment on function public.bulk_assign_work_orders(uuid[], uuid[]) is
$$Assign the same assignees to every work order of wo_ids (1-500, duplicates ignored), all or nothing; returns the number of work orders assigned.
Who: admin, manager, supervisor (each work order in scope); service_role.
Errors: as assign_work_order, the message naming the failing work order and detail "field: wo_ids"; 22023 "invalid wo_ids: ..." for an empty, null-containing or too long list.$$;

-- ================================================================ transition_work_order
create function public.transition_work_order(wo_id uuid, new_status text, note text default null)
returns public.work_orders
language plpgsql volatile
set search_path = ''
as $$
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
comment on function public.transition_work_order(uuid, text, text) is
$$Move work order wo_id to new_status along a legal transition (requested -> open -> assigned -> in_progress <-> on_hold -> completed -> verified -> closed; cancelled from any non-terminal state); note is appended to notes. Setting the current status again returns the row unchanged (safe retry). new_status completed delegates to complete_work_order (consuming the planned parts), verified to verify_work_order.
Who: admin, manager, supervisor in scope (any legal transition); technician, contractor on work orders assigned to them (in_progress, on_hold, completed); service_role.
Errors: 22023 "invalid new_status: ..." / "invalid note: ..."; 42501 "work order not found or not accessible"; 42501 "not permitted: ..."; 23514 "rule violated: illegal transition <from> -> <to>".$$;

-- ================================================================ complete_work_order
create function private.complete_work_order_impl(
  p_wo_id uuid, p_actual_hours numeric, p_parts jsonb, p_note text, p_idempotency_key text
) returns public.work_orders
language plpgsql volatile security definer
set search_path = ''
as $$
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
    select * into v_done from private.wo_completions c where c.work_order_id = v_wo.id;
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

  insert into private.wo_completions (work_order_id, idempotency_key, request_hash, completed_by)
  values (v_wo.id, p_idempotency_key, v_hash, v_a.uid)
  on conflict (work_order_id) do update
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
comment on function private.complete_work_order_impl(uuid, numeric, jsonb, text, text) is
  'Body of public.complete_work_order. Security definer because technicians complete work orders but may not write the stock ledger directly; it re-checks role, scope and assignment itself.';

create function public.complete_work_order(
  wo_id uuid,
  actual_hours numeric default null,
  parts jsonb default null,
  note text default null,
  idempotency_key text default null
) returns public.work_orders
language plpgsql volatile
set search_path = ''
as $$
begin
  return private.complete_work_order_impl(complete_work_order.wo_id, complete_work_order.actual_hours,
    complete_work_order.parts, complete_work_order.note, complete_work_order.idempotency_key);
end
$$;
comment on function public.complete_work_order(uuid, numeric, jsonb, text, text) is
$$Complete work order wo_id (in_progress -> completed) and consume its parts atomically: the work order's reservations are released and each part of parts is issued from stock (wo_parts_used + an 'issue' ledger row); stock never goes negative, also under concurrency (parts are locked in id order).
Arguments: wo_id; actual_hours (0-10000; default: the sum of its time logs); parts: JSON array [{"part_id": uuid, "quantity": positive integer}] of the work order's warehouse, null = consume what is planned/reserved on the work order, [] = consume nothing; note (appended to notes); idempotency_key (1-200 chars).
Idempotent: repeating the call on a completed work order with the same idempotency_key (or, without a key, the same parts and hours) returns the row and consumes nothing.
Who: admin, manager, supervisor in scope; technician, contractor on work orders assigned to them; service_role.
Errors: 22023 "invalid parts[<i>].quantity: ..." / "invalid parts[<i>].part_id: ..." / "invalid actual_hours: ..."; 42501 "work order not found or not accessible" (also for work orders outside the caller's reach), "part not found or not accessible" (detail field: parts[<i>].part_id); 42501 "not permitted: ..."; 23514 "rule violated: insufficient stock for part <number>: requested <q>, available <a>" (detail field: parts[<i>].quantity), "rule violated: illegal transition <status> -> completed ...", "rule violated: work order is already completed", "rule violated: <n> required checklist item(s) not done".$$;

-- ================================================================ verify_work_order
create function public.verify_work_order(wo_id uuid, note text default null)
returns public.work_orders
language plpgsql volatile
set search_path = ''
as $$
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
comment on function public.verify_work_order(uuid, text) is
$$Verify completed work order wo_id (completed -> verified, verified_by = caller); note is appended to notes. Verifying an already verified (or closed) work order returns it unchanged.
Who: admin, manager, supervisor in scope, who is not an assignee of the work order; service_role.
Errors: 42501 "work order not found or not accessible"; 42501 "not permitted: ..."; 23514 "rule violated: illegal transition <status> -> verified", "rule violated: a work order cannot be verified by one of its assignees"; 22023 "invalid note: ...".$$;

-- ================================================================ log_time
create function public.log_time(
  wo_id uuid, started_at timestamptz, ended_at timestamptz default null, note text default null
) returns public.wo_time_logs
language plpgsql volatile
set search_path = ''
as $$
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
comment on function public.log_time(uuid, timestamptz, timestamptz, text) is
$$Log the caller's own working time on work order wo_id and return the time log (minutes derived). Repeating the same call returns the existing row.
Arguments: wo_id; started_at (not in the future); ended_at (null = running; not before started_at, at most 24 h later, not in the future); note (<= 2000 chars).
Who: admin, manager, supervisor in scope; technician, contractor on work orders assigned to them. Always as self (user_id = caller).
Errors: 22023 "invalid started_at: ..." / "invalid ended_at: ..."; 42501 "work order not found or not accessible"; 42501 "not permitted: ..."; 23514 "rule violated: time cannot be logged on a <status> work order", "rule violated: overlaps another time log of yours".$$;

-- ================================================================ update_checklist_item
create function public.update_checklist_item(item_id uuid, is_done boolean, note text default null)
returns public.wo_checklist_items
language plpgsql volatile
set search_path = ''
as $$
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
comment on function public.update_checklist_item(uuid, boolean, text) is
$$Mark checklist item item_id done or not done (completed_by/at follow), optionally replacing its note; returns the item. Unchanged values return the item as is.
Who: admin, manager, supervisor in scope; technician, contractor on work orders assigned to them; only while the work order is assigned, in_progress or on_hold.
Errors: 22023 "invalid is_done: is required" / "invalid note: ..."; 42501 "checklist item not found or not accessible"; 42501 "not permitted: ..."; 23514 "rule violated: the checklist of a <status> work order cannot change".$$;

-- ================================================================ privileges
revoke execute on function
  private.wo_transition_ok(public.wo_status, public.wo_status), private.append_note(text, text, text),
  private.note_arg(text, text), private.assignees_arg(uuid[]),
  private.complete_work_order_impl(uuid, numeric, jsonb, text, text)
  from public, anon;
grant execute on function
  private.wo_transition_ok(public.wo_status, public.wo_status), private.append_note(text, text, text),
  private.note_arg(text, text), private.assignees_arg(uuid[]),
  private.complete_work_order_impl(uuid, numeric, jsonb, text, text)
  to authenticated, service_role;

revoke execute on function
  public.create_work_order(uuid, text, text, text, text, uuid, timestamptz, numeric, uuid[], jsonb),
  public.assign_work_order(uuid, uuid[]), public.bulk_assign_work_orders(uuid[], uuid[]),
  public.transition_work_order(uuid, text, text),
  public.complete_work_order(uuid, numeric, jsonb, text, text),
  public.verify_work_order(uuid, text),
  public.log_time(uuid, timestamptz, timestamptz, text),
  public.update_checklist_item(uuid, boolean, text)
  from public, anon;
grant execute on function
  public.create_work_order(uuid, text, text, text, text, uuid, timestamptz, numeric, uuid[], jsonb),
  public.assign_work_order(uuid, uuid[]), public.bulk_assign_work_orders(uuid[], uuid[]),
  public.transition_work_order(uuid, text, text),
  public.complete_work_order(uuid, numeric, jsonb, text, text),
  public.verify_work_order(uuid, text),
  public.log_time(uuid, timestamptz, timestamptz, text),
  public.update_checklist_item(uuid, boolean, text)
  to authenticated, service_role;
