-- expect: SEC004
-- Anyone signed in may write notifications anywhere.
drop policy notifications_insert on public.notifications;
create policy notifications_insert on public.notifications for insert to authenticated
  with check (true);
