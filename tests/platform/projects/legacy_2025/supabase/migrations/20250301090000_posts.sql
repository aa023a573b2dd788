create table public.posts (
  id bigint generated always as identity primary key,
  author_id uuid not null default auth.uid() references auth.users (id) on delete cascade,
  title text not null,
  published boolean not null default false
);
create index posts_author_id_idx on public.posts (author_id);
alter table public.posts enable row level security;
create policy posts_select_published on public.posts for select to anon, authenticated
  using (published);
create policy posts_insert_own on public.posts for insert to authenticated
  with check (author_id = (select auth.uid()));
