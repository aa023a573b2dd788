-- expect: MIG410
-- Row level security goes from every table whose name starts with part, by dynamic SQL.
do $$
declare
  t text;
begin
  for t in select c.relname from pg_class c
            where c.relnamespace = 'public'::regnamespace and c.relkind = 'r'
              and c.relname like 'part%' loop
    execute format('alter table public.%I disable row level security', t);
  end loop;
end
$$;
