-- expect: SEC102
-- The profile guard is gone and users may update their own row: anyone can become admin.
do $$
declare t text;
begin
  for t in select tgname from pg_trigger
            where tgrelid = 'public.profiles'::regclass and tgname like '%guard%'
              and not tgisinternal loop
    execute format('drop trigger %I on public.profiles', t);
  end loop;
end $$;
create policy profiles_self_update on public.profiles for update to authenticated
  using (id = (select auth.uid())) with check (id = (select auth.uid()));
