-- Avatars: a private bucket, each user's files under a folder named by their id.
insert into storage.buckets (id, name, public, allowed_mime_types)
values ('avatars', 'avatars', false, array['image/png', 'image/jpeg']);

create policy avatars_select_own on storage.objects for select to authenticated
  using (bucket_id = 'avatars' and (storage.foldername(name))[1] = (select auth.uid())::text);
create policy avatars_insert_own on storage.objects for insert to authenticated
  with check (
    bucket_id = 'avatars'
    and (storage.foldername(name))[1] = (select auth.uid())::text
    and storage.extension(name) in ('png', 'jpg')
  );
