create table public.tags (
  id bigint generated always as identity primary key,
  name text not null unique
);
alter table public.tags enable row level security;
create policy tags_select_all on public.tags for select to anon, authenticated using (true);

create function public.published_count() returns bigint
language sql stable
as $$
  select count(*) from public.posts where published
$$;
