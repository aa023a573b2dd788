-- expect: PRV007
grant select on public.vendors to anon;
