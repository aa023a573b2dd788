-- 0001_demo.sql: small, realistic MaintAInPro demo dataset.
-- Runs as the database owner/superuser after all migrations (no request claims, so rule
-- triggers treat it as a trusted server-side job; audit rows get actor_id null).
--
-- FIXED IDS (tests rely on them)
--   Warehouses                        id
--     W1 MAIN  Main Plant             10000000-0000-0000-0000-000000000001
--     W2 NDC   North Distribution     10000000-0000-0000-0000-000000000002
--     W3 SDP   South Depot            10000000-0000-0000-0000-000000000003
--   Users: 2000000<w>-0000-0000-0000-00000000000<r>, w = warehouse 1..3, r = role:
--     r=1 admin            r=2 manager        r=3 supervisor     r=4 technician
--     r=5 inventory_clerk  r=6 contractor     r=7 requester      r=8 technician (second)
--     e.g. W1 admin 20000001-0000-0000-0000-000000000001, W3 requester 20000003-0000-0000-0000-000000000007
--   Special:
--     20000001-0000-0000-0000-000000000002  manager W1, additionally granted W2 (user_warehouse_access)
--     20000001-0000-0000-0000-000000000009  technician W1, INACTIVE (is_active = false)
--   E-mail: <role>.w<w>@maintainpro.demo (technician2.w1@..., inactive.w1@...)
--   Other ids are md5(text)::uuid, e.g. work orders md5('wo:<w>:<status>')::uuid, per warehouse
--   one work order in every status: requested, open, assigned, in_progress, on_hold, completed,
--   verified, closed, cancelled; plus 'tech_request' (requested by the technician),
--   'contractor_job' (in_progress, assigned to the contractor) and 'overdue' (critical, overdue).
--   Equipment md5('eq:<w>:<asset_tag>')::uuid, parts md5('part:<w>:<part_number>')::uuid.

select set_config(
  'app.settings.encryption_key',
  coalesce(nullif(current_setting('app.settings.encryption_key', true), ''), 'maintainpro-demo-key-not-for-production'),
  false);

do $seed$
declare
  w        integer;
  wh       uuid;
  wcode    text[] := array['MAIN', 'NDC', 'SDP'];
  wname    text[] := array['Main Plant', 'North Distribution Center', 'South Depot'];
  rname    text[] := array['admin', 'manager', 'supervisor', 'technician', 'inventory_clerk',
                           'contractor', 'requester', 'technician'];
  first_n  text[] := array['Alice', 'Marco', 'Sofia', 'Tom', 'Ines', 'Carl', 'Rita', 'Tariq'];
  last_n   text[] := array['Admin', 'Manager', 'Supervisor', 'Technician', 'Clerk', 'Contractor',
                           'Requester', 'Technician'];
  r        integer;
  uid      uuid;
  u_admin  uuid; u_mgr uuid; u_sup uuid; u_tech uuid; u_clerk uuid; u_con uuid; u_req uuid; u_tech2 uuid;
  eq       jsonb;
  st       text;
  wo_id    uuid;
  v1       uuid; v2 uuid;
  t1       uuid; t2 uuid; t3 uuid; t4 uuid;
  s_over   uuid;
  n        integer;
  wo_rows  jsonb := '[
    {"k":"requested",      "status":"requested",   "prio":"medium",  "type":"corrective", "eq":"CL-101", "title":"Unusual noise from conveyor drive motor", "assign":[],        "req":"req",  "due":5},
    {"k":"open",           "status":"open",        "prio":"high",    "type":"corrective", "eq":"AC-200", "title":"Compressor pressure drops under load",    "assign":[],        "req":"req",  "due":2},
    {"k":"assigned",       "status":"assigned",    "prio":"medium",  "type":"inspection", "eq":"FL-300", "title":"Inspect forklift mast chains",            "assign":["tech"],  "req":"sup",  "due":3},
    {"k":"in_progress",    "status":"in_progress", "prio":"high",    "type":"corrective", "eq":"CL-102", "title":"Replace gearbox bearing on line 1",       "assign":["tech"],  "req":"req",  "due":1},
    {"k":"on_hold",        "status":"on_hold",     "prio":"low",     "type":"corrective", "eq":"HV-400", "title":"HVAC damper actuator sticking",           "assign":["tech2"], "req":"sup",  "due":10},
    {"k":"completed",      "status":"completed",   "prio":"medium",  "type":"corrective", "eq":"CL-100", "title":"Replace worn V-belt on conveyor",         "assign":["tech"],  "req":"req",  "due":-1},
    {"k":"verified",       "status":"verified",    "prio":"medium",  "type":"preventive", "eq":"AC-201", "title":"Service air dryer filters",               "assign":["tech2"], "req":"sup",  "due":-3},
    {"k":"closed",         "status":"closed",      "prio":"low",     "type":"preventive", "eq":"HV-400", "title":"Quarterly HVAC filter change",            "assign":["tech"],  "req":"mgr",  "due":-20},
    {"k":"cancelled",      "status":"cancelled",   "prio":"low",     "type":"corrective", "eq":null,     "title":"Paint loading dock bollards",             "assign":[],        "req":"req",  "due":30},
    {"k":"tech_request",   "status":"requested",   "prio":"medium",  "type":"corrective", "eq":"FL-300", "title":"Forklift horn intermittent",              "assign":[],        "req":"tech", "due":7},
    {"k":"contractor_job", "status":"in_progress", "prio":"high",    "type":"project",    "eq":"AC-200", "title":"Compressor overhaul by service partner",  "assign":["con"],   "req":"mgr",  "due":4},
    {"k":"overdue",        "status":"assigned",    "prio":"critical","type":"emergency",  "eq":"CL-100", "title":"Conveyor emergency stop not latching",    "assign":["tech","tech2"], "req":"sup", "due":-1}
  ]';
  row      jsonb;
  assignees uuid[];
  a        text;
begin
  for w in 1..3 loop
    wh := ('10000000-0000-0000-0000-00000000000' || w)::uuid;
    insert into public.warehouses (id, code, name, address, timezone)
    values (wh, wcode[w], wname[w], w || '00 Industrial Way', 'UTC');
  end loop;

  for w in 1..3 loop
    wh := ('10000000-0000-0000-0000-00000000000' || w)::uuid;

    -- ---------------------------------------------------------- users / profiles
    for r in 1..8 loop
      uid := ('2000000' || w || '-0000-0000-0000-00000000000' || r)::uuid;
      insert into auth.users (id, aud, role, email, raw_user_meta_data, raw_app_meta_data, created_at)
      values (uid, 'authenticated', 'authenticated',
              (case when r = 8 then 'technician2' else rname[r] end) || '.w' || w || '@maintainpro.demo',
              jsonb_build_object('first_name', first_n[r], 'last_name', last_n[r]),
              '{"provider":"email","providers":["email"]}', now() - interval '90 days');
      insert into public.profiles (id, warehouse_id, role, first_name, last_name, email, phone,
                                   skills, certifications)
      values (uid, wh, rname[r]::public.app_role, first_n[r], last_n[r] || ' W' || w,
              (case when r = 8 then 'technician2' else rname[r] end) || '.w' || w || '@maintainpro.demo',
              '+1-555-0' || w || '0' || r,
              case when rname[r] in ('technician', 'contractor') then array['mechanical', 'electrical'] else '{}' end,
              case when rname[r] = 'technician' then array['forklift', 'lockout-tagout'] else '{}' end);
    end loop;
    u_admin := ('2000000' || w || '-0000-0000-0000-000000000001')::uuid;
    u_mgr   := ('2000000' || w || '-0000-0000-0000-000000000002')::uuid;
    u_sup   := ('2000000' || w || '-0000-0000-0000-000000000003')::uuid;
    u_tech  := ('2000000' || w || '-0000-0000-0000-000000000004')::uuid;
    u_clerk := ('2000000' || w || '-0000-0000-0000-000000000005')::uuid;
    u_con   := ('2000000' || w || '-0000-0000-0000-000000000006')::uuid;
    u_req   := ('2000000' || w || '-0000-0000-0000-000000000007')::uuid;
    u_tech2 := ('2000000' || w || '-0000-0000-0000-000000000008')::uuid;

    if w = 1 then
      uid := '20000001-0000-0000-0000-000000000009';
      insert into auth.users (id, aud, role, email, raw_user_meta_data)
      values (uid, 'authenticated', 'authenticated', 'inactive.w1@maintainpro.demo', '{}');
      insert into public.profiles (id, warehouse_id, role, first_name, last_name, email, is_active)
      values (uid, wh, 'technician', 'Ivan', 'Inactive', 'inactive.w1@maintainpro.demo', false);
    end if;

    -- ---------------------------------------------------------- vendors / contractors
    v1 := md5('vendor:' || w || ':1')::uuid;
    v2 := md5('vendor:' || w || ':2')::uuid;
    insert into public.vendors (id, warehouse_id, name, contact_name, contact_email_encrypted,
                                contact_phone_encrypted, tax_id_encrypted, address, website)
    values
      (v1, wh, 'Acme Bearings & Drives', 'Dana Fox', private.encrypt_text('dana.fox@acme.example'),
       private.encrypt_text('+1-555-7001'), private.encrypt_text('12-345678' || w), '1 Supply Rd', 'https://acme.example'),
      (v2, wh, 'FilterPro Industrial', 'Lee Park', private.encrypt_text('orders@filterpro.example'),
       private.encrypt_text('+1-555-7002'), private.encrypt_text('98-765432' || w), '2 Filter Ave', 'https://filterpro.example');

    insert into public.contractors (id, warehouse_id, profile_id, vendor_id, company_name,
                                    tax_id_encrypted, email_encrypted, phone_encrypted,
                                    address_encrypted, license_number, insurance_expires,
                                    hourly_rate, specialties)
    values
      (md5('contractor:' || w || ':1')::uuid, wh, u_con, null, 'Carl''s Compressor Service',
       private.encrypt_text('55-000111' || w), private.encrypt_text('contractor.w' || w || '@maintainpro.demo'),
       private.encrypt_text('+1-555-0' || w || '06'), private.encrypt_text('9 Service Lane'),
       'LIC-' || w || '-4471', current_date + 200, 95.00, array['compressors', 'pneumatics']),
      (md5('contractor:' || w || ':2')::uuid, wh, null, v1, 'Acme Field Services',
       private.encrypt_text('12-345678' || w), private.encrypt_text('field@acme.example'),
       private.encrypt_text('+1-555-7010'), null, 'LIC-' || w || '-9001', current_date + 30, 120.00,
       array['drives', 'alignment']);

    -- ---------------------------------------------------------- equipment hierarchy
    for eq in select * from jsonb_array_elements('[
      {"tag":"CL-100","name":"Conveyor Line 1","parent":null,"area":"Production","crit":"critical","mfr":"Interroll","model":"RM 8000"},
      {"tag":"CL-101","name":"Conveyor Drive Motor","parent":"CL-100","area":"Production","crit":"high","mfr":"Siemens","model":"1LE1 7.5kW"},
      {"tag":"CL-102","name":"Conveyor Gearbox","parent":"CL-100","area":"Production","crit":"high","mfr":"SEW","model":"R77"},
      {"tag":"AC-200","name":"Air Compressor","parent":null,"area":"Utilities","crit":"high","mfr":"Atlas Copco","model":"GA 30"},
      {"tag":"AC-201","name":"Refrigerated Air Dryer","parent":"AC-200","area":"Utilities","crit":"medium","mfr":"Atlas Copco","model":"FD 60"},
      {"tag":"FL-300","name":"Forklift 3t","parent":null,"area":"Warehouse","crit":"medium","mfr":"Toyota","model":"8FBE30"},
      {"tag":"HV-400","name":"Rooftop HVAC Unit","parent":null,"area":"Building","crit":"low","mfr":"Carrier","model":"48FC"}
    ]'::jsonb) loop
      insert into public.equipment (id, warehouse_id, asset_tag, name, model, manufacturer,
        serial_number, area, location, status, criticality, parent_equipment_id, specifications,
        qr_code, meter_reading, install_date, purchase_cost, replacement_cost, warranty_expires)
      values (
        md5('eq:' || w || ':' || (eq ->> 'tag'))::uuid, wh, eq ->> 'tag', eq ->> 'name',
        eq ->> 'model', eq ->> 'mfr', 'SN-' || w || '-' || (eq ->> 'tag'), eq ->> 'area',
        (eq ->> 'area') || ' bay ' || w,
        case when eq ->> 'tag' = 'HV-400' then 'needs_maintenance' else 'operational' end::public.equipment_status,
        (eq ->> 'crit')::public.criticality,
        case when eq ->> 'parent' is null then null else md5('eq:' || w || ':' || (eq ->> 'parent'))::uuid end,
        jsonb_build_object('voltage', '400V', 'commissioned_by', 'OEM'),
        'maintainpro://equipment/' || md5('eq:' || w || ':' || (eq ->> 'tag'))::uuid,
        case when eq ->> 'tag' = 'FL-300' then 1180 end,
        current_date - 1000, 25000, 32000, current_date + 180);
    end loop;

    -- ---------------------------------------------------------- parts (stock through the ledger)
    insert into public.parts (id, warehouse_id, part_number, name, description, category,
      reorder_point, reorder_quantity, unit_cost, vendor_id, bin_location, model_compatibility)
    values
      (md5('part:' || w || ':BRG-6205')::uuid, wh, 'BRG-6205', 'Deep groove ball bearing 6205', '25x52x15 mm, 2RS', 'bearings', 10, 40, 8.50, v1, 'A-01-01', array['SEW R77', 'Siemens 1LE1']),
      (md5('part:' || w || ':BLT-A42')::uuid, wh, 'BLT-A42', 'V-belt A42', 'Classic V-belt 13x1067', 'belts', 5, 10, 14.20, v1, 'A-01-02', array['Interroll RM 8000']),
      (md5('part:' || w || ':FLT-AIR-01')::uuid, wh, 'FLT-AIR-01', 'Compressor air filter', 'Intake filter element', 'filters', 8, 20, 42.00, v2, 'B-02-01', array['Atlas Copco GA 30']),
      (md5('part:' || w || ':OIL-ISO68')::uuid, wh, 'OIL-ISO68', 'Hydraulic oil ISO VG 68 (5 l)', null, 'lubricants', 5, 10, 31.90, v2, 'C-01-01', '{}'),
      (md5('part:' || w || ':FUSE-10A')::uuid, wh, 'FUSE-10A', 'Fuse 10 A gG', null, 'electrical', 5, 20, 1.10, null, 'D-03-04', '{}');

    -- ---------------------------------------------------------- PM templates / schedules
    t1 := md5('pmt:' || w || ':conveyor')::uuid;
    t2 := md5('pmt:' || w || ':compressor')::uuid;
    t3 := md5('pmt:' || w || ':forklift')::uuid;
    t4 := md5('pmt:' || w || ':hvac')::uuid;
    insert into public.pm_templates (id, warehouse_id, name, description, priority, estimated_hours, interval_unit, interval_value)
    values (t1, wh, 'Monthly conveyor inspection', 'Belt tension, bearings, guards', 'medium', 1.5, 'months', 1),
           (t2, wh, 'Quarterly compressor service', 'Filters, oil, drain valves', 'high', 3, 'months', 3),
           (t3, wh, 'Forklift 250 h service', 'Hydraulics, chains, brakes', 'medium', 2, 'meter', 250),
           (t4, wh, 'Weekly HVAC check', 'Filters and belts', 'low', 0.5, 'weeks', 1);
    insert into public.pm_template_checklist (warehouse_id, template_id, position, description)
    values (wh, t1, 1, 'Check belt tension and tracking'), (wh, t1, 2, 'Listen to bearings, grease'),
           (wh, t1, 3, 'Verify guards and emergency stops'),
           (wh, t2, 1, 'Replace intake filter'), (wh, t2, 2, 'Check oil level and condensate drain'),
           (wh, t3, 1, 'Inspect mast chains'), (wh, t3, 2, 'Check hydraulic oil level'),
           (wh, t4, 1, 'Inspect filters');
    s_over := md5('pms:' || w || ':compressor')::uuid;
    insert into public.pm_schedules (id, warehouse_id, template_id, equipment_id, interval_unit,
      interval_value, meter_threshold, last_meter_reading, next_due, last_done, lead_days)
    values
      (md5('pms:' || w || ':conveyor')::uuid, wh, t1, md5('eq:' || w || ':CL-100')::uuid, 'months', 1, null, null, current_date + 5, current_date - 25, 3),
      (s_over, wh, t2, md5('eq:' || w || ':AC-200')::uuid, 'months', 3, null, null, current_date - 10, current_date - 100, 7),
      (md5('pms:' || w || ':forklift')::uuid, wh, t3, md5('eq:' || w || ':FL-300')::uuid, 'meter', 250, 250, 1000, null, current_date - 40, 0),
      (md5('pms:' || w || ':hvac')::uuid, wh, t4, md5('eq:' || w || ':HV-400')::uuid, 'weeks', 1, null, null, current_date, current_date - 7, 0);

    -- ---------------------------------------------------------- work orders
    for row in select * from jsonb_array_elements(wo_rows) loop
      assignees := '{}';
      for a in select jsonb_array_elements_text(row -> 'assign') loop
        assignees := assignees || case a when 'tech' then u_tech when 'tech2' then u_tech2 when 'con' then u_con end;
      end loop;
      st := row ->> 'status';
      wo_id := md5('wo:' || w || ':' || (row ->> 'k'))::uuid;
      insert into public.work_orders (id, warehouse_id, type, title, description, equipment_id,
        status, priority, requested_by, assigned_to, due_date, started_at, completed_at,
        verified_at, verified_by, closed_at, cancelled_at, escalated, escalation_level,
        estimated_hours, actual_hours, estimated_cost, actual_cost, notes, custom_fields,
        created_at)
      values (
        wo_id, wh, (row ->> 'type')::public.wo_type, row ->> 'title',
        'Reported at ' || wname[w] || '. ' || (row ->> 'title') || '.',
        case when row ->> 'eq' is null then null else md5('eq:' || w || ':' || (row ->> 'eq'))::uuid end,
        st::public.wo_status, (row ->> 'prio')::public.wo_priority,
        case row ->> 'req' when 'req' then u_req when 'sup' then u_sup when 'mgr' then u_mgr when 'tech' then u_tech end,
        assignees,
        now() + make_interval(days => (row ->> 'due')::integer),
        case when st in ('in_progress', 'on_hold', 'completed', 'verified', 'closed') then now() - interval '2 days' end,
        case when st in ('completed', 'verified', 'closed') then now() - interval '1 day' end,
        case when st in ('verified', 'closed') then now() - interval '20 hours' end,
        case when st in ('verified', 'closed') then u_sup end,
        case when st = 'closed' then now() - interval '12 hours' end,
        case when st = 'cancelled' then now() - interval '3 days' end,
        row ->> 'k' = 'overdue', case when row ->> 'k' = 'overdue' then 1 else 0 end,
        2, case when st in ('completed', 'verified', 'closed') then 2.5 end,
        250, case when st in ('completed', 'verified', 'closed') then 310 end,
        case when st = 'on_hold' then 'Waiting for actuator from vendor' end,
        jsonb_build_object('source', 'demo'),
        now() - interval '5 days');
    end loop;

    -- PM work order generated from the overdue compressor schedule
    insert into public.work_orders (id, warehouse_id, type, title, equipment_id, status, priority,
      requested_by, pm_schedule_id, pm_due_date, due_date)
    values (md5('wo:' || w || ':pm')::uuid, wh, 'preventive', 'PM: Quarterly compressor service',
            md5('eq:' || w || ':AC-200')::uuid, 'open', 'high', u_sup, s_over, current_date - 10,
            (current_date - 10)::timestamptz);

    -- follow-up of the completed work order
    update public.work_orders set follow_up = true, follow_up_of = md5('wo:' || w || ':completed')::uuid
     where id = md5('wo:' || w || ':requested')::uuid;

    -- checklist items
    insert into public.wo_checklist_items (warehouse_id, work_order_id, position, description,
      is_required, is_completed, completed_by, completed_at)
    select wh, md5('wo:' || w || ':' || k)::uuid, p, d, true, done,
           case when done then u_tech end, case when done then now() - interval '1 day' end
    from (values
      ('in_progress', 1, 'Lock out / tag out the drive', true),
      ('in_progress', 2, 'Remove gearbox cover', true),
      ('in_progress', 3, 'Replace bearing and refill oil', false),
      ('completed', 1, 'Remove old belt', true),
      ('completed', 2, 'Fit and tension new belt', true),
      ('verified', 1, 'Replace dryer filter cartridges', true),
      ('pm', 1, 'Replace intake filter', false),
      ('pm', 2, 'Check oil level and condensate drain', false)
    ) as c(k, p, d, done);

    -- time logs
    insert into public.wo_time_logs (warehouse_id, work_order_id, user_id, started_at, ended_at, note)
    values
      (wh, md5('wo:' || w || ':in_progress')::uuid, u_tech, now() - interval '2 days', now() - interval '2 days' + interval '95 minutes', 'Disassembly'),
      (wh, md5('wo:' || w || ':in_progress')::uuid, u_tech, now() - interval '1 hour', null, 'Running'),
      (wh, md5('wo:' || w || ':completed')::uuid, u_tech, now() - interval '2 days', now() - interval '2 days' + interval '150 minutes', null),
      (wh, md5('wo:' || w || ':verified')::uuid, u_tech2, now() - interval '2 days', now() - interval '2 days' + interval '60 minutes', null),
      (wh, md5('wo:' || w || ':contractor_job')::uuid, u_con, now() - interval '1 day', now() - interval '1 day' + interval '240 minutes', 'Overhaul day 1');

    -- ledger: receipts and issues (quantity_on_hand follows the ledger)
    insert into public.part_transactions (warehouse_id, part_id, type, quantity, unit_cost, work_order_id, performed_by, reference, note, created_at)
    values
      (wh, md5('part:' || w || ':BRG-6205')::uuid,   'receipt', 50, 8.50, null, u_clerk, 'PO-' || w || '001', 'Initial stock', now() - interval '60 days'),
      (wh, md5('part:' || w || ':BRG-6205')::uuid,   'issue',  -10, 8.50, md5('wo:' || w || ':closed')::uuid, u_tech, null, null, now() - interval '20 days'),
      (wh, md5('part:' || w || ':BLT-A42')::uuid,    'receipt', 10, 14.20, null, u_clerk, 'PO-' || w || '002', null, now() - interval '60 days'),
      (wh, md5('part:' || w || ':BLT-A42')::uuid,    'issue',   -4, 14.20, md5('wo:' || w || ':completed')::uuid, u_tech, null, null, now() - interval '1 day'),
      (wh, md5('part:' || w || ':FLT-AIR-01')::uuid, 'receipt', 12, 42.00, null, u_clerk, 'PO-' || w || '003', null, now() - interval '60 days'),
      (wh, md5('part:' || w || ':FLT-AIR-01')::uuid, 'issue',  -10, 42.00, md5('wo:' || w || ':verified')::uuid, u_tech2, null, null, now() - interval '2 days'),
      (wh, md5('part:' || w || ':OIL-ISO68')::uuid,  'receipt', 25, 31.90, null, u_clerk, 'PO-' || w || '004', null, now() - interval '60 days'),
      (wh, md5('part:' || w || ':OIL-ISO68')::uuid,  'issue',   -6, 31.90, md5('wo:' || w || ':closed')::uuid, u_tech, null, null, now() - interval '20 days'),
      (wh, md5('part:' || w || ':OIL-ISO68')::uuid,  'return',   1, 31.90, md5('wo:' || w || ':closed')::uuid, u_tech, null, 'Unused can', now() - interval '19 days'),
      (wh, md5('part:' || w || ':FUSE-10A')::uuid,   'receipt', 20, 1.10, null, u_clerk, 'PO-' || w || '005', null, now() - interval '60 days'),
      (wh, md5('part:' || w || ':FUSE-10A')::uuid,   'adjustment', -15, null, null, u_clerk, null, 'Cycle count correction', now() - interval '5 days');
    -- on hand now: BRG 40, BLT 6 (near reorder 5), FLT 2 (below 8), OIL 20, FUSE 5 (at reorder 5)

    -- parts used, reservations
    insert into public.wo_parts_used (warehouse_id, work_order_id, part_id, quantity, unit_cost, recorded_by, consumed_at)
    values
      (wh, md5('wo:' || w || ':completed')::uuid, md5('part:' || w || ':BLT-A42')::uuid, 4, 14.20, u_tech, now() - interval '1 day'),
      (wh, md5('wo:' || w || ':verified')::uuid, md5('part:' || w || ':FLT-AIR-01')::uuid, 10, 42.00, u_tech2, now() - interval '2 days'),
      (wh, md5('wo:' || w || ':closed')::uuid, md5('part:' || w || ':BRG-6205')::uuid, 10, 8.50, u_tech, now() - interval '20 days'),
      (wh, md5('wo:' || w || ':in_progress')::uuid, md5('part:' || w || ':BRG-6205')::uuid, 4, 8.50, u_tech, null);
    update public.parts set reserved_quantity = 4 where id = md5('part:' || w || ':BRG-6205')::uuid;

    -- attachment metadata
    insert into public.wo_attachments (warehouse_id, work_order_id, storage_path, file_name, mime_type, size_bytes, uploaded_by)
    values (wh, md5('wo:' || w || ':completed')::uuid,
            wh || '/' || md5('wo:' || w || ':completed')::uuid || '/belt-photo.jpg',
            'belt-photo.jpg', 'image/jpeg', 734003, u_tech),
           (wh, md5('wo:' || w || ':in_progress')::uuid,
            wh || '/' || md5('wo:' || w || ':in_progress')::uuid || '/gearbox-manual.pdf',
            'gearbox-manual.pdf', 'application/pdf', 2400000, u_sup);

    -- maintenance history
    insert into public.equipment_maintenance_history (warehouse_id, equipment_id, work_order_id,
      maintenance_type, performed_at, performed_by, description, downtime_minutes, cost)
    values
      (wh, md5('eq:' || w || ':CL-100')::uuid, md5('wo:' || w || ':completed')::uuid, 'corrective', now() - interval '1 day', u_tech, 'V-belt replaced', 150, 310),
      (wh, md5('eq:' || w || ':AC-201')::uuid, md5('wo:' || w || ':verified')::uuid, 'preventive', now() - interval '2 days', u_tech2, 'Dryer filters serviced', 60, 420),
      (wh, md5('eq:' || w || ':HV-400')::uuid, md5('wo:' || w || ':closed')::uuid, 'preventive', now() - interval '20 days', u_tech, 'Filters changed', 30, 90),
      (wh, md5('eq:' || w || ':AC-200')::uuid, null, 'inspection', now() - interval '100 days', u_con, 'Annual vendor inspection', 0, 600);

    -- escalation rules, settings
    insert into public.escalation_rules (warehouse_id, priority, hours_overdue, escalate_to_role, level)
    values (wh, 'critical', 2, 'supervisor', 1), (wh, 'critical', 8, 'manager', 2),
           (wh, 'high', 24, 'supervisor', 1), (wh, 'high', 72, 'manager', 2),
           (wh, 'medium', 72, 'supervisor', 1);
    insert into public.system_settings (warehouse_id, key, value, description, editable_by_role)
    values
      (wh, 'wo.default_priority', '"medium"', 'Priority of new requests', '{admin,manager}'),
      (wh, 'pm.generation_lead_days', '7', 'Days ahead PM work orders are generated', '{admin,manager}'),
      (wh, 'rate_limit.requests_per_hour', '1000', 'API requests per user per hour', '{admin}'),
      (wh, 'business_hours', '{"start":"07:00","end":"17:00","days":[1,2,3,4,5]}', 'Working hours', '{admin}');

    -- notifications and preferences
    insert into public.notifications (warehouse_id, user_id, title, body, work_order_id, read_at)
    values
      (wh, u_tech, 'Work order assigned', 'You were assigned: Inspect forklift mast chains', md5('wo:' || w || ':assigned')::uuid, null),
      (wh, u_tech, 'Work order overdue', 'Conveyor emergency stop not latching is overdue', md5('wo:' || w || ':overdue')::uuid, null),
      (wh, u_req, 'Request received', 'Your request was logged', md5('wo:' || w || ':requested')::uuid, now() - interval '1 day'),
      (wh, u_mgr, 'Escalation level 1', 'Critical work order overdue', md5('wo:' || w || ':overdue')::uuid, null),
      (wh, u_clerk, 'Low stock', 'FLT-AIR-01 is below its reorder point', null, null),
      (wh, u_con, 'Job assigned', 'Compressor overhaul by service partner', md5('wo:' || w || ':contractor_job')::uuid, null);
    insert into public.notification_settings (warehouse_id, user_id, in_app, email, sms, push)
    select wh, p.id, true, p.role <> 'contractor', p.role in ('technician', 'supervisor'), false
    from public.profiles p where p.warehouse_id = wh and p.is_active;
  end loop;

  -- manager W1 additionally reaches W2
  insert into public.user_warehouse_access (user_id, warehouse_id, granted_by)
  values ('20000001-0000-0000-0000-000000000002', '10000000-0000-0000-0000-000000000002',
          '20000001-0000-0000-0000-000000000001');
  insert into public.notification_settings (warehouse_id, user_id, email)
  values ('10000000-0000-0000-0000-000000000002', '20000001-0000-0000-0000-000000000002', false);
end
$seed$;
