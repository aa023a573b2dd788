-- The publication Supabase Realtime streams from; empty until a migration adds tables to it.
do $platform$
begin
  if not exists (select from pg_publication where pubname = 'supabase_realtime') then
    create publication supabase_realtime;
  end if;
end
$platform$;
