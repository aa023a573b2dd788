-- 0019_requested_by_page_index.sql
-- "My requests, newest first" as an index walk that costs the page, not the table.
--
-- The list (requested_by = me order by created_at desc, id desc limit n) had only an index on
-- requested_by: for a requester with many requests the planner walks the site's newest work
-- orders and keeps the caller's, which is fast; for one with few or none it walks every work
-- order of every site before it knows there are no more (816 ms a call at ci scale, under
-- 10,000 simulated users almost all the server's time, see docs/load.md). Leading with
-- requested_by and ordered as the page is, the index reads exactly the page. It also serves
-- the foreign key to profiles, so the old single-column index goes.
set local lock_timeout = '5s';
set local statement_timeout = '30min';

create index work_orders_requested_by_created_idx
  on public.work_orders (requested_by, created_at desc, id desc);
drop index public.work_orders_requested_by_idx;
