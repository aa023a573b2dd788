-- expect: pass
set lock_timeout = '2s';
set statement_timeout = '30s';
-- Inactive vendors are hidden from every read; nothing else changes.
create policy vendors_active_only on public.vendors as restrictive for select to authenticated
  using (is_active);
