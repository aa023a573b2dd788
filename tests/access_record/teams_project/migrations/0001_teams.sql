-- Teams: a user reaches the projects of the organisations they are a member of.
create table public.orgs (
  id uuid primary key default gen_random_uuid(),
  name text not null
);

create table public.members (
  org_id uuid not null references public.orgs (id) on delete cascade,
  user_id uuid not null references auth.users (id) on delete cascade,
  primary key (org_id, user_id)
);

create table public.projects (
  id uuid primary key default gen_random_uuid(),
  org_id uuid not null references public.orgs (id) on delete cascade,
  name text not null
);

alter table public.orgs enable row level security;
alter table public.members enable row level security;
alter table public.projects enable row level security;

create policy members_own on public.members for select to authenticated
using (user_id = (select auth.uid()));
create policy orgs_member on public.orgs for select to authenticated
using (id in (select m.org_id from public.members as m where m.user_id = (select auth.uid())));
create policy projects_member on public.projects for all to authenticated
using (org_id in (select m.org_id from public.members as m where m.user_id = (select auth.uid())))
with check (
  org_id in (select m.org_id from public.members as m where m.user_id = (select auth.uid()))
);

grant select on public.orgs, public.members to authenticated;
grant select, insert, update, delete on public.projects to authenticated;
grant all on public.orgs, public.members, public.projects to service_role;
