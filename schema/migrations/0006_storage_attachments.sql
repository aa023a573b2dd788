-- 0006_storage_attachments.sql
-- Work order attachments: the private bucket work-order-attachments, storage.objects
-- policies following the work order's access (object name <warehouse_id>/<work_order_id>/<file>),
-- and the MIME / size rules for wo_attachments rows. Nothing is created in schema storage
-- except a bucket row and policies.

insert into storage.buckets (id, name, public, file_size_limit, allowed_mime_types)
values (
  'work-order-attachments', 'work-order-attachments', false, 20971520,
  array[
    'image/jpeg', 'image/png', 'image/gif', 'image/webp', 'image/heic',
    'application/pdf', 'text/plain', 'text/csv',
    'application/msword',
    'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
    'application/vnd.ms-excel',
    'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    'application/vnd.ms-powerpoint',
    'application/vnd.openxmlformats-officedocument.presentationml.presentation',
    'video/mp4', 'video/webm'
  ]
)
on conflict (id) do nothing;

-- ================================================================ MIME / size rules
create function private.attachment_class(p_mime text) returns text
language sql immutable
set search_path = ''
as $$
  select case
    when p_mime in ('image/jpeg', 'image/png', 'image/gif', 'image/webp', 'image/heic') then 'image'
    when p_mime in ('application/pdf', 'text/plain', 'text/csv', 'application/msword',
      'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
      'application/vnd.ms-excel',
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      'application/vnd.ms-powerpoint',
      'application/vnd.openxmlformats-officedocument.presentationml.presentation') then 'document'
    when p_mime in ('video/mp4', 'video/webm') then 'video'
  end
$$;
comment on function private.attachment_class(text) is 'image / document / video for whitelisted MIME types, null otherwise.';

create function private.attachment_check() returns trigger
language plpgsql
set search_path = ''
as $$
declare
  v_class text := private.attachment_class(lower(new.mime_type));
  v_limit bigint;
begin
  if v_class is null then
    raise exception 'wo_attachments.mime_type: % is not an allowed type', new.mime_type
      using errcode = '22023', column = 'mime_type';
  end if;
  v_limit := case v_class when 'image' then 5242880 when 'document' then 10485760 else 20971520 end;
  if new.size_bytes > v_limit then
    raise exception 'wo_attachments.size_bytes: % bytes exceeds the % limit of % bytes',
      new.size_bytes, v_class, v_limit
      using errcode = '22023', column = 'size_bytes';
  end if;
  return new;
end
$$;

create trigger trg_20_attachment_check before insert or update on public.wo_attachments
  for each row execute function private.attachment_check();

-- ================================================================ storage access helper
-- p_mode: 'read' (work order readable), 'write' (may work on the work order),
-- 'delete' (admin/manager in scope). The object name must be <warehouse_id>/<wo_id>/<file>
-- and the work order must belong to that warehouse.
create function private.storage_object_access(p_name text, p_mode text) returns boolean
language plpgsql stable security definer
set search_path = ''
as $$
declare
  v_parts text[] := string_to_array(p_name, '/');
  v_re    constant text := '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$';
  v_wh    uuid;
  v_wo    uuid;
begin
  if coalesce(array_length(v_parts, 1), 0) < 3
     or v_parts[1] !~ v_re or v_parts[2] !~ v_re then
    return false;
  end if;
  v_wh := v_parts[1]::uuid;
  v_wo := v_parts[2]::uuid;
  if not exists (select 1 from public.work_orders w where w.id = v_wo and w.warehouse_id = v_wh) then
    return false;
  end if;
  return case p_mode
    when 'read' then private.has_wo_access(v_wo)
    when 'write' then private.can_work_on_wo(v_wo)
    when 'delete' then v_wh = any (private.warehouse_scope())
                       and private.current_role() in ('admin', 'manager')
    else false
  end;
end
$$;
comment on function private.storage_object_access(text, text) is
  'Access of the caller to an object of bucket work-order-attachments, derived from its work order.';

revoke execute on function private.attachment_class(text), private.attachment_check(),
  private.storage_object_access(text, text) from public, anon, authenticated;
-- attachment_class is called by the (security invoker) attachment trigger: harmless, immutable.
grant execute on function private.storage_object_access(text, text), private.attachment_class(text)
  to authenticated, service_role;

-- ================================================================ storage.objects policies
create policy wo_attachments_objects_select on storage.objects for select to authenticated
  using (bucket_id = 'work-order-attachments'
         and (select private.storage_object_access(name, 'read')));
create policy wo_attachments_objects_insert on storage.objects for insert to authenticated
  with check (bucket_id = 'work-order-attachments'
              and (select private.storage_object_access(name, 'write')));
create policy wo_attachments_objects_update on storage.objects for update to authenticated
  using (bucket_id = 'work-order-attachments'
         and (select private.storage_object_access(name, 'write')))
  with check (bucket_id = 'work-order-attachments'
              and (select private.storage_object_access(name, 'write')));
create policy wo_attachments_objects_delete on storage.objects for delete to authenticated
  using (bucket_id = 'work-order-attachments'
         and (select private.storage_object_access(name, 'delete')));
