-- Smoke test of RLS, rule triggers and audit against the demo seed.
-- Usage: psql -h 127.0.0.1 -U postgres -d DB -v ON_ERROR_STOP=1 -f tests/sql/smoke_rls.sql
-- Each block impersonates a user the way PostgREST does (set_config role + request.jwt.claims
-- inside one transaction) and asserts; any failed assertion aborts the script.
\set QUIET on
\pset tuples_only on
\o /dev/null
\set w1 '10000000-0000-0000-0000-000000000001'
\set w2 '10000000-0000-0000-0000-000000000002'
\set admin1 '{"sub":"20000001-0000-0000-0000-000000000001","role":"authenticated"}'
\set mgr1   '{"sub":"20000001-0000-0000-0000-000000000002","role":"authenticated"}'
\set mgr2   '{"sub":"20000002-0000-0000-0000-000000000002","role":"authenticated"}'
\set sup1   '{"sub":"20000001-0000-0000-0000-000000000003","role":"authenticated"}'
\set tech1  '{"sub":"20000001-0000-0000-0000-000000000004","role":"authenticated"}'
\set clerk1 '{"sub":"20000001-0000-0000-0000-000000000005","role":"authenticated"}'
\set con1   '{"sub":"20000001-0000-0000-0000-000000000006","role":"authenticated"}'
\set req1   '{"sub":"20000001-0000-0000-0000-000000000007","role":"authenticated"}'
\set tech2  '{"sub":"20000001-0000-0000-0000-000000000008","role":"authenticated"}'
\set inact  '{"sub":"20000001-0000-0000-0000-000000000009","role":"authenticated"}'
\set nobody '{"sub":"99999999-0000-0000-0000-000000000000","role":"authenticated"}'
\set forged '{"sub":"20000001-0000-0000-0000-000000000004","role":"service_role"}'

-- ---------------------------------------------------------------- anon: nothing
begin;
select set_config('role', 'anon', true), set_config('request.jwt.claims', '{"role":"anon"}', true);
do $$ begin
  perform count(*) from public.work_orders;
  raise exception 'FAIL anon could read work_orders';
exception when insufficient_privilege then null; end $$;
do $$ begin
  perform count(*) from public.profiles;
  raise exception 'FAIL anon could read profiles';
exception when insufficient_privilege then null; end $$;
rollback;

-- ---------------------------------------------------------------- visibility per user
create temp table expect (claims text, tbl text, n bigint);
grant select on expect to authenticated;
insert into expect values
  (:'admin1', 'work_orders', 39), (:'mgr1', 'work_orders', 26), (:'mgr2', 'work_orders', 13),
  (:'sup1', 'work_orders', 13), (:'clerk1', 'work_orders', 13), (:'tech1', 'work_orders', 6),
  (:'tech2', 'work_orders', 3), (:'con1', 'work_orders', 1), (:'req1', 'work_orders', 5),
  (:'inact', 'work_orders', 0), (:'nobody', 'work_orders', 0),
  (:'con1', 'equipment', 1), (:'req1', 'equipment', 7), (:'mgr1', 'equipment', 14),
  (:'con1', 'profiles', 1), (:'req1', 'profiles', 1), (:'sup1', 'profiles', 9), (:'mgr1', 'profiles', 17),
  (:'con1', 'parts', 0), (:'req1', 'parts', 0), (:'tech1', 'parts', 5), (:'clerk1', 'parts', 5),
  (:'tech1', 'part_transactions', 0), (:'sup1', 'part_transactions', 11),
  (:'tech1', 'wo_checklist_items', 5), (:'req1', 'wo_checklist_items', 5), (:'con1', 'wo_checklist_items', 0),
  (:'con1', 'wo_time_logs', 1), (:'tech1', 'notifications', 2), (:'sup1', 'system_logs', 0),
  (:'con1', 'contractors', 1), (:'sup1', 'contractors', 2), (:'tech1', 'contractors', 0),
  (:'tech1', 'vendors', 0), (:'clerk1', 'vendors', 2), (:'req1', 'system_settings', 0),
  (:'tech1', 'system_settings', 4), (:'admin1', 'warehouses', 3), (:'mgr1', 'warehouses', 2),
  (:'req1', 'warehouses', 1), (:'inact', 'warehouses', 0), (:'mgr1', 'user_warehouse_access', 1),
  (:'sup1', 'user_warehouse_access', 0), (:'tech1', 'pm_schedules', 4), (:'clerk1', 'pm_schedules', 0),
  (:'con1', 'equipment_maintenance_history', 1);

create temp table results (claims text, tbl text, expected bigint, got bigint);
grant insert on results to authenticated;
do $$
declare e record; n bigint;
begin
  for e in select * from expect loop
    perform set_config('role', 'authenticated', true);
    perform set_config('request.jwt.claims', e.claims, true);
    execute format('select count(*) from public.%I', e.tbl) into n;
    insert into results values (e.claims, e.tbl, e.n, n);
    perform set_config('role', 'postgres', true);
  end loop;
end $$;
do $$ declare r record; bad int := 0; begin
  for r in select * from results where expected <> got loop
    raise warning 'FAIL visibility % on %: expected %, got %', r.claims, r.tbl, r.expected, r.got;
    bad := bad + 1;
  end loop;
  if bad > 0 then raise exception 'FAIL % visibility checks', bad; end if;
end $$;

-- ---------------------------------------------------------------- technician rules
begin;
select set_config('role', 'authenticated', true), set_config('request.jwt.claims', :'tech1', true);
do $$ begin
  update public.work_orders set priority = 'low' where id = md5('wo:1:assigned')::uuid;
  raise exception 'FAIL technician changed priority';
exception when insufficient_privilege then
  if sqlerrm not like '%priority%' then raise exception 'FAIL message does not name column: %', sqlerrm; end if;
end $$;
do $$ declare s public.wo_status; t timestamptz; begin
  update public.work_orders set status = 'in_progress', notes = 'on it'
   where id = md5('wo:1:assigned')::uuid returning status, started_at into s, t;
  assert s = 'in_progress' and t is not null, 'FAIL technician transition';
end $$;
do $$ begin
  update public.work_orders set status = 'closed' where id = md5('wo:1:in_progress')::uuid;
  raise exception 'FAIL illegal transition accepted';
exception when check_violation or insufficient_privilege then null; end $$;
do $$ declare n int; begin  -- not assigned: invisible, 0 rows
  update public.work_orders set notes = 'x' where id = md5('wo:1:on_hold')::uuid;
  get diagnostics n = row_count; assert n = 0, 'FAIL technician updated unassigned WO';
end $$;
do $$ begin
  insert into public.wo_time_logs (warehouse_id, work_order_id, user_id, started_at)
  values ('10000000-0000-0000-0000-000000000001', md5('wo:1:assigned')::uuid,
          '20000001-0000-0000-0000-000000000008', now());
  raise exception 'FAIL time log for somebody else';
exception when insufficient_privilege then null; end $$;
insert into public.wo_time_logs (warehouse_id, work_order_id, started_at, ended_at)
values (:'w1', md5('wo:1:assigned')::uuid, now() - interval '30 minutes', now());
do $$ begin  -- self-promotion: refused by name (42501), never a silent empty update
  update public.profiles set role = 'admin' where id = (select auth.uid());
  raise exception 'FAIL technician updated own profile';
exception when insufficient_privilege then null; end $$;
do $$ begin  -- technicians edit no profile, their own included, and are told so
  update public.profiles set phone = '1' where id = (select auth.uid());
  raise exception 'FAIL technician edited own profile';
exception when insufficient_privilege then null; end $$;
rollback;

-- forged claim role=service_role with database role authenticated gains nothing
begin;
select set_config('role', 'authenticated', true), set_config('request.jwt.claims', :'forged', true);
do $$ begin
  update public.work_orders set priority = 'low' where id = md5('wo:1:assigned')::uuid;
  raise exception 'FAIL forged claims bypassed rules';
exception when insufficient_privilege then null; end $$;
rollback;

-- ---------------------------------------------------------------- audit with actor
begin;
select set_config('role', 'authenticated', true), set_config('request.jwt.claims', :'tech1', true);
update public.work_orders set notes = 'audited' where id = md5('wo:1:in_progress')::uuid;
select set_config('role', 'postgres', true);
do $$ declare n int; begin
  select count(*) into n from public.system_logs
   where table_name = 'work_orders' and record_id = md5('wo:1:in_progress')::uuid
     and action = 'UPDATE' and actor_id = '20000001-0000-0000-0000-000000000004'
     and new_values ->> 'notes' = 'audited' and warehouse_id = '10000000-0000-0000-0000-000000000001';
  assert n = 1, 'FAIL audit row missing';
end $$;
rollback;

-- ---------------------------------------------------------------- profiles escalation
begin;
select set_config('role', 'authenticated', true), set_config('request.jwt.claims', :'mgr1', true);
do $$ begin
  update public.profiles set role = 'admin' where id = (select auth.uid());
  raise exception 'FAIL manager self-promoted';
exception when insufficient_privilege then null; end $$;
do $$ begin
  update public.profiles set role = 'admin' where id = '20000001-0000-0000-0000-000000000004';
  raise exception 'FAIL manager promoted to admin';
exception when insufficient_privilege then null; end $$;
do $$ declare n int; begin
  update public.profiles set first_name = 'X' where id = '20000001-0000-0000-0000-000000000001';
  get diagnostics n = row_count; assert n = 0, 'FAIL manager edited admin';
end $$;
do $$ declare n int; begin
  update public.profiles set phone = '+1-555-9999' where id = (select auth.uid());
  get diagnostics n = row_count; assert n = 1, 'FAIL manager could not edit own phone';
end $$;
do $$ begin
  update public.profiles set is_active = false where id = (select auth.uid());
  raise exception 'FAIL manager deactivated self';
exception when insufficient_privilege then null; end $$;
do $$ declare n int; begin  -- manager in W2 (granted) can edit technicians there
  update public.profiles set phone = '1' where id = '20000002-0000-0000-0000-000000000004';
  get diagnostics n = row_count; assert n = 1, 'FAIL manager could not edit granted-warehouse profile';
end $$;
do $$ declare n int; begin  -- W3 out of scope
  update public.profiles set phone = '1' where id = '20000003-0000-0000-0000-000000000004';
  get diagnostics n = row_count; assert n = 0, 'FAIL manager edited out-of-scope profile';
end $$;
rollback;

begin;
select set_config('role', 'authenticated', true), set_config('request.jwt.claims', :'admin1', true);
do $$ begin
  update public.profiles set role = 'technician' where id = (select auth.uid());
  raise exception 'FAIL admin changed own role';
exception when insufficient_privilege then null; end $$;
update public.profiles set role = 'admin' where id = '20000002-0000-0000-0000-000000000002';
rollback;

-- ---------------------------------------------------------------- requester
begin;
select set_config('role', 'authenticated', true), set_config('request.jwt.claims', :'req1', true);
do $$ begin
  insert into public.work_orders (warehouse_id, title, status) values ('10000000-0000-0000-0000-000000000001', 'x', 'open');
  raise exception 'FAIL requester created open WO';
exception when insufficient_privilege then null; end $$;
do $$ declare num text; begin
  insert into public.work_orders (warehouse_id, title) values ('10000000-0000-0000-0000-000000000001', 'Leaking tap')
  returning wo_number into num;
  assert num ~ '^WO-\d{8}-\d{4}$', 'FAIL wo_number ' || num;
end $$;
do $$ begin
  insert into public.work_orders (warehouse_id, title) values ('10000000-0000-0000-0000-000000000002', 'elsewhere');
  raise exception 'FAIL requester inserted into other warehouse';
exception when insufficient_privilege then null; end $$;
update public.work_orders set title = 'Unusual noise (louder)' where id = md5('wo:1:requested')::uuid;
do $$ begin
  update public.work_orders set priority = 'critical' where id = md5('wo:1:requested')::uuid;
  raise exception 'FAIL requester changed priority';
exception when insufficient_privilege then null; end $$;
do $$ declare n int; begin
  update public.work_orders set title = 'x' where id = md5('wo:1:open')::uuid;
  get diagnostics n = row_count; assert n = 0, 'FAIL requester edited non-requested WO';
end $$;
rollback;

-- ---------------------------------------------------------------- scope moves
begin;
select set_config('role', 'authenticated', true), set_config('request.jwt.claims', :'sup1', true);
do $$ begin
  update public.work_orders set warehouse_id = '10000000-0000-0000-0000-000000000002'
   where id = md5('wo:1:open')::uuid;
  raise exception 'FAIL supervisor moved WO out of scope';
exception when insufficient_privilege then null; end $$;
do $$ begin
  update public.work_orders set status = 'completed' where id = md5('wo:1:requested')::uuid;
  raise exception 'FAIL requested -> completed accepted';
exception when check_violation then null; end $$;
do $$ declare n int; begin
  update public.work_orders set priority = 'low' where warehouse_id = '10000000-0000-0000-0000-000000000002';
  get diagnostics n = row_count; assert n = 0, 'FAIL supervisor updated other warehouse';
end $$;
rollback;

begin;  -- mgr1 may not attach a W2 checklist item to a W1 work order (composite FK)
select set_config('role', 'authenticated', true), set_config('request.jwt.claims', :'mgr1', true);
do $$ begin
  insert into public.wo_checklist_items (warehouse_id, work_order_id, description)
  values ('10000000-0000-0000-0000-000000000002', md5('wo:1:open')::uuid, 'cross');
  raise exception 'FAIL cross-warehouse child';
exception when foreign_key_violation then null; end $$;
rollback;

-- ---------------------------------------------------------------- ledger / append-only
begin;
select set_config('role', 'authenticated', true), set_config('request.jwt.claims', :'clerk1', true);
insert into public.part_transactions (warehouse_id, part_id, type, quantity)
values (:'w1', md5('part:1:FUSE-10A')::uuid, 'receipt', 10);
do $$ begin
  insert into public.part_transactions (warehouse_id, part_id, type, quantity)
  values ('10000000-0000-0000-0000-000000000001', md5('part:1:FUSE-10A')::uuid, 'issue', -100);
  raise exception 'FAIL stock went negative';
exception when check_violation then null; end $$;
update public.parts set quantity_on_hand = 7 where id = md5('part:1:OIL-ISO68')::uuid;
do $$ begin
  update public.part_transactions set quantity = 1;
  raise exception 'FAIL ledger update';
exception when insufficient_privilege then null; end $$;
select set_config('role', 'postgres', true);
do $$ declare bad int; begin
  select count(*) into bad from public.parts p
   where p.quantity_on_hand <> (select coalesce(sum(t.quantity), 0) from public.part_transactions t where t.part_id = p.id);
  assert bad = 0, 'FAIL ledger sum <> on hand';
end $$;
rollback;

begin;
select set_config('role', 'service_role', true), set_config('request.jwt.claims', '{"role":"service_role"}', true);
do $$ begin
  delete from public.system_logs;
  raise exception 'FAIL service_role deleted audit';
exception when insufficient_privilege then null; end $$;
do $$ declare n int; begin
  select count(*) into n from public.work_orders; assert n = 39, 'FAIL service_role bypass';
end $$;
rollback;

-- ---------------------------------------------------------------- attachments / storage
begin;
select set_config('role', 'authenticated', true), set_config('request.jwt.claims', :'tech1', true);
do $$ begin
  insert into public.wo_attachments (warehouse_id, work_order_id, storage_path, file_name, mime_type, size_bytes)
  values ('10000000-0000-0000-0000-000000000001', md5('wo:1:assigned')::uuid, 'p/x.exe', 'x.exe', 'application/x-msdownload', 10);
  raise exception 'FAIL bad mime accepted';
exception when invalid_parameter_value then null; end $$;
do $$ begin
  insert into public.wo_attachments (warehouse_id, work_order_id, storage_path, file_name, mime_type, size_bytes)
  values ('10000000-0000-0000-0000-000000000001', md5('wo:1:assigned')::uuid, 'p/big.jpg', 'big.jpg', 'image/jpeg', 6000000);
  raise exception 'FAIL oversized image accepted';
exception when invalid_parameter_value then null; end $$;
insert into storage.objects (bucket_id, name)
values ('work-order-attachments', :'w1' || '/' || md5('wo:1:assigned')::uuid || '/photo.jpg');
do $$ begin
  insert into storage.objects (bucket_id, name)
  values ('work-order-attachments', '10000000-0000-0000-0000-000000000001/' || md5('wo:1:on_hold')::uuid || '/photo.jpg');
  raise exception 'FAIL upload to unassigned WO';
exception when insufficient_privilege then null; end $$;
do $$ declare n int; begin
  select count(*) into n from storage.objects; assert n = 1, 'FAIL storage visibility';
end $$;
rollback;

\o
\echo smoke_rls: all checks passed
