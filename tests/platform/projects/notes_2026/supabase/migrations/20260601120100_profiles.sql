-- A profile per user, made by the sign-up trigger. The display name comes from what the person
-- signing up sent; nothing that decides access does.
create table public.profiles (
  id uuid primary key references auth.users (id) on delete cascade,
  display_name text check (length(display_name) <= 80)
);
alter table public.profiles enable row level security;
create policy profiles_select_own on public.profiles for select to authenticated
  using (id = (select auth.uid()));
grant select on public.profiles to authenticated;
grant select, insert, update, delete on public.profiles to service_role;

create schema private;
revoke all on schema private from public;

create function private.handle_new_user() returns trigger
language plpgsql security definer set search_path = ''
as $$
begin
  insert into public.profiles (id, display_name)
  values (new.id, left(new.raw_user_meta_data ->> 'name', 80));
  return new;
end
$$;
revoke execute on function private.handle_new_user() from public;

create trigger on_auth_user_created after insert on auth.users
  for each row execute function private.handle_new_user();
