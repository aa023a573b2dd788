-- expect: MIG419
-- Managers and clerks can no longer see vendors: the policy goes in a DO block, where no
-- statement rule reads it.
do $$
begin
  execute format('drop policy %I on public.vendors', 'vendors_select');
end
$$;
