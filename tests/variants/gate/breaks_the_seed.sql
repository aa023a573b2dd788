-- expect: MIG010
-- A required tax code the demo seed does not provide: the migration applies (there are no
-- vendor rows yet when it runs), the seed does not.
set lock_timeout = '2s';
set statement_timeout = '30s';
alter table public.vendors add column tax_code text not null;
