-- 0005_audit.sql
-- Audit trail: system_logs, range-partitioned by month (partitions live in schema private,
-- never exposed), one generic AFTER ROW trigger on every tenant table, append-only.

create table public.system_logs (
  id           uuid not null default gen_random_uuid(),
  created_at   timestamptz not null default now(),
  action       public.audit_action not null,
  table_name   text not null,
  record_id    uuid,
  actor_id     uuid,
  warehouse_id uuid,
  old_values   jsonb,
  new_values   jsonb,
  primary key (id, created_at)
) partition by range (created_at);
comment on table public.system_logs is 'Audit trail: one row per insert/update/delete on a tenant table, written by private.audit_row(). Append-only; partitioned by month.';
comment on column public.system_logs.actor_id is 'auth.uid() of the acting user (null for server-side jobs and seeds).';
comment on column public.system_logs.warehouse_id is 'Warehouse of the audited row (no foreign key: history outlives deleted warehouses).';
comment on column public.system_logs.old_values is 'Row before the change (UPDATE, DELETE).';
comment on column public.system_logs.new_values is 'Row after the change (INSERT, UPDATE).';

create index system_logs_record_idx on public.system_logs (table_name, record_id);
create index system_logs_warehouse_idx on public.system_logs (warehouse_id, created_at);

create table private.system_logs_default partition of public.system_logs default;
alter table private.system_logs_default enable row level security;

create function private.ensure_system_logs_partitions(months_ahead integer default 3)
returns integer
language plpgsql security definer
set search_path = ''
as $$
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
comment on function private.ensure_system_logs_partitions(integer) is
  'Creates monthly system_logs partitions from 2024-01 to now + months_ahead; run monthly by a job.';

select private.ensure_system_logs_partitions(3);

-- ================================================================ audit trigger
create function private.audit_row() returns trigger
language plpgsql security definer
set search_path = ''
as $$
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
comment on function private.audit_row() is 'Generic AFTER ROW audit trigger writing public.system_logs.';

do $$
declare
  t text;
begin
  foreach t in array array[
    'warehouses', 'profiles', 'user_warehouse_access', 'vendors', 'contractors', 'equipment',
    'parts', 'pm_templates', 'pm_template_checklist', 'pm_schedules', 'work_orders',
    'equipment_maintenance_history', 'wo_checklist_items', 'wo_time_logs', 'wo_attachments',
    'wo_parts_used', 'part_transactions', 'notifications', 'notification_settings',
    'system_settings', 'escalation_rules'
  ] loop
    execute format(
      'create trigger trg_99_audit after insert or update or delete on public.%I '
      'for each row execute function private.audit_row()', t);
  end loop;
end
$$;

create trigger trg_05_append_only before update or delete on public.system_logs
  for each row execute function private.append_only_guard();

-- ================================================================ access
alter table public.system_logs enable row level security;
grant select on public.system_logs to authenticated;
grant select, insert on public.system_logs to service_role;
revoke update, delete on public.system_logs from service_role;

create policy system_logs_select on public.system_logs for select to authenticated
  using (warehouse_id = any ((select private.scope_for('{admin,manager}'))::uuid[]));

revoke execute on function private.audit_row(), private.ensure_system_logs_partitions(integer)
  from public, anon, authenticated;
