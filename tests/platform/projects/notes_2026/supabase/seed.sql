-- Two users signed up (the trigger makes their profiles) and a note each.
insert into auth.users (id, aud, role, email, raw_app_meta_data, raw_user_meta_data)
values
  ('00000000-0000-4000-8000-0000000000a1', 'authenticated', 'authenticated', 'ada@example.com',
   '{"provider": "email", "providers": ["email"]}', '{"name": "Ada"}'),
  ('00000000-0000-4000-8000-0000000000b2', 'authenticated', 'authenticated', 'bob@example.com',
   '{"provider": "email", "providers": ["email"]}', '{"name": "Bob"}');

insert into public.notes (owner_id, body) values
  ('00000000-0000-4000-8000-0000000000a1', 'first note of Ada'),
  ('00000000-0000-4000-8000-0000000000b2', 'first note of Bob');
