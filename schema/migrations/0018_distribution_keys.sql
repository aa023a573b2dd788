-- 0018_distribution_keys.sql
-- Keys that let the schema scale out by warehouse (docs/citus.md; held by check INT040).
--
-- Citus distributes a table by one column and co-locates the tables distributed by the same
-- column, so that one warehouse's rows of every table sit on one node. It can do so only when
-- every uniqueness rule and every reference can be checked inside one warehouse: the primary
-- key and each unique key of a tenant table must include warehouse_id. Here every tenant
-- table's primary key becomes (warehouse_id, id); the (warehouse_id, id) unique constraints
-- that composite foreign keys used are folded into it (the foreign keys are re-made on the new
-- key, unchanged otherwise), lookups by id alone keep an index of their own, and the two
-- unique keys without warehouse_id gain it (the functions that name them follow).
-- warehouses and profiles stay as they are: they are reference tables (a copy on every node).
--
-- Each statement takes an ACCESS EXCLUSIVE lock on its table: on a live database run this in
-- a quiet hour; it fails (to be retried) rather than queue requests behind a long lock wait.
set local lock_timeout = '5s';
set local statement_timeout = '30min';

-- ================================================================ foreign keys on (warehouse_id, id)
-- dropped here, re-made below on the new primary keys
alter table public.equipment drop constraint equipment_warehouse_id_parent_equipment_id_fkey;
alter table public.equipment_maintenance_history
  drop constraint equipment_maintenance_history_warehouse_id_equipment_id_fkey;
alter table public.pm_schedules drop constraint pm_schedules_warehouse_id_equipment_id_fkey;
alter table public.work_orders drop constraint work_orders_warehouse_id_equipment_id_fkey;
alter table public.part_transactions drop constraint part_transactions_warehouse_id_part_id_fkey;
alter table public.wo_parts_used drop constraint wo_parts_used_warehouse_id_part_id_fkey;
alter table public.work_orders drop constraint work_orders_warehouse_id_pm_schedule_id_fkey;
alter table public.pm_schedules drop constraint pm_schedules_warehouse_id_template_id_fkey;
alter table public.pm_template_checklist drop constraint pm_template_checklist_warehouse_id_template_id_fkey;
alter table public.contractors drop constraint contractors_warehouse_id_vendor_id_fkey;
alter table public.parts drop constraint parts_warehouse_id_vendor_id_fkey;
alter table public.equipment_maintenance_history
  drop constraint equipment_maintenance_history_warehouse_id_work_order_id_fkey;
alter table public.notifications drop constraint notifications_warehouse_id_work_order_id_fkey;
alter table public.part_transactions drop constraint part_transactions_warehouse_id_work_order_id_fkey;
alter table public.wo_attachments drop constraint wo_attachments_warehouse_id_work_order_id_fkey;
alter table public.wo_checklist_items drop constraint wo_checklist_items_warehouse_id_work_order_id_fkey;
alter table public.wo_parts_used drop constraint wo_parts_used_warehouse_id_work_order_id_fkey;
alter table public.wo_time_logs drop constraint wo_time_logs_warehouse_id_work_order_id_fkey;
alter table public.work_order_assignees drop constraint work_order_assignees_warehouse_id_work_order_id_fkey;
alter table public.work_orders drop constraint work_orders_warehouse_id_follow_up_of_fkey;

-- ================================================================ primary keys (warehouse_id, id)
-- contractors
alter table public.contractors drop constraint contractors_warehouse_id_id_key;
alter table public.contractors drop constraint contractors_pkey;
alter table public.contractors add constraint contractors_pkey primary key (warehouse_id, id);
create index contractors_id_idx on public.contractors (id);
-- equipment
alter table public.equipment drop constraint equipment_warehouse_id_id_key;
alter table public.equipment drop constraint equipment_pkey;
alter table public.equipment add constraint equipment_pkey primary key (warehouse_id, id);
create index equipment_id_idx on public.equipment (id);
-- equipment_maintenance_history
alter table public.equipment_maintenance_history drop constraint equipment_maintenance_history_pkey;
alter table public.equipment_maintenance_history
  add constraint equipment_maintenance_history_pkey primary key (warehouse_id, id);
create index equipment_maintenance_history_id_idx on public.equipment_maintenance_history (id);
-- escalation_rules
alter table public.escalation_rules drop constraint escalation_rules_pkey;
alter table public.escalation_rules add constraint escalation_rules_pkey primary key (warehouse_id, id);
create index escalation_rules_id_idx on public.escalation_rules (id);
-- notification_settings
alter table public.notification_settings drop constraint notification_settings_pkey;
alter table public.notification_settings add constraint notification_settings_pkey primary key (warehouse_id, id);
create index notification_settings_id_idx on public.notification_settings (id);
-- notifications
alter table public.notifications drop constraint notifications_pkey;
alter table public.notifications add constraint notifications_pkey primary key (warehouse_id, id);
create index notifications_id_idx on public.notifications (id);
-- part_transactions
alter table public.part_transactions drop constraint part_transactions_pkey;
alter table public.part_transactions add constraint part_transactions_pkey primary key (warehouse_id, id);
create index part_transactions_id_idx on public.part_transactions (id);
-- parts
alter table public.parts drop constraint parts_warehouse_id_id_key;
alter table public.parts drop constraint parts_pkey;
alter table public.parts add constraint parts_pkey primary key (warehouse_id, id);
create index parts_id_idx on public.parts (id);
-- pm_schedules
alter table public.pm_schedules drop constraint pm_schedules_warehouse_id_id_key;
alter table public.pm_schedules drop constraint pm_schedules_pkey;
alter table public.pm_schedules add constraint pm_schedules_pkey primary key (warehouse_id, id);
create index pm_schedules_id_idx on public.pm_schedules (id);
-- pm_template_checklist
alter table public.pm_template_checklist drop constraint pm_template_checklist_pkey;
alter table public.pm_template_checklist add constraint pm_template_checklist_pkey primary key (warehouse_id, id);
create index pm_template_checklist_id_idx on public.pm_template_checklist (id);
-- pm_templates
alter table public.pm_templates drop constraint pm_templates_warehouse_id_id_key;
alter table public.pm_templates drop constraint pm_templates_pkey;
alter table public.pm_templates add constraint pm_templates_pkey primary key (warehouse_id, id);
create index pm_templates_id_idx on public.pm_templates (id);
-- system_settings
alter table public.system_settings drop constraint system_settings_pkey;
alter table public.system_settings add constraint system_settings_pkey primary key (warehouse_id, id);
create index system_settings_id_idx on public.system_settings (id);
-- user_warehouse_access
alter table public.user_warehouse_access drop constraint user_warehouse_access_pkey;
alter table public.user_warehouse_access add constraint user_warehouse_access_pkey primary key (warehouse_id, id);
create index user_warehouse_access_id_idx on public.user_warehouse_access (id);
-- vendors
alter table public.vendors drop constraint vendors_warehouse_id_id_key;
alter table public.vendors drop constraint vendors_pkey;
alter table public.vendors add constraint vendors_pkey primary key (warehouse_id, id);
create index vendors_id_idx on public.vendors (id);
-- wo_attachments
alter table public.wo_attachments drop constraint wo_attachments_pkey;
alter table public.wo_attachments add constraint wo_attachments_pkey primary key (warehouse_id, id);
create index wo_attachments_id_idx on public.wo_attachments (id);
-- wo_checklist_items
alter table public.wo_checklist_items drop constraint wo_checklist_items_pkey;
alter table public.wo_checklist_items add constraint wo_checklist_items_pkey primary key (warehouse_id, id);
create index wo_checklist_items_id_idx on public.wo_checklist_items (id);
-- wo_parts_used
alter table public.wo_parts_used drop constraint wo_parts_used_pkey;
alter table public.wo_parts_used add constraint wo_parts_used_pkey primary key (warehouse_id, id);
create index wo_parts_used_id_idx on public.wo_parts_used (id);
-- wo_time_logs
alter table public.wo_time_logs drop constraint wo_time_logs_pkey;
alter table public.wo_time_logs add constraint wo_time_logs_pkey primary key (warehouse_id, id);
create index wo_time_logs_id_idx on public.wo_time_logs (id);
-- work_order_assignees
alter table public.work_order_assignees drop constraint work_order_assignees_pkey;
alter table public.work_order_assignees add constraint work_order_assignees_pkey primary key (warehouse_id, id);
create index work_order_assignees_id_idx on public.work_order_assignees (id);
-- work_orders
alter table public.work_orders drop constraint work_orders_warehouse_id_id_key;
alter table public.work_orders drop constraint work_orders_pkey;
alter table public.work_orders add constraint work_orders_pkey primary key (warehouse_id, id);
create index work_orders_id_idx on public.work_orders (id);

-- ================================================================ foreign keys, re-made
alter table public.equipment add constraint equipment_warehouse_id_parent_equipment_id_fkey
  foreign key (warehouse_id, parent_equipment_id) references equipment(warehouse_id, id)
    on delete set null (parent_equipment_id);
alter table public.equipment_maintenance_history
  add constraint equipment_maintenance_history_warehouse_id_equipment_id_fkey
  foreign key (warehouse_id, equipment_id) references equipment(warehouse_id, id)
    on delete cascade;
alter table public.pm_schedules add constraint pm_schedules_warehouse_id_equipment_id_fkey
  foreign key (warehouse_id, equipment_id) references equipment(warehouse_id, id)
    on delete cascade;
alter table public.work_orders add constraint work_orders_warehouse_id_equipment_id_fkey
  foreign key (warehouse_id, equipment_id) references equipment(warehouse_id, id)
    on delete set null (equipment_id);
alter table public.part_transactions add constraint part_transactions_warehouse_id_part_id_fkey
  foreign key (warehouse_id, part_id) references parts(warehouse_id, id);
alter table public.wo_parts_used add constraint wo_parts_used_warehouse_id_part_id_fkey
  foreign key (warehouse_id, part_id) references parts(warehouse_id, id);
alter table public.work_orders add constraint work_orders_warehouse_id_pm_schedule_id_fkey
  foreign key (warehouse_id, pm_schedule_id) references pm_schedules(warehouse_id, id)
    on delete set null (pm_schedule_id);
alter table public.pm_schedules add constraint pm_schedules_warehouse_id_template_id_fkey
  foreign key (warehouse_id, template_id) references pm_templates(warehouse_id, id)
    on delete cascade;
alter table public.pm_template_checklist add constraint pm_template_checklist_warehouse_id_template_id_fkey
  foreign key (warehouse_id, template_id) references pm_templates(warehouse_id, id)
    on delete cascade;
alter table public.contractors add constraint contractors_warehouse_id_vendor_id_fkey
  foreign key (warehouse_id, vendor_id) references vendors(warehouse_id, id)
    on delete set null (vendor_id);
alter table public.parts add constraint parts_warehouse_id_vendor_id_fkey
  foreign key (warehouse_id, vendor_id) references vendors(warehouse_id, id)
    on delete set null (vendor_id);
alter table public.equipment_maintenance_history
  add constraint equipment_maintenance_history_warehouse_id_work_order_id_fkey
  foreign key (warehouse_id, work_order_id) references work_orders(warehouse_id, id)
    on delete set null (work_order_id);
alter table public.notifications add constraint notifications_warehouse_id_work_order_id_fkey
  foreign key (warehouse_id, work_order_id) references work_orders(warehouse_id, id)
    on delete cascade;
alter table public.part_transactions add constraint part_transactions_warehouse_id_work_order_id_fkey
  foreign key (warehouse_id, work_order_id) references work_orders(warehouse_id, id);
alter table public.wo_attachments add constraint wo_attachments_warehouse_id_work_order_id_fkey
  foreign key (warehouse_id, work_order_id) references work_orders(warehouse_id, id)
    on delete cascade;
alter table public.wo_checklist_items add constraint wo_checklist_items_warehouse_id_work_order_id_fkey
  foreign key (warehouse_id, work_order_id) references work_orders(warehouse_id, id)
    on delete cascade;
alter table public.wo_parts_used add constraint wo_parts_used_warehouse_id_work_order_id_fkey
  foreign key (warehouse_id, work_order_id) references work_orders(warehouse_id, id)
    on delete cascade;
alter table public.wo_time_logs add constraint wo_time_logs_warehouse_id_work_order_id_fkey
  foreign key (warehouse_id, work_order_id) references work_orders(warehouse_id, id)
    on delete cascade;
alter table public.work_order_assignees add constraint work_order_assignees_warehouse_id_work_order_id_fkey
  foreign key (warehouse_id, work_order_id) references work_orders(warehouse_id, id)
    on update cascade on delete cascade;
alter table public.work_orders add constraint work_orders_warehouse_id_follow_up_of_fkey
  foreign key (warehouse_id, follow_up_of) references work_orders(warehouse_id, id)
    on delete set null (follow_up_of);

-- ================================================================ the audit trail
-- Distributed with its warehouse like the rows it records (every audited table has one).
alter table public.system_logs alter column warehouse_id set not null;
alter table public.system_logs drop constraint system_logs_pkey;
alter table public.system_logs add constraint system_logs_pkey primary key (warehouse_id, id, created_at);

-- ================================================================ unique keys within a warehouse
-- A PM schedule belongs to one warehouse, so (schedule, due date) stays unique as before.
alter table public.work_orders drop constraint work_orders_pm_schedule_id_pm_due_date_key;
alter table public.work_orders add constraint work_orders_pm_schedule_id_pm_due_date_key
  unique (warehouse_id, pm_schedule_id, pm_due_date);
-- Object names start with the warehouse id (<warehouse_id>/<work_order_id>/<file>).
alter table public.wo_attachments drop constraint wo_attachments_storage_path_key;
alter table public.wo_attachments add constraint wo_attachments_storage_path_key
  unique (warehouse_id, storage_path);

-- ================================================================ completions ledger
-- Keyed by warehouse and work order; a completion of a work order since deleted is dropped
-- (its idempotency record protects nothing any more).
alter table private.wo_completions add column warehouse_id uuid;
update private.wo_completions as c set warehouse_id = w.warehouse_id
from public.work_orders as w
where w.id = c.work_order_id;
delete from private.wo_completions
where warehouse_id is null;
alter table private.wo_completions alter column warehouse_id set not null;
alter table private.wo_completions drop constraint wo_completions_pkey;
alter table private.wo_completions add constraint wo_completions_pkey
  primary key (warehouse_id, work_order_id);

-- ================================================================ functions naming the keys
-- As in 0011 and 0013, with the new keys: the completion record by (warehouse, work order), PM
-- idempotency by (warehouse, schedule, due date).
create or replace function private.complete_work_order_impl(
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

create or replace function private.pm_create_work_order(p_schedule_id uuid, p_due date, p_requested_by uuid)
returns integer
language plpgsql volatile
set search_path = ''
as $$
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
