-- expect: ACC001
-- The scope helper every policy calls now returns every warehouse to any active user. No
-- policy, grant or RLS flag changes: only acting as the users shows who reaches what.
create or replace function private.warehouse_scope() returns uuid[]
language plpgsql stable parallel safe security definer
set search_path = ''
as $$
begin
  return array(
    select w.id from public.warehouses as w
    where private.current_role() is not null
  );
end
$$;
