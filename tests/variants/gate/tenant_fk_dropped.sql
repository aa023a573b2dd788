-- expect: MIG414
-- A work order may now name equipment that does not exist, or another warehouse's.
set lock_timeout = '2s';
set statement_timeout = '30s';
alter table public.work_orders drop constraint work_orders_warehouse_id_equipment_id_fkey;
