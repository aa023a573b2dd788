-- 0003_access_helpers_and_policies.sql
-- Access helpers (schema private, security definer, evaluated once per statement through
-- (select ...)), grants and Row Level Security policies implementing
-- docs/access-interpretation.md. One permissive policy per table, command and role.
--
-- How the policies are written (performance; the access matrix is unchanged):
--   * A policy arm is "role in R and row in scope" written as one indexable comparison,
--     `warehouse_id = any ((select private.scope_for('{R}'))::uuid[])`: scope_for returns the
--     caller's scope when their role is in R and '{}' otherwise. One initplan per arm instead of
--     a scope initplan plus a role initplan, and the arm can drive an index (BitmapOr of arms).
--   * Arms that depend on the caller's identity (assigned_to, requested_by) gate the role inside
--     the indexable value: `assigned_to @> array[(select private.uid_for('{R}'))]` (null, so
--     false, for other roles), so the GIN/btree index of the column serves the arm.
--   * The helpers are PL/pgSQL: a security definer function with `set search_path` is never
--     inlined, and a SQL-language body is parsed and planned again for every statement that
--     calls it, while PL/pgSQL keeps its plans for the session (several times cheaper per call).

-- ================================================================ helpers
create function private.user_scope(p_user uuid) returns uuid[]
language plpgsql stable parallel safe security definer
set search_path = ''
as $$
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
comment on function private.user_scope(uuid) is 'Warehouses a user may reach (admin all, manager home + granted, others home; inactive none).';

create function private.scope_for(p_roles public.app_role[]) returns uuid[]
language plpgsql stable parallel safe security definer
set search_path = ''
as $$
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
comment on function private.scope_for(public.app_role[]) is 'Scope of the calling user when their app role is one of p_roles (null = any role), else empty: `warehouse_id = any ((select private.scope_for(...)))` is "role in p_roles and row in scope" as one indexable comparison.';

create function private.warehouse_scope() returns uuid[]
language plpgsql stable parallel safe security definer
set search_path = ''
as $$
begin
  return private.scope_for(null);
end
$$;
comment on function private.warehouse_scope() is 'Scope of the calling user; empty for anon, unknown or inactive users.';

create function private.current_role() returns public.app_role
language plpgsql stable parallel safe security definer
set search_path = ''
as $$
begin
  return (select p.role from public.profiles p where p.id = auth.uid() and p.is_active);
end
$$;
comment on function private.current_role() is 'App role of the calling user from profiles (null when no active profile).';

create function private.uid_for(p_roles public.app_role[]) returns uuid
language plpgsql stable parallel safe security definer
set search_path = ''
as $$
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
comment on function private.uid_for(public.app_role[]) is 'auth.uid() when the caller has an active profile whose role is one of p_roles, else null: `assigned_to @> array[(select private.uid_for(...))]` is "role in p_roles and assigned to me", still served by the index of the column.';

create function private.has_wo_access(p_wo_id uuid) returns boolean
language plpgsql stable security definer
set search_path = ''
as $$
declare
  v_uid  uuid := auth.uid();
  v_role public.app_role;
begin
  select p.role into v_role from public.profiles p where p.id = v_uid and p.is_active;
  if v_role is null then
    return false;
  end if;
  -- the work_orders SELECT policy, spelled out (this function reads as its owner)
  return exists (
    select 1 from public.work_orders as w
     where w.id = p_wo_id
       and w.warehouse_id = any (private.scope_for(null))
       and (v_role in ('admin', 'manager', 'supervisor', 'inventory_clerk')
            or (v_role in ('technician', 'contractor') and w.assigned_to @> array[v_uid])
            or (v_role in ('technician', 'requester') and w.requested_by = v_uid)));
end
$$;
comment on function private.has_wo_access(uuid) is 'True when the caller may read the work order.';

create function private.can_work_on_wo(p_wo_id uuid) returns boolean
language sql stable security definer
set search_path = ''
as $$
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
comment on function private.can_work_on_wo(uuid) is 'True when the caller may write children (checklist, time, attachments, parts) of the work order.';

create function private.contractor_equipment_ids() returns uuid[]
language plpgsql stable security definer
set search_path = ''
as $$
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
comment on function private.contractor_equipment_ids() is 'Equipment referenced by work orders assigned to the caller (what a contractor may read).';


revoke execute on all functions in schema private from public, anon;
grant execute on function
  private.warehouse_scope(), private.current_role(), private.scope_for(public.app_role[]),
  private.uid_for(public.app_role[]), private.has_wo_access(uuid), private.can_work_on_wo(uuid),
  private.contractor_equipment_ids()
  to authenticated, service_role;
-- private.user_scope(uuid) reveals another user's scope: owner/service_role only.
revoke execute on function private.user_scope(uuid) from authenticated;

-- ================================================================ grants
grant usage on schema public to anon, authenticated, service_role;
-- service_role gets the four DML privileges, not ALL: TRUNCATE, REFERENCES and TRIGGER are
-- never needed by a server-side job and TRUNCATE would empty the append-only tables.
grant select, insert, update, delete on all tables in schema public to service_role;
grant usage, select on all sequences in schema public to service_role;

grant select, insert, update, delete on
  public.warehouses, public.user_warehouse_access, public.profiles, public.equipment,
  public.equipment_maintenance_history, public.work_orders, public.wo_checklist_items,
  public.wo_time_logs, public.wo_attachments, public.wo_parts_used, public.parts,
  public.pm_templates, public.pm_template_checklist, public.pm_schedules, public.vendors,
  public.contractors, public.escalation_rules, public.notifications,
  public.notification_settings
  to authenticated;
grant select, insert on public.part_transactions to authenticated;
grant select, insert, update on public.system_settings to authenticated;

-- ================================================================ enable RLS
alter table public.warehouses enable row level security;
alter table public.profiles enable row level security;
alter table public.user_warehouse_access enable row level security;
alter table public.vendors enable row level security;
alter table public.contractors enable row level security;
alter table public.equipment enable row level security;
alter table public.equipment_maintenance_history enable row level security;
alter table public.parts enable row level security;
alter table public.pm_templates enable row level security;
alter table public.pm_template_checklist enable row level security;
alter table public.pm_schedules enable row level security;
alter table public.work_orders enable row level security;
alter table public.wo_checklist_items enable row level security;
alter table public.wo_time_logs enable row level security;
alter table public.wo_attachments enable row level security;
alter table public.wo_parts_used enable row level security;
alter table public.part_transactions enable row level security;
alter table public.notifications enable row level security;
alter table public.notification_settings enable row level security;
alter table public.system_settings enable row level security;
alter table public.escalation_rules enable row level security;

-- ================================================================ warehouses (scope = own id)
create policy warehouses_select on public.warehouses for select to authenticated
  using (id = any ((select private.warehouse_scope())::uuid[]));
create policy warehouses_insert on public.warehouses for insert to authenticated
  with check ((select private.current_role()) = 'admin');
create policy warehouses_update on public.warehouses for update to authenticated
  using (id = any ((select private.scope_for('{admin}'))::uuid[]))
  with check ((select private.current_role()) = 'admin');
create policy warehouses_delete on public.warehouses for delete to authenticated
  using (id = any ((select private.scope_for('{admin}'))::uuid[]));

-- ================================================================ user_warehouse_access
create policy uwa_select on public.user_warehouse_access for select to authenticated
  using (warehouse_id = any ((select private.scope_for('{admin}'))::uuid[])
         or (user_id = (select auth.uid())
             and warehouse_id = any ((select private.scope_for('{manager}'))::uuid[])));
create policy uwa_insert on public.user_warehouse_access for insert to authenticated
  with check (warehouse_id = any ((select private.scope_for('{admin}'))::uuid[]));
create policy uwa_update on public.user_warehouse_access for update to authenticated
  using (warehouse_id = any ((select private.scope_for('{admin}'))::uuid[]))
  with check (warehouse_id = any ((select private.scope_for('{admin}'))::uuid[]));
create policy uwa_delete on public.user_warehouse_access for delete to authenticated
  using (warehouse_id = any ((select private.scope_for('{admin}'))::uuid[]));

-- ================================================================ profiles
create policy profiles_select on public.profiles for select to authenticated
  using (warehouse_id = any ((select private.scope_for(
           '{admin,manager,supervisor,technician,inventory_clerk}'))::uuid[])
         or (id = (select auth.uid())
             and warehouse_id = any ((select private.scope_for('{contractor,requester}'))::uuid[])));
create policy profiles_insert on public.profiles for insert to authenticated
  with check (warehouse_id = any ((select private.scope_for('{admin}'))::uuid[])
              or (role <> 'admin'
                  and warehouse_id = any ((select private.scope_for('{manager}'))::uuid[])));
create policy profiles_update on public.profiles for update to authenticated
  using (warehouse_id = any ((select private.scope_for('{admin}'))::uuid[])
         or (role <> 'admin'
             and warehouse_id = any ((select private.scope_for('{manager}'))::uuid[])))
  with check (warehouse_id = any ((select private.scope_for('{admin}'))::uuid[])
              or (role <> 'admin'
                  and warehouse_id = any ((select private.scope_for('{manager}'))::uuid[])));
create policy profiles_delete on public.profiles for delete to authenticated
  using (warehouse_id = any ((select private.scope_for('{admin}'))::uuid[]));

-- ================================================================ equipment
create policy equipment_select on public.equipment for select to authenticated
  using (warehouse_id = any ((select private.scope_for(
           '{admin,manager,supervisor,technician,inventory_clerk,requester}'))::uuid[])
         or (id = any ((select private.contractor_equipment_ids())::uuid[])
             and warehouse_id = any ((select private.scope_for('{contractor}'))::uuid[])));
create policy equipment_insert on public.equipment for insert to authenticated
  with check (warehouse_id = any ((select private.scope_for('{admin,manager,supervisor}'))::uuid[]));
create policy equipment_update on public.equipment for update to authenticated
  using (warehouse_id = any ((select private.scope_for('{admin,manager,supervisor}'))::uuid[]))
  with check (warehouse_id = any ((select private.scope_for('{admin,manager,supervisor}'))::uuid[]));
create policy equipment_delete on public.equipment for delete to authenticated
  using (warehouse_id = any ((select private.scope_for('{admin,manager}'))::uuid[]));

create policy emh_select on public.equipment_maintenance_history for select to authenticated
  using (warehouse_id = any ((select private.scope_for(
           '{admin,manager,supervisor,technician,inventory_clerk,requester}'))::uuid[])
         or (equipment_id = any ((select private.contractor_equipment_ids())::uuid[])
             and warehouse_id = any ((select private.scope_for('{contractor}'))::uuid[])));
create policy emh_insert on public.equipment_maintenance_history for insert to authenticated
  with check (warehouse_id = any ((select private.scope_for('{admin,manager,supervisor}'))::uuid[]));
create policy emh_update on public.equipment_maintenance_history for update to authenticated
  using (warehouse_id = any ((select private.scope_for('{admin,manager,supervisor}'))::uuid[]))
  with check (warehouse_id = any ((select private.scope_for('{admin,manager,supervisor}'))::uuid[]));
create policy emh_delete on public.equipment_maintenance_history for delete to authenticated
  using (warehouse_id = any ((select private.scope_for('{admin,manager}'))::uuid[]));

-- ================================================================ work_orders
-- Staff read the scope; technician/contractor/requester their home scope restricted to what is
-- assigned to them or requested by them. Each arm is indexable on its own (warehouse btree,
-- assigned_to GIN, requested_by btree) so that the planner may BitmapOr them, and a staff list
-- page still walks (warehouse_id, created_at, id) with the policy as a cheap filter.
create policy work_orders_select on public.work_orders for select to authenticated
  using (warehouse_id = any ((select private.scope_for(
           '{admin,manager,supervisor,inventory_clerk}'))::uuid[])
         or (warehouse_id = any ((select private.scope_for(
               '{technician,contractor,requester}'))::uuid[])
             and (assigned_to @> array[(select private.uid_for('{technician,contractor}'))]
                  or requested_by = (select private.uid_for('{technician,requester}')))));
create policy work_orders_insert on public.work_orders for insert to authenticated
  with check (warehouse_id = any ((select private.scope_for('{admin,manager,supervisor}'))::uuid[])
              or (warehouse_id = any ((select private.scope_for('{technician,requester}'))::uuid[])
                  and status = 'requested'
                  and requested_by = (select auth.uid())));
create policy work_orders_update on public.work_orders for update to authenticated
  using (warehouse_id = any ((select private.scope_for('{admin,manager,supervisor}'))::uuid[])
         or (warehouse_id = any ((select private.scope_for(
               '{technician,contractor,requester}'))::uuid[])
             and (assigned_to @> array[(select private.uid_for('{technician,contractor}'))]
                  or (requested_by = (select private.uid_for('{technician,requester}'))
                      and status = 'requested'))))
  with check (warehouse_id = any ((select private.scope_for('{admin,manager,supervisor}'))::uuid[])
              or (warehouse_id = any ((select private.scope_for(
                    '{technician,contractor,requester}'))::uuid[])
                  and (assigned_to @> array[(select private.uid_for('{technician,contractor}'))]
                       or requested_by = (select private.uid_for('{technician,requester}')))));
create policy work_orders_delete on public.work_orders for delete to authenticated
  using (warehouse_id = any ((select private.scope_for('{admin,manager}'))::uuid[]));

-- ================================================================ work order children
-- R when the parent work order is readable; admin/manager/supervisor write; technician and
-- contractor write on work orders assigned to them; delete admin/manager.
-- Staff read by scope (one initplan). Everyone else reads a child when private.has_wo_access
-- says its parent work order is readable: one primary key probe per child row, evaluated only
-- for non-staff (OR short-circuits). An EXISTS on work_orders would say the same, but it makes
-- the planner expand the work_orders policy once per child table in every statement: on the
-- work order detail page that planning alone doubled the time under RLS. Materialising every
-- readable work order instead grows with a technician's workload. The composite foreign key
-- keeps the child in its parent's warehouse.
create policy wo_checklist_items_select on public.wo_checklist_items for select to authenticated
  using (warehouse_id = any ((select private.scope_for(
           '{admin,manager,supervisor,inventory_clerk}'))::uuid[])
         or private.has_wo_access(work_order_id));
create policy wo_checklist_items_insert on public.wo_checklist_items for insert to authenticated
  with check (warehouse_id = any ((select private.scope_for('{admin,manager,supervisor}'))::uuid[])
              or (warehouse_id = any ((select private.scope_for('{technician,contractor}'))::uuid[])
                  and exists (select 1 from public.work_orders as w
                               where w.id = wo_checklist_items.work_order_id
                                 and w.assigned_to @> array[(select auth.uid())])));
create policy wo_checklist_items_update on public.wo_checklist_items for update to authenticated
  using (warehouse_id = any ((select private.scope_for('{admin,manager,supervisor}'))::uuid[])
         or (warehouse_id = any ((select private.scope_for('{technician,contractor}'))::uuid[])
             and exists (select 1 from public.work_orders as w
                          where w.id = wo_checklist_items.work_order_id
                            and w.assigned_to @> array[(select auth.uid())])))
  with check (warehouse_id = any ((select private.scope_for('{admin,manager,supervisor}'))::uuid[])
              or (warehouse_id = any ((select private.scope_for('{technician,contractor}'))::uuid[])
                  and exists (select 1 from public.work_orders as w
                               where w.id = wo_checklist_items.work_order_id
                                 and w.assigned_to @> array[(select auth.uid())])));
create policy wo_checklist_items_delete on public.wo_checklist_items for delete to authenticated
  using (warehouse_id = any ((select private.scope_for('{admin,manager}'))::uuid[]));

create policy wo_time_logs_select on public.wo_time_logs for select to authenticated
  using (warehouse_id = any ((select private.scope_for(
           '{admin,manager,supervisor,inventory_clerk}'))::uuid[])
         or private.has_wo_access(work_order_id));
create policy wo_time_logs_insert on public.wo_time_logs for insert to authenticated
  with check (warehouse_id = any ((select private.scope_for('{admin,manager,supervisor}'))::uuid[])
              or (warehouse_id = any ((select private.scope_for('{technician,contractor}'))::uuid[])
                  and user_id = (select auth.uid())
                  and exists (select 1 from public.work_orders as w
                               where w.id = wo_time_logs.work_order_id
                                 and w.assigned_to @> array[(select auth.uid())])));
create policy wo_time_logs_update on public.wo_time_logs for update to authenticated
  using (warehouse_id = any ((select private.scope_for('{admin,manager,supervisor}'))::uuid[])
         or (warehouse_id = any ((select private.scope_for('{technician,contractor}'))::uuid[])
             and user_id = (select auth.uid())
             and exists (select 1 from public.work_orders as w
                          where w.id = wo_time_logs.work_order_id
                            and w.assigned_to @> array[(select auth.uid())])))
  with check (warehouse_id = any ((select private.scope_for('{admin,manager,supervisor}'))::uuid[])
              or (warehouse_id = any ((select private.scope_for('{technician,contractor}'))::uuid[])
                  and user_id = (select auth.uid())
                  and exists (select 1 from public.work_orders as w
                               where w.id = wo_time_logs.work_order_id
                                 and w.assigned_to @> array[(select auth.uid())])));
create policy wo_time_logs_delete on public.wo_time_logs for delete to authenticated
  using (warehouse_id = any ((select private.scope_for('{admin,manager}'))::uuid[]));

create policy wo_attachments_select on public.wo_attachments for select to authenticated
  using (warehouse_id = any ((select private.scope_for(
           '{admin,manager,supervisor,inventory_clerk}'))::uuid[])
         or private.has_wo_access(work_order_id));
create policy wo_attachments_insert on public.wo_attachments for insert to authenticated
  with check (warehouse_id = any ((select private.scope_for('{admin,manager,supervisor}'))::uuid[])
              or (warehouse_id = any ((select private.scope_for('{technician,contractor}'))::uuid[])
                  and exists (select 1 from public.work_orders as w
                               where w.id = wo_attachments.work_order_id
                                 and w.assigned_to @> array[(select auth.uid())])));
create policy wo_attachments_update on public.wo_attachments for update to authenticated
  using (warehouse_id = any ((select private.scope_for('{admin,manager,supervisor}'))::uuid[])
         or (warehouse_id = any ((select private.scope_for('{technician,contractor}'))::uuid[])
             and exists (select 1 from public.work_orders as w
                          where w.id = wo_attachments.work_order_id
                            and w.assigned_to @> array[(select auth.uid())])))
  with check (warehouse_id = any ((select private.scope_for('{admin,manager,supervisor}'))::uuid[])
              or (warehouse_id = any ((select private.scope_for('{technician,contractor}'))::uuid[])
                  and exists (select 1 from public.work_orders as w
                               where w.id = wo_attachments.work_order_id
                                 and w.assigned_to @> array[(select auth.uid())])));
create policy wo_attachments_delete on public.wo_attachments for delete to authenticated
  using (warehouse_id = any ((select private.scope_for('{admin,manager}'))::uuid[]));

create policy wo_parts_used_select on public.wo_parts_used for select to authenticated
  using (warehouse_id = any ((select private.scope_for(
           '{admin,manager,supervisor,inventory_clerk}'))::uuid[])
         or private.has_wo_access(work_order_id));
create policy wo_parts_used_insert on public.wo_parts_used for insert to authenticated
  with check (warehouse_id = any ((select private.scope_for('{admin,manager,supervisor}'))::uuid[])
              or (warehouse_id = any ((select private.scope_for('{technician,contractor}'))::uuid[])
                  and exists (select 1 from public.work_orders as w
                               where w.id = wo_parts_used.work_order_id
                                 and w.assigned_to @> array[(select auth.uid())])));
create policy wo_parts_used_update on public.wo_parts_used for update to authenticated
  using (warehouse_id = any ((select private.scope_for('{admin,manager,supervisor}'))::uuid[])
         or (warehouse_id = any ((select private.scope_for('{technician,contractor}'))::uuid[])
             and exists (select 1 from public.work_orders as w
                          where w.id = wo_parts_used.work_order_id
                            and w.assigned_to @> array[(select auth.uid())])))
  with check (warehouse_id = any ((select private.scope_for('{admin,manager,supervisor}'))::uuid[])
              or (warehouse_id = any ((select private.scope_for('{technician,contractor}'))::uuid[])
                  and exists (select 1 from public.work_orders as w
                               where w.id = wo_parts_used.work_order_id
                                 and w.assigned_to @> array[(select auth.uid())])));
create policy wo_parts_used_delete on public.wo_parts_used for delete to authenticated
  using (warehouse_id = any ((select private.scope_for('{admin,manager}'))::uuid[]));

-- ================================================================ parts and ledger
create policy parts_select on public.parts for select to authenticated
  using (warehouse_id = any ((select private.scope_for(
           '{admin,manager,inventory_clerk,supervisor,technician}'))::uuid[]));
create policy parts_insert on public.parts for insert to authenticated
  with check (warehouse_id = any ((select private.scope_for('{admin,manager,inventory_clerk}'))::uuid[]));
create policy parts_update on public.parts for update to authenticated
  using (warehouse_id = any ((select private.scope_for('{admin,manager,inventory_clerk}'))::uuid[]))
  with check (warehouse_id = any ((select private.scope_for('{admin,manager,inventory_clerk}'))::uuid[]));
create policy parts_delete on public.parts for delete to authenticated
  using (warehouse_id = any ((select private.scope_for('{admin,manager,inventory_clerk}'))::uuid[]));

-- append-only: no update/delete policy (and no grant).
create policy part_transactions_select on public.part_transactions for select to authenticated
  using (warehouse_id = any ((select private.scope_for(
           '{admin,manager,supervisor,inventory_clerk}'))::uuid[]));
create policy part_transactions_insert on public.part_transactions for insert to authenticated
  with check (warehouse_id = any ((select private.scope_for('{manager,inventory_clerk}'))::uuid[]));

-- ================================================================ preventive maintenance
create policy pm_templates_select on public.pm_templates for select to authenticated
  using (warehouse_id = any ((select private.scope_for('{admin,manager,supervisor,technician}'))::uuid[]));
create policy pm_templates_insert on public.pm_templates for insert to authenticated
  with check (warehouse_id = any ((select private.scope_for('{admin,manager,supervisor}'))::uuid[]));
create policy pm_templates_update on public.pm_templates for update to authenticated
  using (warehouse_id = any ((select private.scope_for('{admin,manager,supervisor}'))::uuid[]))
  with check (warehouse_id = any ((select private.scope_for('{admin,manager,supervisor}'))::uuid[]));
create policy pm_templates_delete on public.pm_templates for delete to authenticated
  using (warehouse_id = any ((select private.scope_for('{admin,manager}'))::uuid[]));

create policy pm_template_checklist_select on public.pm_template_checklist for select to authenticated
  using (warehouse_id = any ((select private.scope_for('{admin,manager,supervisor,technician}'))::uuid[]));
create policy pm_template_checklist_insert on public.pm_template_checklist for insert to authenticated
  with check (warehouse_id = any ((select private.scope_for('{admin,manager,supervisor}'))::uuid[]));
create policy pm_template_checklist_update on public.pm_template_checklist for update to authenticated
  using (warehouse_id = any ((select private.scope_for('{admin,manager,supervisor}'))::uuid[]))
  with check (warehouse_id = any ((select private.scope_for('{admin,manager,supervisor}'))::uuid[]));
create policy pm_template_checklist_delete on public.pm_template_checklist for delete to authenticated
  using (warehouse_id = any ((select private.scope_for('{admin,manager}'))::uuid[]));

create policy pm_schedules_select on public.pm_schedules for select to authenticated
  using (warehouse_id = any ((select private.scope_for('{admin,manager,supervisor,technician}'))::uuid[]));
create policy pm_schedules_insert on public.pm_schedules for insert to authenticated
  with check (warehouse_id = any ((select private.scope_for('{admin,manager,supervisor}'))::uuid[]));
create policy pm_schedules_update on public.pm_schedules for update to authenticated
  using (warehouse_id = any ((select private.scope_for('{admin,manager,supervisor}'))::uuid[]))
  with check (warehouse_id = any ((select private.scope_for('{admin,manager,supervisor}'))::uuid[]));
create policy pm_schedules_delete on public.pm_schedules for delete to authenticated
  using (warehouse_id = any ((select private.scope_for('{admin,manager}'))::uuid[]));

-- ================================================================ vendors / contractors
create policy vendors_select on public.vendors for select to authenticated
  using (warehouse_id = any ((select private.scope_for('{admin,manager,supervisor,inventory_clerk}'))::uuid[]));
create policy vendors_insert on public.vendors for insert to authenticated
  with check (warehouse_id = any ((select private.scope_for('{admin,manager,inventory_clerk}'))::uuid[]));
create policy vendors_update on public.vendors for update to authenticated
  using (warehouse_id = any ((select private.scope_for('{admin,manager,inventory_clerk}'))::uuid[]))
  with check (warehouse_id = any ((select private.scope_for('{admin,manager,inventory_clerk}'))::uuid[]));
create policy vendors_delete on public.vendors for delete to authenticated
  using (warehouse_id = any ((select private.scope_for('{admin,manager}'))::uuid[]));

create policy contractors_select on public.contractors for select to authenticated
  using (warehouse_id = any ((select private.scope_for('{admin,manager,supervisor}'))::uuid[])
         or (profile_id = (select auth.uid())
             and warehouse_id = any ((select private.scope_for('{contractor}'))::uuid[])));
create policy contractors_insert on public.contractors for insert to authenticated
  with check (warehouse_id = any ((select private.scope_for('{admin,manager}'))::uuid[]));
create policy contractors_update on public.contractors for update to authenticated
  using (warehouse_id = any ((select private.scope_for('{admin,manager}'))::uuid[]))
  with check (warehouse_id = any ((select private.scope_for('{admin,manager}'))::uuid[]));
create policy contractors_delete on public.contractors for delete to authenticated
  using (warehouse_id = any ((select private.scope_for('{admin,manager}'))::uuid[]));

-- ================================================================ escalation / settings
create policy escalation_rules_select on public.escalation_rules for select to authenticated
  using (warehouse_id = any ((select private.scope_for('{admin,manager,supervisor}'))::uuid[]));
create policy escalation_rules_insert on public.escalation_rules for insert to authenticated
  with check (warehouse_id = any ((select private.scope_for('{admin,manager}'))::uuid[]));
create policy escalation_rules_update on public.escalation_rules for update to authenticated
  using (warehouse_id = any ((select private.scope_for('{admin,manager}'))::uuid[]))
  with check (warehouse_id = any ((select private.scope_for('{admin,manager}'))::uuid[]));
create policy escalation_rules_delete on public.escalation_rules for delete to authenticated
  using (warehouse_id = any ((select private.scope_for('{admin,manager}'))::uuid[]));

-- no delete (no grant, no policy)
create policy system_settings_select on public.system_settings for select to authenticated
  using (warehouse_id = any ((select private.scope_for(
           '{admin,manager,supervisor,technician,inventory_clerk}'))::uuid[]));
create policy system_settings_insert on public.system_settings for insert to authenticated
  with check (warehouse_id = any ((select private.scope_for('{admin}'))::uuid[]));
create policy system_settings_update on public.system_settings for update to authenticated
  using (warehouse_id = any ((select private.scope_for('{admin}'))::uuid[])
         or ('manager' = any (editable_by_role)
             and warehouse_id = any ((select private.scope_for('{manager}'))::uuid[])))
  with check (warehouse_id = any ((select private.scope_for('{admin}'))::uuid[])
              or ('manager' = any (editable_by_role)
                  and warehouse_id = any ((select private.scope_for('{manager}'))::uuid[])));

-- ================================================================ notifications (own only)
create policy notifications_select on public.notifications for select to authenticated
  using (user_id = (select auth.uid()) and warehouse_id = any ((select private.warehouse_scope())::uuid[]));
create policy notifications_insert on public.notifications for insert to authenticated
  with check (user_id = (select auth.uid()) and warehouse_id = any ((select private.warehouse_scope())::uuid[]));
create policy notifications_update on public.notifications for update to authenticated
  using (user_id = (select auth.uid()) and warehouse_id = any ((select private.warehouse_scope())::uuid[]))
  with check (user_id = (select auth.uid()) and warehouse_id = any ((select private.warehouse_scope())::uuid[]));
create policy notifications_delete on public.notifications for delete to authenticated
  using (user_id = (select auth.uid()) and warehouse_id = any ((select private.warehouse_scope())::uuid[]));

create policy notification_settings_select on public.notification_settings for select to authenticated
  using (user_id = (select auth.uid()) and warehouse_id = any ((select private.warehouse_scope())::uuid[]));
create policy notification_settings_insert on public.notification_settings for insert to authenticated
  with check (user_id = (select auth.uid()) and warehouse_id = any ((select private.warehouse_scope())::uuid[]));
create policy notification_settings_update on public.notification_settings for update to authenticated
  using (user_id = (select auth.uid()) and warehouse_id = any ((select private.warehouse_scope())::uuid[]))
  with check (user_id = (select auth.uid()) and warehouse_id = any ((select private.warehouse_scope())::uuid[]));
create policy notification_settings_delete on public.notification_settings for delete to authenticated
  using (user_id = (select auth.uid()) and warehouse_id = any ((select private.warehouse_scope())::uuid[]));
