-- 0014_api_reporting.sql
-- Read functions: dashboard KPIs per warehouse, keyset-paginated work order list, full-text
-- search. List and search are SECURITY INVOKER (RLS decides what each row-level role sees);
-- the dashboard is restricted to roles that read every work order and part of a warehouse in
-- scope (admin, manager, supervisor), so its definer body returns exactly what RLS would
-- show them, while using index-only aggregates. Search finds its candidates through a definer
-- helper that applies the work_orders read policy explicitly (so that the GIN index is usable)
-- and then reads them under RLS.

-- ================================================================ dashboard_kpis
create function private.dashboard_kpis_impl(p_warehouse_id uuid) returns jsonb
language plpgsql stable security definer
set search_path = ''
as $$
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

create function public.dashboard_kpis(warehouse_id uuid) returns jsonb
language plpgsql stable
set search_path = ''
as $$
begin
  return private.dashboard_kpis_impl(dashboard_kpis.warehouse_id);
end
$$;
comment on function public.dashboard_kpis(uuid) is
$$KPIs of warehouse warehouse_id as one JSON object: open_work_orders (requested..on_hold), overdue_work_orders (open and past due_date), mttr_hours (mean completed_at - started_at of corrective/emergency work orders completed in the last window_days = 90; null without any), pm_compliance_pct (preventive work orders due in the window, share completed by the end of their due day; null without any), pm_due_work_orders, backlog_hours (sum of estimated_hours of open work orders), backlog_work_orders, low_stock_parts (active parts with available <= reorder_point), as_of, window_days.
Who: admin, manager, supervisor with the warehouse in scope; service_role.
Errors: 22023 "invalid warehouse_id: is required"; 42501 "warehouse not found or not accessible"; 42501 "not permitted: ...".$$;

-- ================================================================ list_work_orders
create function public.list_work_orders(
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

  -- two statements so that each gets the index that fits (warehouse or not); RLS adds scope
  if list_work_orders.warehouse_id is not null then
    v_rows := array(
      select w from public.work_orders w
       where w.warehouse_id = list_work_orders.warehouse_id
         and (v_status is null or w.status = v_status)
         and (not v_mine or w.assigned_to @> array[v_a.uid])
         and (v_ts is null or (w.created_at, w.id) < (v_ts, v_id))
       order by w.created_at desc, w.id desc
       limit v_ps + 1);
  else
    v_rows := array(
      select w from public.work_orders w
       where w.warehouse_id = any (v_a.scope)
         and (v_status is null or w.status = v_status)
         and (not v_mine or w.assigned_to @> array[v_a.uid])
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
comment on function public.list_work_orders(uuid, text, boolean, text, integer) is
$$One page of the work orders the caller may read, newest first (created_at desc, id desc), as {"items": [work order...], "next_cursor": text|null}. Pass next_cursor back as after_cursor for the next page (keyset pagination: stable under inserts, cost independent of the page number).
Arguments: warehouse_id (null = every warehouse in scope), status (wo_status), assigned_to_me (only work orders assigned to the caller), after_cursor (opaque, from a previous call), page_size (1-200, default 50).
Who: every authenticated role; rows follow the work_orders read policy (technicians: assigned or own requests, requesters: own requests, ...); service_role.
Errors: 22023 "invalid status: ...", "invalid page_size: ...", "invalid after_cursor: ..."; 42501 "warehouse not found or not accessible".$$;

-- ================================================================ search_work_orders
-- The GIN lookup runs in a definer helper: under RLS, `search @@ q` is not leakproof, so the
-- planner may not use it as an index condition ahead of the work_orders policy and would scan
-- the whole scope. The helper applies the work_orders read policy explicitly (scope and role
-- arms, the same as work_orders_select) and returns one page of (id, rank); the invoker
-- function then reads those rows under RLS again (defense in depth).
create function private.search_work_order_hits(
  p_query tsquery,
  p_warehouse_id uuid,
  p_after_rank real,
  p_after_id uuid,
  p_limit integer
) returns table (id uuid, rank real)
language plpgsql stable security definer
set search_path = ''
as $$
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
comment on function private.search_work_order_hits(tsquery, uuid, real, uuid, integer) is
  'One page of (id, rank) of the work orders matching p_query that the caller may read (the work_orders read policy applied explicitly), best first, after the keyset (p_after_rank, p_after_id).';

create function public.search_work_orders(
  query text,
  page_size integer default 20,
  after_cursor text default null,
  warehouse_id uuid default null
) returns jsonb
language plpgsql stable
set search_path = ''
as $$
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
comment on function public.search_work_orders(text, integer, text, uuid) is
$$Full-text search over work order number, title and description (work_orders.search) with web-search syntax (websearch_to_tsquery('english', query): words, "quoted phrases", or, -excluded), best match first, as {"items": [work order + rank...], "next_cursor": text|null}.
Arguments: query (1-500 chars), page_size (1-100, default 20), after_cursor (from a previous call), warehouse_id (null = every warehouse in scope).
Who: every authenticated role; rows follow the work_orders read policy; service_role.
Errors: 22023 "invalid query: ...", "invalid page_size: ...", "invalid after_cursor: ..."; 42501 "warehouse not found or not accessible".$$;

-- ================================================================ privileges
revoke execute on function private.dashboard_kpis_impl(uuid),
  private.search_work_order_hits(tsquery, uuid, real, uuid, integer) from public, anon;
grant execute on function private.dashboard_kpis_impl(uuid),
  private.search_work_order_hits(tsquery, uuid, real, uuid, integer) to authenticated, service_role;
revoke execute on function public.dashboard_kpis(uuid),
  public.list_work_orders(uuid, text, boolean, text, integer),
  public.search_work_orders(text, integer, text, uuid) from public, anon;
grant execute on function public.dashboard_kpis(uuid),
  public.list_work_orders(uuid, text, boolean, text, integer),
  public.search_work_orders(text, integer, text, uuid) to authenticated, service_role;
