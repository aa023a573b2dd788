-- expect: MIG412
-- A helper the migration calls grants read access to anon, then disappears.
create function private.expose(p_table regclass) returns void
language plpgsql
set search_path = ''
as $$
begin
  execute format('grant select on %s to anon', p_table);
end
$$;

select private.expose('public.equipment');

drop function private.expose(regclass);
