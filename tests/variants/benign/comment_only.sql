-- expect: pass
set lock_timeout = '2s';
set statement_timeout = '30s';
comment on column public.parts.bin_location is 'Shelf and bin, e.g. A-03-2.';
