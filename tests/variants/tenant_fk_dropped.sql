-- expect: INT005
-- Work orders no longer reference their equipment: one can name equipment that does not
-- exist, or another warehouse's.
alter table public.work_orders drop constraint work_orders_warehouse_id_equipment_id_fkey;
