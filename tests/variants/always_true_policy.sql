-- expect: SEC100
-- Every authenticated user reads every work order of every warehouse.
drop policy work_orders_select on public.work_orders;
create policy work_orders_select on public.work_orders for select to authenticated using (true);
