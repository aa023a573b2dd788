-- expect: INT002
-- Deleting a profile now scans every checklist item for a reference.
set lock_timeout = '2s';
set statement_timeout = '30s';
alter table public.wo_checklist_items add column checked_by uuid;
alter table public.wo_checklist_items
  add constraint wo_checklist_items_checked_by_fkey foreign key (checked_by)
  references public.profiles (id) not valid;
alter table public.wo_checklist_items validate constraint wo_checklist_items_checked_by_fkey;
