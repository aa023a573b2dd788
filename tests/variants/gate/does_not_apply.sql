-- expect: MIG010
-- The status becomes free text, but the policies that read it were not rewritten.
set lock_timeout = '2s';
set statement_timeout = '30s';
alter table public.work_orders alter column status type text;
