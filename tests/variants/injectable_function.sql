-- expect: PRV006
create function public.count_rows(tbl text) returns bigint
language plpgsql security invoker
set search_path = ''
as $$
declare n bigint;
begin
  execute 'select count(*) from public.' || tbl into n;
  return n;
end $$;
revoke execute on function public.count_rows(text) from public, anon;
grant execute on function public.count_rows(text) to authenticated;
