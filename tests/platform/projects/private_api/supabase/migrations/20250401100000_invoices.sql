revoke usage on schema public from anon;

create table public.invoices (
  id bigint generated always as identity primary key,
  customer_id uuid not null default auth.uid() references auth.users (id) on delete cascade,
  amount_cents bigint not null check (amount_cents >= 0)
);
create index invoices_customer_id_idx on public.invoices (customer_id);
alter table public.invoices enable row level security;
create policy invoices_select_own on public.invoices for select to authenticated
  using (customer_id = (select auth.uid()));
