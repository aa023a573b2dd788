insert into public.tags (name) values ('news'), ('howto');
