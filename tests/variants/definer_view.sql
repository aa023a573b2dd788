-- expect: SEC007
-- A view owned by the migration owner runs with its rights: RLS of parts is bypassed.
create view public.parts_overview as select id, warehouse_id, part_number, quantity_on_hand
  from public.parts;
grant select on public.parts_overview to authenticated;
