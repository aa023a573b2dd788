-- expect: SEC103
-- Writes to equipment are no longer audited.
do $$
declare t text;
begin
  select tgname into t from pg_trigger
   where tgrelid = 'public.equipment'::regclass and tgname like '%audit%' and not tgisinternal;
  execute format('drop trigger %I on public.equipment', t);
end $$;
