-- expect: SEC100
-- The worst leak: anon (the public API key) reads every work order of every warehouse.
grant select on public.work_orders to anon;
create policy work_orders_anon_read on public.work_orders for select to anon using (true);
