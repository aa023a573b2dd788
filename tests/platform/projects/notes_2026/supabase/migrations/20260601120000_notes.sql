-- Notes, one owner each. uuid_generate_v4() is unqualified: it lives in schema extensions,
-- which the database's search_path lists on Supabase.
create table public.notes (
  id uuid primary key default uuid_generate_v4(),
  owner_id uuid not null default auth.uid() references auth.users (id) on delete cascade,
  body text not null check (length(body) <= 2000),
  created_at timestamptz not null default now()
);
create index notes_owner_id_idx on public.notes (owner_id);

alter table public.notes enable row level security;
create policy notes_select_own on public.notes for select to authenticated
  using (owner_id = (select auth.uid()));
create policy notes_insert_own on public.notes for insert to authenticated
  with check (owner_id = (select auth.uid()));
create policy notes_delete_own on public.notes for delete to authenticated
  using (owner_id = (select auth.uid()));

-- The 2026 model: nothing is granted until the migration says so.
grant select, insert, delete on public.notes to authenticated;
grant select, insert, update, delete on public.notes to service_role;
