-- 0016_work_order_assignees.sql
-- "My work orders, newest first" as an index walk that costs the page, not the table.
--
-- work_orders.assigned_to (uuid[]) stays the one place assignments are written (the API, the
-- policies and the triggers all read it). No B-tree can index the elements of an array, so the
-- technician's list either walks the site's newest work orders and skips other people's
-- (cost grows with the technicians per site: 5.9x the buffers at 1M rows vs 100k) or fetches
-- every work order ever assigned to them from the GIN index and sorts (cost grows with their
-- history). work_order_assignees is a derived row per (work order, assignee), kept in step by a
-- trigger, with the work order's created_at copied so that (user_id, wo_created_at, id) walks
-- a page in order. Clients read it (under the parent's read policy) and never write it.

-- The foreign key, the trigger and the backfill lock work_orders: on a live database wait at
-- most a few seconds for the lock and fail (to be retried) rather than queue every request.
set local lock_timeout = '5s';
set local statement_timeout = '10min';

create table public.work_order_assignees (
  id            uuid primary key default gen_random_uuid(),
  warehouse_id  uuid not null,
  work_order_id uuid not null,
  user_id       uuid not null,
  wo_created_at timestamptz not null,
  constraint work_order_assignees_once unique (warehouse_id, work_order_id, user_id),
  -- on update cascade: a work order may move to another warehouse (the assignees are checked
  -- against the new one by work_orders_rules)
  foreign key (warehouse_id, work_order_id) references public.work_orders (warehouse_id, id)
    on update cascade on delete cascade
);
comment on table public.work_order_assignees is 'One row per (work order, assignee), derived from work_orders.assigned_to by a trigger (read-only for clients): serves "my work orders, newest first" from the index on (user_id, wo_created_at, work_order_id).';
comment on column public.work_order_assignees.user_id is 'An element of work_orders.assigned_to (like the array, not a foreign key: unassigning is the work order''s business).';
comment on column public.work_order_assignees.wo_created_at is 'work_orders.created_at, copied so that the index orders a user''s work orders newest first.';
create index work_order_assignees_user_idx
  on public.work_order_assignees (user_id, wo_created_at desc, work_order_id desc);

-- ================================================================ keep it in step
create function private.sync_work_order_assignees() returns trigger
language plpgsql security definer
set search_path = ''
as $$
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
comment on function private.sync_work_order_assignees() is 'AFTER INSERT/UPDATE trigger on work_orders: work_order_assignees holds exactly the elements of assigned_to, with the work order''s created_at.';

create trigger trg_50_sync_assignees
  after insert or update of assigned_to, created_at, warehouse_id on public.work_orders
  for each row execute function private.sync_work_order_assignees();

insert into public.work_order_assignees (warehouse_id, work_order_id, user_id, wo_created_at)
select distinct
  w.warehouse_id,
  w.id,
  u.user_id,
  w.created_at
from public.work_orders as w
cross join lateral unnest(w.assigned_to) as u (user_id)
where u.user_id is not null;

-- ================================================================ access
grant select on public.work_order_assignees to authenticated;
grant select, insert, update, delete on public.work_order_assignees to service_role;
alter table public.work_order_assignees enable row level security;

-- Readable with the work order (like its checklist and time logs). The first arm is "my own
-- assignment" as an indexable comparison: a technician's or contractor's own rows pass without
-- the per-row has_wo_access call (an assignee may always read the work order).
create policy work_order_assignees_select on public.work_order_assignees for select to authenticated
  using (user_id = (select private.uid_for('{technician,contractor}'))
           and warehouse_id = any ((select private.scope_for('{technician,contractor}'))::uuid[])
         or warehouse_id = any ((select private.scope_for(
              '{admin,manager,supervisor,inventory_clerk}'))::uuid[])
         or private.has_wo_access(work_order_id));

-- ================================================================ has_wo_access, one statement
-- Child-table read policies call it once per row for technicians, contractors and requesters
-- (a detail page: every checklist item, time log and part). One statement instead of a profile
-- lookup plus scope_for's second one: 0.72-0.90 -> 0.39-0.63 ms for a technician's work order
-- detail at ci scale (warm, EXPLAIN ANALYZE). Same rule as before; SEC100 holds it to the matrix.
create or replace function private.has_wo_access(p_wo_id uuid) returns boolean
language plpgsql stable security definer
set search_path = ''
as $$
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

-- ================================================================ list_work_orders(assigned_to_me)
create or replace function public.list_work_orders(
  warehouse_id uuid default null,
  status text default null,
  assigned_to_me boolean default false,
  after_cursor text default null,
  page_size integer default 50
) returns jsonb
language plpgsql stable
set search_path = ''
as $$
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
