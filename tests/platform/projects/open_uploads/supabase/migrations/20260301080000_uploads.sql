insert into storage.buckets (id, name) values ('uploads', 'uploads');

create policy uploads_insert_anyone on storage.objects for insert to authenticated
  with check (true);
