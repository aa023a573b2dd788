-- expect: pass
set lock_timeout = '2s';
set statement_timeout = '30s';
alter table public.equipment add column commissioned_on date;
comment on column public.equipment.commissioned_on is 'Day the asset went into service.';
