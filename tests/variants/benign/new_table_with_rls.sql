-- expect: pass
-- Spare-part kits: a new tenant table with RLS, policies and an indexed composite foreign key.
set lock_timeout = '2s';
set statement_timeout = '30s';
create table public.part_kits (
  id           uuid primary key default gen_random_uuid(),
  warehouse_id uuid not null references public.warehouses (id),
  part_id      uuid not null,
  name         text not null,
  unique (warehouse_id, id),
  foreign key (warehouse_id, part_id) references public.parts (warehouse_id, id)
);
comment on table public.part_kits is 'Named kits of one part (e.g. a seal kit).';
create index part_kits_part_idx on public.part_kits (warehouse_id, part_id);

alter table public.part_kits enable row level security;
alter table public.part_kits force row level security;
create policy part_kits_select on public.part_kits for select to authenticated
  using (warehouse_id = any ((select private.warehouse_scope())::uuid[]));
create policy part_kits_insert on public.part_kits for insert to authenticated
  with check (warehouse_id = any ((select private.scope_for('{admin,manager,inventory_clerk}'))::uuid[]));
grant select, insert on public.part_kits to authenticated;
grant select, insert, update, delete on public.part_kits to service_role;
