-- Notes owned by the user who wrote them: each signed-in user reads and writes only their own.
create table public.notes (
  id uuid primary key default gen_random_uuid(),
  owner_id uuid not null default auth.uid() references auth.users (id) on delete cascade,
  body text not null,
  created_at timestamptz not null default now()
);

alter table public.notes enable row level security;

create policy notes_select on public.notes for select to authenticated
using (owner_id = (select auth.uid()));
create policy notes_insert on public.notes for insert to authenticated
with check (owner_id = (select auth.uid()));
create policy notes_update on public.notes for update to authenticated
using (owner_id = (select auth.uid()))
with check (owner_id = (select auth.uid()));
create policy notes_delete on public.notes for delete to authenticated
using (owner_id = (select auth.uid()));

grant select, insert, update, delete on public.notes to authenticated;
grant all on public.notes to service_role;

-- Read-only tags anyone signed in may read.
create table public.tags (
  id bigint generated always as identity primary key,
  name text not null unique
);

alter table public.tags enable row level security;
create policy tags_read on public.tags for select to authenticated using (true);
grant select on public.tags to authenticated;
grant all on public.tags to service_role;

create function public.note_count() returns bigint
language sql stable security invoker
set search_path = ''
as $$ select count(*) from public.notes $$;

revoke execute on function public.note_count() from public;
grant execute on function public.note_count() to authenticated, service_role;
