begin;
select plan(2);
select has_table('public', 'notes', 'notes exist');
select is(
  (select count(*)::int from public.profiles),
  2,
  'the sign-up trigger made a profile per seeded user'
);
select * from finish();
rollback;
