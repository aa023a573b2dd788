-- Two users, each with notes of their own.
insert into auth.users (id, aud, role, email)
values ('a0000000-0000-4000-8000-000000000001', 'authenticated', 'authenticated',
        'alice@notes.test'),
       ('b0000000-0000-4000-8000-000000000002', 'authenticated', 'authenticated',
        'bob@notes.test');

insert into public.notes (owner_id, body)
values ('a0000000-0000-4000-8000-000000000001', 'alice: first'),
       ('a0000000-0000-4000-8000-000000000001', 'alice: second'),
       ('b0000000-0000-4000-8000-000000000002', 'bob: only');

insert into public.tags (name) values ('home'), ('work');
