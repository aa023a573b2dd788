-- expect: INT040
-- Keys that cannot be checked inside one warehouse: a vendor key without the warehouse, a
-- table of comments keyed by id alone, referring to a work order by id alone, and a lookup
-- table that is neither a tenant table nor a declared reference table.
create unique index vendors_id_name_idx on public.vendors (id, name);
create unique index work_orders_id_everywhere_idx on public.work_orders (id);
create table public.wo_comments (
  id            uuid primary key default gen_random_uuid(),
  warehouse_id  uuid not null references public.warehouses (id),
  work_order_id uuid not null references public.work_orders (id),
  body          text not null
);
alter table public.wo_comments enable row level security;
create table public.lookup_codes (code text primary key, label text not null);
alter table public.lookup_codes enable row level security;
