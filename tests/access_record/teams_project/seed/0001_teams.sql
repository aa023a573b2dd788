-- Two organisations with two members each, and two projects each.
insert into auth.users (id, aud, role, email)
values ('a1000000-0000-4000-8000-000000000001', 'authenticated', 'authenticated', 'ann@acme.test'),
       ('a2000000-0000-4000-8000-000000000002', 'authenticated', 'authenticated', 'al@acme.test'),
       ('b1000000-0000-4000-8000-000000000001', 'authenticated', 'authenticated', 'bea@beta.test'),
       ('b2000000-0000-4000-8000-000000000002', 'authenticated', 'authenticated', 'bo@beta.test');

insert into public.orgs (id, name)
values ('0a000000-0000-4000-8000-000000000001', 'acme'),
       ('0b000000-0000-4000-8000-000000000002', 'beta');

insert into public.members (org_id, user_id)
values ('0a000000-0000-4000-8000-000000000001', 'a1000000-0000-4000-8000-000000000001'),
       ('0a000000-0000-4000-8000-000000000001', 'a2000000-0000-4000-8000-000000000002'),
       ('0b000000-0000-4000-8000-000000000002', 'b1000000-0000-4000-8000-000000000001'),
       ('0b000000-0000-4000-8000-000000000002', 'b2000000-0000-4000-8000-000000000002');

insert into public.projects (org_id, name)
values ('0a000000-0000-4000-8000-000000000001', 'acme: roof'),
       ('0a000000-0000-4000-8000-000000000001', 'acme: boiler'),
       ('0b000000-0000-4000-8000-000000000002', 'beta: fleet'),
       ('0b000000-0000-4000-8000-000000000002', 'beta: depot');
