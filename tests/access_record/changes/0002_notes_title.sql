-- Benign: a new nullable column changes nobody's access.
alter table public.notes add column title text;
