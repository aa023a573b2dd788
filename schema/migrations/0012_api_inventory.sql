-- 0012_api_inventory.sql
-- Inventory business functions: record a ledger transaction, reserve/release parts for a work
-- order, bulk receipts, low-stock list.
-- The ledger (part_transactions) is insertable through the API by managers and inventory
-- clerks only, and parts.reserved_quantity by parts writers only, while ACCESS.md lets admins
-- record transactions "via function" and technicians reserve parts for their work orders: the
-- writing bodies are therefore security definer functions in schema private that re-check the
-- caller's role, scope and assignment; the public functions are invoker wrappers.

-- ================================================================ record_part_transaction
create function private.record_part_transaction_impl(
  p_part_id uuid, p_type text, p_quantity integer, p_note text, p_work_order_id uuid,
  p_unit_cost numeric, p_reference text
) returns public.part_transactions
language plpgsql volatile security definer
set search_path = ''
as $$
declare
  v_a      record;
  v_type   public.part_txn_type;
  v_part   public.parts;
  v_signed integer;
  v_row    public.part_transactions;
begin
  select * into v_a from private.api_actor();
  perform private.require_arg('part_id', p_part_id);
  v_type := private.enum_arg('type', p_type, enum_range(null::public.part_txn_type)::text[])::public.part_txn_type;
  perform private.require_arg('quantity', p_quantity);
  if v_type in ('receipt', 'issue', 'return') and p_quantity <= 0 then
    perform private.raise_invalid('quantity', format('must be > 0 for %s (the sign follows the type)', v_type));
  end if;
  if p_quantity = 0 then
    perform private.raise_invalid('quantity', 'must not be 0');
  end if;
  if abs(p_quantity) > 1000000 then
    perform private.raise_invalid('quantity', 'at most 1000000 units per transaction');
  end if;
  if p_unit_cost is not null and (p_unit_cost < 0 or p_unit_cost > 10000000) then
    perform private.raise_invalid('unit_cost', 'must be between 0 and 10000000');
  end if;
  if p_reference is not null and (length(p_reference) = 0 or length(p_reference) > 100) then
    perform private.raise_invalid('reference', 'must be 1 to 100 characters');
  end if;
  perform private.note_arg(p_note);

  select * into v_part from public.parts p where p.id = p_part_id for update;
  if not found or not (v_a.trusted or v_part.warehouse_id = any (v_a.scope))
     or (not v_a.trusted and v_a.role not in ('admin', 'manager', 'inventory_clerk', 'supervisor', 'technician')) then
    perform private.raise_not_found('part', 'part_id');
  end if;
  if not v_a.trusted and v_a.role not in ('admin', 'manager', 'inventory_clerk') then
    perform private.raise_forbidden(format('a %s may not record stock transactions', v_a.role));
  end if;
  if p_work_order_id is not null and not exists (
       select 1 from public.work_orders w
        where w.id = p_work_order_id and w.warehouse_id = v_part.warehouse_id) then
    perform private.raise_not_found('work order', 'work_order_id');
  end if;

  v_signed := case when v_type = 'issue' then -p_quantity else p_quantity end;
  if p_reference is not null then
    select * into v_row from public.part_transactions t
     where t.part_id = v_part.id and t.type = v_type and t.reference = p_reference
     order by t.created_at limit 1;
    if found then
      if v_row.quantity <> v_signed then
        perform private.raise_rule('reference', format(
          'reference %s was already used for a %s of %s', p_reference, v_type, v_row.quantity));
      end if;
      return v_row;  -- retry of a recorded transaction
    end if;
  end if;
  if v_part.quantity_on_hand + v_signed < v_part.reserved_quantity then
    perform private.raise_rule('quantity', format(
      'insufficient stock for part %s: on hand %s, reserved %s, change %s',
      v_part.part_number, v_part.quantity_on_hand, v_part.reserved_quantity, v_signed));
  end if;

  insert into public.part_transactions as t (warehouse_id, part_id, type, quantity, unit_cost,
    work_order_id, performed_by, reference, note)
  values (v_part.warehouse_id, v_part.id, v_type, v_signed, coalesce(p_unit_cost, v_part.unit_cost),
          p_work_order_id, v_a.uid, p_reference, p_note)
  returning t.* into v_row;
  return v_row;
end
$$;

create function public.record_part_transaction(
  part_id uuid,
  type text,
  quantity integer,
  note text default null,
  work_order_id uuid default null,
  unit_cost numeric default null,
  reference text default null
) returns public.part_transactions
language plpgsql volatile
set search_path = ''
as $$
begin
  return private.record_part_transaction_impl(record_part_transaction.part_id,
    record_part_transaction.type, record_part_transaction.quantity, record_part_transaction.note,
    record_part_transaction.work_order_id, record_part_transaction.unit_cost,
    record_part_transaction.reference);
end
$$;
comment on function public.record_part_transaction(uuid, text, integer, text, uuid, numeric, text) is
$$Append one row to the stock ledger of part part_id and return it; quantity_on_hand follows (ledger trigger).
Arguments: part_id; type (receipt, issue, adjustment, transfer, return); quantity: units, > 0 for receipt/issue/return (an issue is stored negative), signed and non-zero for adjustment/transfer; note; work_order_id (same warehouse); unit_cost (default the part's); reference (e.g. PO number: a repeated call with the same part, type and reference returns the recorded row instead of booking twice).
Who: admin, manager, inventory_clerk in scope; service_role. (Technicians consume stock through complete_work_order.)
Errors: 22023 "invalid type|quantity|unit_cost|reference|note: ..."; 42501 "part not found or not accessible", "work order not found or not accessible"; 42501 "not permitted: ..." (supervisor, technician); 23514 "rule violated: insufficient stock for part ..." (on hand would fall below reserved or 0), "rule violated: reference ... was already used ...".$$;

-- ================================================================ reserve / release
create function private.reservation_impl(p_part_id uuid, p_quantity integer, p_wo_id uuid, p_release boolean)
returns jsonb
language plpgsql volatile security definer
set search_path = ''
as $$
declare
  v_a    record;
  v_wo   public.work_orders;
  v_part public.parts;
  v_own  integer;
  v_qty  integer := p_quantity;
  v_verb text := case when p_release then 'released' else 'reserved' end;
begin
  select * into v_a from private.api_actor();
  perform private.require_arg('part_id', p_part_id);
  perform private.require_arg('wo_id', p_wo_id);
  if not p_release then
    perform private.require_arg('quantity', p_quantity);
  end if;
  if v_qty is not null and (v_qty <= 0 or v_qty > 1000000) then
    perform private.raise_invalid('quantity', 'must be between 1 and 1000000');
  end if;

  -- lock order everywhere: work order, then parts by id
  select * into v_wo from public.work_orders w where w.id = p_wo_id for share;
  if not found or not (v_a.trusted or v_wo.warehouse_id = any (v_a.scope)) then
    perform private.raise_not_found('work order', 'wo_id');
  end if;
  if not v_a.trusted and not (
       v_a.role in ('admin', 'manager', 'supervisor', 'inventory_clerk')
       or (v_a.role in ('technician', 'contractor') and v_a.uid = any (v_wo.assigned_to))) then
    if private.has_wo_access(p_wo_id) then
      perform private.raise_forbidden(format('a %s may not %s parts for this work order',
        v_a.role, case when p_release then 'release' else 'reserve' end));
    end if;
    perform private.raise_not_found('work order', 'wo_id');
  end if;
  if v_wo.status in ('completed', 'verified', 'closed', 'cancelled') then
    perform private.raise_rule('wo_id', format('parts cannot be %s on a %s work order', v_verb, v_wo.status));
  end if;
  select * into v_part from public.parts p
   where p.id = p_part_id and p.warehouse_id = v_wo.warehouse_id for update;
  if not found then
    perform private.raise_not_found('part', 'part_id');
  end if;
  select coalesce(sum(u.quantity), 0)::integer into v_own from public.wo_parts_used u
   where u.warehouse_id = v_wo.warehouse_id and u.work_order_id = v_wo.id
     and u.part_id = v_part.id and u.consumed_at is null;

  if p_release then
    v_qty := coalesce(v_qty, v_own);
    if v_qty > v_own then
      perform private.raise_rule('quantity', format(
        'cannot release %s of part %s: %s reserved for this work order', v_qty, v_part.part_number, v_own));
    end if;
    if v_qty > 0 then
      update public.parts p set reserved_quantity = p.reserved_quantity - v_qty where p.id = v_part.id
      returning p.* into v_part;
      delete from public.wo_parts_used u
       where u.warehouse_id = v_wo.warehouse_id and u.work_order_id = v_wo.id
         and u.part_id = v_part.id and u.consumed_at is null;
      if v_own - v_qty > 0 then
        insert into public.wo_parts_used (warehouse_id, work_order_id, part_id, quantity, unit_cost, recorded_by)
        values (v_wo.warehouse_id, v_wo.id, v_part.id, v_own - v_qty, v_part.unit_cost, v_a.uid);
      end if;
    end if;
    v_own := v_own - v_qty;
  else
    if v_qty > v_part.available then
      perform private.raise_rule('quantity', format(
        'insufficient stock for part %s: requested %s, available %s', v_part.part_number, v_qty, v_part.available));
    end if;
    update public.parts p set reserved_quantity = p.reserved_quantity + v_qty where p.id = v_part.id
    returning p.* into v_part;
    update public.wo_parts_used u set quantity = u.quantity + v_qty
     where u.id = (select x.id from public.wo_parts_used x
                    where x.warehouse_id = v_wo.warehouse_id and x.work_order_id = v_wo.id
                      and x.part_id = v_part.id and x.consumed_at is null
                    order by x.created_at, x.id limit 1);
    if not found then
      insert into public.wo_parts_used (warehouse_id, work_order_id, part_id, quantity, unit_cost, recorded_by)
      values (v_wo.warehouse_id, v_wo.id, v_part.id, v_qty, v_part.unit_cost, v_a.uid);
    end if;
    v_own := v_own + v_qty;
  end if;
  return jsonb_build_object(
    'part_id', v_part.id, 'work_order_id', v_wo.id, v_verb, v_qty,
    'reserved_for_work_order', v_own, 'quantity_on_hand', v_part.quantity_on_hand,
    'reserved_quantity', v_part.reserved_quantity, 'available', v_part.available);
end
$$;

create function public.reserve_parts(part_id uuid, quantity integer, wo_id uuid)
returns jsonb
language plpgsql volatile
set search_path = ''
as $$
begin
  return private.reservation_impl(reserve_parts.part_id, reserve_parts.quantity, reserve_parts.wo_id, false);
end
$$;
comment on function public.reserve_parts(uuid, integer, uuid) is
$$Reserve quantity units of part part_id for open work order wo_id (parts.reserved_quantity grows, a planned wo_parts_used row records it; complete_work_order consumes or releases it). Returns {part_id, work_order_id, reserved, reserved_for_work_order, quantity_on_hand, reserved_quantity, available}. Additive: each call reserves more.
Who: admin, manager, supervisor, inventory_clerk in scope; technician, contractor on work orders assigned to them; service_role.
Errors: 22023 "invalid quantity: ..."; 42501 "work order not found or not accessible", "part not found or not accessible" (the part must be in the work order's warehouse); 42501 "not permitted: ..."; 23514 "rule violated: insufficient stock for part <number>: requested <q>, available <a>", "rule violated: parts cannot be reserved on a <status> work order".$$;

create function public.release_parts(part_id uuid, quantity integer, wo_id uuid)
returns jsonb
language plpgsql volatile
set search_path = ''
as $$
begin
  return private.reservation_impl(release_parts.part_id, release_parts.quantity, release_parts.wo_id, true);
end
$$;
comment on function public.release_parts(uuid, integer, uuid) is
$$Release quantity units (null = all) of the reservation of part part_id for work order wo_id. Releasing nothing reserved with quantity null is a no-op. Returns the same object as reserve_parts with "released".
Who: as reserve_parts.
Errors: 22023 "invalid quantity: ..."; 42501 "work order not found or not accessible", "part not found or not accessible"; 42501 "not permitted: ..."; 23514 "rule violated: cannot release <q> of part <number>: <r> reserved for this work order".$$;

-- ================================================================ bulk_receive_parts
create function private.bulk_receive_parts_impl(p_items jsonb) returns integer
language plpgsql volatile security definer
set search_path = ''
as $$
declare
  v_a     record;
  v_elem  jsonb;
  v_idx   bigint;
  v_pid   uuid;
  v_qty   numeric;
  v_cost  numeric;
  v_items jsonb := '[]';
  v_n     integer := 0;
  v_part  public.parts;
  v_it    record;
begin
  select * into v_a from private.api_actor();
  if not v_a.trusted and v_a.role not in ('admin', 'manager', 'inventory_clerk') then
    perform private.raise_forbidden(format('a %s may not receive parts', v_a.role));
  end if;
  if p_items is null or jsonb_typeof(p_items) <> 'array' or jsonb_array_length(p_items) = 0 then
    perform private.raise_invalid('items', 'must be a non-empty JSON array of {part_id, quantity, unit_cost?, reference?, note?}');
  end if;
  if jsonb_array_length(p_items) > 1000 then
    perform private.raise_invalid('items', 'at most 1000 items per call');
  end if;
  for v_elem, v_idx in select e, n - 1 from jsonb_array_elements(p_items) with ordinality as t(e, n) loop
    if jsonb_typeof(v_elem) <> 'object' then
      perform private.raise_invalid(format('items[%s]', v_idx), 'must be an object');
    end if;
    begin
      v_pid := (v_elem ->> 'part_id')::uuid;
    exception when invalid_text_representation then
      perform private.raise_invalid(format('items[%s].part_id', v_idx), 'must be a uuid');
    end;
    if v_pid is null then
      perform private.raise_invalid(format('items[%s].part_id', v_idx), 'is required');
    end if;
    if jsonb_typeof(v_elem -> 'quantity') is distinct from 'number' then
      perform private.raise_invalid(format('items[%s].quantity', v_idx), 'must be a positive integer');
    end if;
    v_qty := (v_elem ->> 'quantity')::numeric;
    if v_qty <= 0 or v_qty <> trunc(v_qty) or v_qty > 1000000 then
      perform private.raise_invalid(format('items[%s].quantity', v_idx), 'must be a positive integer');
    end if;
    v_cost := null;
    if v_elem ? 'unit_cost' and jsonb_typeof(v_elem -> 'unit_cost') <> 'null' then
      if jsonb_typeof(v_elem -> 'unit_cost') <> 'number' or (v_elem ->> 'unit_cost')::numeric < 0 then
        perform private.raise_invalid(format('items[%s].unit_cost', v_idx), 'must be a number >= 0');
      end if;
      v_cost := (v_elem ->> 'unit_cost')::numeric;
    end if;
    if v_elem ? 'reference' and jsonb_typeof(v_elem -> 'reference') <> 'null'
       and (jsonb_typeof(v_elem -> 'reference') <> 'string' or length(v_elem ->> 'reference') not between 1 and 100) then
      perform private.raise_invalid(format('items[%s].reference', v_idx), 'must be a string of 1 to 100 characters');
    end if;
    if length(v_elem ->> 'note') > 2000 then
      perform private.raise_invalid(format('items[%s].note', v_idx), 'at most 2000 characters');
    end if;
    v_items := v_items || jsonb_build_object('i', v_idx, 'part_id', v_pid, 'q', v_qty::integer,
      'cost', v_cost, 'ref', v_elem ->> 'reference', 'note', v_elem ->> 'note');
  end loop;

  -- lock the parts in id order; every one must be reachable
  perform 1 from public.parts p
   where p.id in (select (x ->> 'part_id')::uuid from jsonb_array_elements(v_items) x)
   order by p.id for update;
  for v_it in select (x ->> 'i')::bigint as i, (x ->> 'part_id')::uuid as part_id, (x ->> 'q')::integer as q,
                     (x ->> 'cost')::numeric as cost, x ->> 'ref' as ref, x ->> 'note' as note
                from jsonb_array_elements(v_items) x order by (x ->> 'i')::bigint loop
    select * into v_part from public.parts p where p.id = v_it.part_id;
    if not found or not (v_a.trusted or v_part.warehouse_id = any (v_a.scope)) then
      perform private.raise_not_found('part', format('items[%s].part_id', v_it.i));
    end if;
    if v_it.ref is not null and exists (
         select 1 from public.part_transactions t
          where t.part_id = v_part.id and t.type = 'receipt' and t.reference = v_it.ref) then
      continue;  -- already received under this reference (retry)
    end if;
    insert into public.part_transactions (warehouse_id, part_id, type, quantity, unit_cost,
                                          performed_by, reference, note)
    values (v_part.warehouse_id, v_part.id, 'receipt', v_it.q, coalesce(v_it.cost, v_part.unit_cost),
            v_a.uid, v_it.ref, v_it.note);
    v_n := v_n + 1;
  end loop;
  return v_n;
end
$$;

create function public.bulk_receive_parts(items jsonb) returns integer
language plpgsql volatile
set search_path = ''
as $$
begin
  return private.bulk_receive_parts_impl(bulk_receive_parts.items);
end
$$;
comment on function public.bulk_receive_parts(jsonb) is
$$Book a receipt for each item of items, all or nothing; returns the number of receipts written.
Arguments: items: JSON array (1-1000) of {"part_id": uuid, "quantity": positive integer, "unit_cost"?: number >= 0, "reference"?: text (an item whose part already has a receipt with this reference is skipped: safe retry), "note"?: text}.
Who: admin, manager, inventory_clerk (parts in scope); service_role.
Errors: 22023 "invalid items[<i>].<field>: ..."; 42501 "part not found or not accessible" (detail field: items[<i>].part_id); 42501 "not permitted: ...".$$;

-- ================================================================ low_stock
create function public.low_stock(warehouse_id uuid default null)
returns setof public.parts
language plpgsql stable
set search_path = ''
as $$
declare
  v_a record;
begin
  select * into v_a from private.api_actor();
  if low_stock.warehouse_id is not null and not (low_stock.warehouse_id = any (v_a.scope)) then
    perform private.raise_not_found('warehouse', 'warehouse_id');
  end if;
  if not v_a.trusted
     and v_a.role not in ('admin', 'manager', 'inventory_clerk', 'supervisor', 'technician') then
    perform private.raise_forbidden(format('a %s may not read parts', v_a.role));
  end if;
  return query
    select p.*
      from public.parts p
     where p.is_active
       and p.available <= p.reorder_point
       and p.warehouse_id = any (v_a.scope)
       and (low_stock.warehouse_id is null or p.warehouse_id = low_stock.warehouse_id)
     order by p.warehouse_id, p.available - p.reorder_point, p.part_number;
end
$$;
comment on function public.low_stock(uuid) is
$$Active parts at or below their reorder point (available <= reorder_point), in warehouse_id or, when null, in every warehouse of the caller's scope; most short first.
Who: admin, manager, inventory_clerk, supervisor, technician; service_role.
Errors: 42501 "warehouse not found or not accessible"; 42501 "not permitted: ..." (contractor, requester).$$;

-- ================================================================ privileges
revoke execute on function
  private.record_part_transaction_impl(uuid, text, integer, text, uuid, numeric, text),
  private.reservation_impl(uuid, integer, uuid, boolean), private.bulk_receive_parts_impl(jsonb)
  from public, anon;
grant execute on function
  private.record_part_transaction_impl(uuid, text, integer, text, uuid, numeric, text),
  private.reservation_impl(uuid, integer, uuid, boolean), private.bulk_receive_parts_impl(jsonb)
  to authenticated, service_role;
revoke execute on function
  public.record_part_transaction(uuid, text, integer, text, uuid, numeric, text),
  public.reserve_parts(uuid, integer, uuid), public.release_parts(uuid, integer, uuid),
  public.bulk_receive_parts(jsonb), public.low_stock(uuid)
  from public, anon;
grant execute on function
  public.record_part_transaction(uuid, text, integer, text, uuid, numeric, text),
  public.reserve_parts(uuid, integer, uuid), public.release_parts(uuid, integer, uuid),
  public.bulk_receive_parts(jsonb), public.low_stock(uuid)
  to authenticated, service_role;
