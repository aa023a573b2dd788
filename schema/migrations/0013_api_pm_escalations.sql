-- 0013_api_pm_escalations.sql
-- Scheduled jobs exposed as functions: preventive-maintenance work order generation and
-- escalation of overdue work orders. Both are idempotent (safe to run twice, also at the same
-- time) and are meant for a cron job running as service_role, or for an admin/manager
-- pressing "run now" (then limited to the caller's scope).

-- ================================================================ generate_pm_work_orders
create function private.pm_step(p_unit public.pm_interval_unit, p_value integer) returns interval
language sql immutable
set search_path = ''
as $$
  select case p_unit
    when 'days' then make_interval(days => p_value)
    when 'weeks' then make_interval(weeks => p_value)
    when 'months' then make_interval(months => p_value)
  end
$$;

-- One PM work order (with the template's checklist) for a schedule and due date; 0 when it
-- already exists. Invoker: runs with the rights of generate_pm_work_orders' caller.
create function private.pm_create_work_order(p_schedule_id uuid, p_due date, p_requested_by uuid)
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
  on conflict (pm_schedule_id, pm_due_date) do nothing
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

-- SECURITY INVOKER: admins, managers and supervisors may write work orders, checklists and
-- schedules in their scope, so RLS and the rule triggers apply unchanged.
create function public.generate_pm_work_orders(as_of date default current_date, warehouse_id uuid default null)
returns integer
language plpgsql volatile
set search_path = ''
as $$
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
comment on function public.generate_pm_work_orders(date, uuid) is
$$Create the preventive work orders that are due on as_of (default today): for calendar schedules every occurrence from next_due with occurrence - lead_days <= as_of (past occurrences superseded by a later past one are skipped: one overdue work order stands for them), for meter schedules one when the equipment meter advanced by meter_threshold; the template's checklist is copied and the schedule advanced (next_due past as_of + lead_days, or last_meter_reading). Limited to warehouse_id when given, else the caller's scope. Returns the number of work orders created.
Idempotent per schedule and due date: (pm_schedule_id, pm_due_date) is unique; running twice (also concurrently) creates each work order once.
Who: admin, manager, supervisor; service_role (every warehouse).
Errors: 22023 "invalid as_of: is required"; 42501 "warehouse not found or not accessible"; 42501 "not permitted: ...".$$;

-- ================================================================ process_escalations
create function private.process_escalations_impl(p_as_of timestamptz) returns integer
language plpgsql volatile security definer
set search_path = ''
as $$
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

create function public.process_escalations(as_of timestamptz default now()) returns integer
language plpgsql volatile
set search_path = ''
as $$
begin
  return private.process_escalations_impl(process_escalations.as_of);
end
$$;
comment on function public.process_escalations(timestamptz) is
$$Apply escalation_rules to open work orders overdue at as_of (default now): a work order whose due_date + hours_overdue of an active rule for its priority has passed gets escalated = true and escalation_level = the highest such level, and every active user of the rule's escalate_to_role in the warehouse gets a notification (rules with notify). Returns the number of work orders escalated.
Idempotent: a level is applied once (levels only grow), so running twice notifies once.
Who: admin, manager (their scope); service_role (every warehouse). Security definer inside (it notifies other users), with the caller's role and scope re-checked.
Errors: 22023 "invalid as_of: is required"; 42501 "not permitted: ...".$$;

-- ================================================================ privileges
revoke execute on function private.pm_step(public.pm_interval_unit, integer),
  private.pm_create_work_order(uuid, date, uuid),
  private.process_escalations_impl(timestamptz) from public, anon;
grant execute on function private.pm_step(public.pm_interval_unit, integer),
  private.pm_create_work_order(uuid, date, uuid),
  private.process_escalations_impl(timestamptz) to authenticated, service_role;
revoke execute on function public.generate_pm_work_orders(date, uuid),
  public.process_escalations(timestamptz) from public, anon;
grant execute on function public.generate_pm_work_orders(date, uuid),
  public.process_escalations(timestamptz) to authenticated, service_role;
