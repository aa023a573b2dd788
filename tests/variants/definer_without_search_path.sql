-- expect: PRV002
create function public.part_count() returns bigint
language sql stable security definer
as $$ select count(*) from public.parts $$;
revoke execute on function public.part_count() from public, anon;
grant execute on function public.part_count() to authenticated;
