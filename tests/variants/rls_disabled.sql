-- expect: SEC001
alter table public.parts disable row level security;
