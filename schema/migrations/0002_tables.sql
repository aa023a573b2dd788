-- 0002_tables.sql
-- Tables of the MaintAInPro CMMS. Every tenant table carries warehouse_id; every child
-- references its parent through a composite (warehouse_id, parent_id) foreign key, so a row
-- can never point into another warehouse. User references (profiles.id) are plain foreign
-- keys: admins and managers act across warehouses.

-- ================================================================ warehouses
create table public.warehouses (
  id         uuid primary key default gen_random_uuid(),
  code       text not null unique,
  name       text not null,
  address    text,
  timezone   text not null default 'UTC',
  is_active  boolean not null default true,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
comment on table public.warehouses is 'Sites (tenants). Every other CMMS row belongs to exactly one warehouse.';
comment on column public.warehouses.code is 'Short unique site code, e.g. MAIN.';

-- ================================================================ profiles
create table public.profiles (
  id             uuid primary key references auth.users (id) on delete cascade,
  warehouse_id   uuid not null references public.warehouses (id),
  role           public.app_role not null default 'requester',
  first_name     text,
  last_name      text,
  email          text,
  phone          text,
  skills         text[] not null default '{}',
  certifications text[] not null default '{}',
  is_active      boolean not null default true,
  created_at     timestamptz not null default now(),
  updated_at     timestamptz not null default now(),
  unique (warehouse_id, id)
);
comment on table public.profiles is 'One row per auth user: app role, home warehouse, contact data. The app role is read from here, never from the JWT.';
comment on column public.profiles.role is 'Application role; nobody changes their own; only admins grant admin.';
comment on column public.profiles.warehouse_id is 'Home warehouse.';
comment on column public.profiles.is_active is 'Inactive users reach nothing.';
create index profiles_role_idx on public.profiles (warehouse_id, role);

-- ================================================================ user_warehouse_access
create table public.user_warehouse_access (
  id           uuid primary key default gen_random_uuid(),
  user_id      uuid not null references public.profiles (id) on delete cascade,
  warehouse_id uuid not null references public.warehouses (id) on delete cascade,
  granted_by   uuid references public.profiles (id) on delete set null,
  created_at   timestamptz not null default now(),
  updated_at   timestamptz not null default now(),
  unique (user_id, warehouse_id)
);
comment on table public.user_warehouse_access is 'Extra warehouses granted to a manager (or admin) beyond the home warehouse.';
create index user_warehouse_access_warehouse_idx on public.user_warehouse_access (warehouse_id);
create index user_warehouse_access_granted_by_idx on public.user_warehouse_access (granted_by);

-- ================================================================ vendors / contractors
create table public.vendors (
  id                      uuid primary key default gen_random_uuid(),
  warehouse_id            uuid not null references public.warehouses (id),
  name                    text not null,
  contact_name            text,
  contact_email_encrypted bytea,
  contact_phone_encrypted bytea,
  tax_id_encrypted        bytea,
  address                 text,
  website                 text,
  is_active               boolean not null default true,
  created_at              timestamptz not null default now(),
  updated_at              timestamptz not null default now(),
  unique (warehouse_id, id),
  unique (warehouse_id, name)
);
comment on table public.vendors is 'Suppliers of parts and services. Tax id and contact data are encrypted at rest (pgcrypto).';
comment on column public.vendors.tax_id_encrypted is 'pgp_sym_encrypt(tax id, app.settings.encryption_key); use private.decrypt_text.';
comment on column public.vendors.contact_email_encrypted is 'Encrypted contact e-mail.';
comment on column public.vendors.contact_phone_encrypted is 'Encrypted contact phone.';

create table public.contractors (
  id                uuid primary key default gen_random_uuid(),
  warehouse_id      uuid not null references public.warehouses (id),
  profile_id        uuid,
  vendor_id         uuid,
  company_name      text not null,
  tax_id_encrypted  bytea,
  email_encrypted   bytea,
  phone_encrypted   bytea,
  address_encrypted bytea,
  license_number    text,
  insurance_expires date,
  hourly_rate       numeric(10, 2) check (hourly_rate >= 0),
  specialties       text[] not null default '{}',
  is_active         boolean not null default true,
  created_at        timestamptz not null default now(),
  updated_at        timestamptz not null default now(),
  unique (warehouse_id, id),
  unique (warehouse_id, profile_id),
  foreign key (warehouse_id, profile_id) references public.profiles (warehouse_id, id)
    on delete set null (profile_id),
  foreign key (warehouse_id, vendor_id) references public.vendors (warehouse_id, id)
    on delete set null (vendor_id)
);
comment on table public.contractors is 'External service companies/people. profile_id links the contractor''s login profile. Personal data encrypted at rest.';
comment on column public.contractors.profile_id is 'The contractor user (profiles.id, same warehouse); that user may read this row.';
comment on column public.contractors.tax_id_encrypted is 'Encrypted tax id (pgcrypto).';
create index contractors_vendor_idx on public.contractors (warehouse_id, vendor_id);
create index contractors_profile_idx on public.contractors (profile_id);

-- ================================================================ equipment
create table public.equipment (
  id                  uuid primary key default gen_random_uuid(),
  warehouse_id        uuid not null references public.warehouses (id),
  asset_tag           text not null,
  name                text not null,
  description         text,
  model               text,
  manufacturer        text,
  serial_number       text,
  area                text,
  location            text,
  status              public.equipment_status not null default 'operational',
  criticality         public.criticality not null default 'medium',
  parent_equipment_id uuid,
  specifications      jsonb not null default '{}',
  qr_code             text,
  meter_reading       numeric(14, 2) check (meter_reading >= 0),
  install_date        date,
  purchase_cost       numeric(14, 2) check (purchase_cost >= 0),
  replacement_cost    numeric(14, 2) check (replacement_cost >= 0),
  warranty_expires    date,
  created_at          timestamptz not null default now(),
  updated_at          timestamptz not null default now(),
  unique (warehouse_id, id),
  unique (warehouse_id, asset_tag),
  check (parent_equipment_id is distinct from id),
  foreign key (warehouse_id, parent_equipment_id) references public.equipment (warehouse_id, id)
    on delete set null (parent_equipment_id)
);
comment on table public.equipment is 'Assets under maintenance, with a parent/child hierarchy inside one warehouse.';
comment on column public.equipment.asset_tag is 'Asset tag, unique per warehouse.';
comment on column public.equipment.parent_equipment_id is 'Parent asset (same warehouse).';
comment on column public.equipment.qr_code is 'QR code payload printed on the asset label.';
comment on column public.equipment.specifications is 'Free-form technical specifications.';
create index equipment_parent_idx on public.equipment (warehouse_id, parent_equipment_id);
create index equipment_status_idx on public.equipment (warehouse_id, status);

-- ================================================================ parts
create table public.parts (
  id                  uuid primary key default gen_random_uuid(),
  warehouse_id        uuid not null references public.warehouses (id),
  part_number         text not null,
  name                text not null,
  description         text,
  category            text,
  unit_of_measure     text not null default 'each',
  quantity_on_hand    integer not null default 0 check (quantity_on_hand >= 0),
  reserved_quantity   integer not null default 0 check (reserved_quantity >= 0),
  available           integer generated always as (quantity_on_hand - reserved_quantity) stored,
  reorder_point       integer not null default 0 check (reorder_point >= 0),
  reorder_quantity    integer not null default 0 check (reorder_quantity >= 0),
  unit_cost           numeric(12, 2) check (unit_cost >= 0),
  vendor_id           uuid,
  bin_location        text,
  model_compatibility text[] not null default '{}',
  is_active           boolean not null default true,
  created_at          timestamptz not null default now(),
  updated_at          timestamptz not null default now(),
  unique (warehouse_id, id),
  unique (warehouse_id, part_number),
  constraint parts_reserved_le_on_hand check (reserved_quantity <= quantity_on_hand),
  foreign key (warehouse_id, vendor_id) references public.vendors (warehouse_id, id)
    on delete set null (vendor_id)
);
comment on table public.parts is 'Spare parts stock per warehouse. quantity_on_hand always equals the sum of its part_transactions.';
comment on column public.parts.quantity_on_hand is 'Physical stock; never negative; kept equal to the ledger sum (a direct change writes an adjustment row).';
comment on column public.parts.reserved_quantity is 'Reserved for open work orders; never above on hand.';
comment on column public.parts.available is 'quantity_on_hand - reserved_quantity.';
comment on column public.parts.reorder_point is 'Low stock when available <= reorder_point.';
create index parts_vendor_idx on public.parts (warehouse_id, vendor_id);
create index parts_low_stock_idx on public.parts (warehouse_id, available)
  where available <= reorder_point;

-- ================================================================ preventive maintenance
create table public.pm_templates (
  id              uuid primary key default gen_random_uuid(),
  warehouse_id    uuid not null references public.warehouses (id),
  name            text not null,
  description     text,
  wo_type         public.wo_type not null default 'preventive',
  priority        public.wo_priority not null default 'medium',
  estimated_hours numeric(8, 2) check (estimated_hours >= 0),
  interval_unit   public.pm_interval_unit not null default 'months',
  interval_value  integer not null default 1 check (interval_value > 0),
  is_active       boolean not null default true,
  created_at      timestamptz not null default now(),
  updated_at      timestamptz not null default now(),
  unique (warehouse_id, id),
  unique (warehouse_id, name)
);
comment on table public.pm_templates is 'Preventive maintenance procedures (what to do); schedules say when and on which asset.';

create table public.pm_template_checklist (
  id           uuid primary key default gen_random_uuid(),
  warehouse_id uuid not null references public.warehouses (id),
  template_id  uuid not null,
  position     integer not null default 0,
  description  text not null,
  is_required  boolean not null default true,
  created_at   timestamptz not null default now(),
  updated_at   timestamptz not null default now(),
  foreign key (warehouse_id, template_id) references public.pm_templates (warehouse_id, id)
    on delete cascade
);
comment on table public.pm_template_checklist is 'Checklist steps copied into each generated PM work order.';
create index pm_template_checklist_template_idx
  on public.pm_template_checklist (warehouse_id, template_id, position);

create table public.pm_schedules (
  id                 uuid primary key default gen_random_uuid(),
  warehouse_id       uuid not null references public.warehouses (id),
  template_id        uuid not null,
  equipment_id       uuid not null,
  interval_unit      public.pm_interval_unit not null,
  interval_value     integer not null check (interval_value > 0),
  meter_threshold    numeric(14, 2) check (meter_threshold > 0),
  last_meter_reading numeric(14, 2) check (last_meter_reading >= 0),
  next_due           date,
  last_done          date,
  lead_days          integer not null default 0 check (lead_days >= 0),
  active             boolean not null default true,
  created_at         timestamptz not null default now(),
  updated_at         timestamptz not null default now(),
  unique (warehouse_id, id),
  check (interval_unit <> 'meter' or meter_threshold is not null),
  foreign key (warehouse_id, template_id) references public.pm_templates (warehouse_id, id)
    on delete cascade,
  foreign key (warehouse_id, equipment_id) references public.equipment (warehouse_id, id)
    on delete cascade
);
comment on table public.pm_schedules is 'When a PM template is due on an asset: by calendar interval or meter threshold.';
comment on column public.pm_schedules.next_due is 'Next due date (calendar schedules); overdue when < current_date.';
comment on column public.pm_schedules.meter_threshold is 'Meter units between services (interval_unit = meter).';
create index pm_schedules_template_idx on public.pm_schedules (warehouse_id, template_id);
create index pm_schedules_equipment_idx on public.pm_schedules (warehouse_id, equipment_id);
create index pm_schedules_due_idx on public.pm_schedules (warehouse_id, next_due) where active;

-- ================================================================ work orders
create table private.wo_number_counters (
  warehouse_id uuid not null,
  day          date not null,
  last_value   integer not null,
  primary key (warehouse_id, day)
);
comment on table private.wo_number_counters is 'Per-warehouse per-day sequence for WO-YYYYMMDD-NNNN numbers (upsert = row lock, safe under concurrency).';

create table public.work_orders (
  id               uuid primary key default gen_random_uuid(),
  warehouse_id     uuid not null references public.warehouses (id),
  wo_number        text not null,
  type             public.wo_type not null default 'corrective',
  title            text not null,
  description      text,
  equipment_id     uuid,
  status           public.wo_status not null default 'requested',
  priority         public.wo_priority not null default 'medium',
  requested_by     uuid default auth.uid() references public.profiles (id) on delete set null,
  assigned_to      uuid[] not null default '{}',
  due_date         timestamptz,
  started_at       timestamptz,
  completed_at     timestamptz,
  verified_at      timestamptz,
  verified_by      uuid references public.profiles (id) on delete set null,
  closed_at        timestamptz,
  cancelled_at     timestamptz,
  escalated        boolean not null default false,
  escalation_level integer not null default 0 check (escalation_level >= 0),
  escalated_at     timestamptz,
  estimated_hours  numeric(8, 2) check (estimated_hours >= 0),
  actual_hours     numeric(8, 2) check (actual_hours >= 0),
  estimated_cost   numeric(12, 2) check (estimated_cost >= 0),
  actual_cost      numeric(12, 2) check (actual_cost >= 0),
  notes            text,
  custom_fields    jsonb not null default '{}',
  follow_up        boolean not null default false,
  follow_up_of     uuid,
  pm_schedule_id   uuid,
  pm_due_date      date,
  search           tsvector generated always as (
    setweight(to_tsvector('simple'::regconfig, coalesce(wo_number, '')), 'A')
    || setweight(to_tsvector('english'::regconfig, coalesce(title, '')), 'A')
    || setweight(to_tsvector('english'::regconfig, coalesce(description, '')), 'B')
  ) stored,
  created_at       timestamptz not null default now(),
  updated_at       timestamptz not null default now(),
  unique (warehouse_id, id),
  unique (warehouse_id, wo_number),
  unique (pm_schedule_id, pm_due_date),
  check (follow_up_of is distinct from id),
  foreign key (warehouse_id, equipment_id) references public.equipment (warehouse_id, id)
    on delete set null (equipment_id),
  foreign key (warehouse_id, follow_up_of) references public.work_orders (warehouse_id, id)
    on delete set null (follow_up_of),
  foreign key (warehouse_id, pm_schedule_id) references public.pm_schedules (warehouse_id, id)
    on delete set null (pm_schedule_id)
);
comment on table public.work_orders is 'Maintenance jobs. Status follows a state machine; technicians/contractors change execution fields only.';
comment on column public.work_orders.wo_number is 'WO-YYYYMMDD-NNNN, generated per warehouse and day when not supplied.';
comment on column public.work_orders.assigned_to is 'Assignees (profiles.id); each must be an active user with access to the warehouse.';
comment on column public.work_orders.requested_by is 'Requester (defaults to the caller).';
comment on column public.work_orders.status is 'Only legal transitions succeed (23514 otherwise); timestamps are set on transition.';
comment on column public.work_orders.escalation_level is 'Highest escalation rule level applied.';
comment on column public.work_orders.custom_fields is 'Site-specific extra fields.';
comment on column public.work_orders.follow_up_of is 'The work order this one follows up (same warehouse).';
comment on column public.work_orders.pm_due_date is 'For generated PM work orders: the due date; (pm_schedule_id, pm_due_date) is unique so generation is idempotent.';
comment on column public.work_orders.search is 'Full-text search vector over number, title and description.';
create index work_orders_status_idx on public.work_orders (warehouse_id, status);
create index work_orders_assigned_to_idx on public.work_orders using gin (assigned_to);
create index work_orders_requested_by_idx on public.work_orders (requested_by);
create index work_orders_verified_by_idx on public.work_orders (verified_by);
create index work_orders_equipment_idx on public.work_orders (warehouse_id, equipment_id);
create index work_orders_follow_up_idx on public.work_orders (warehouse_id, follow_up_of);
create index work_orders_pm_schedule_idx on public.work_orders (warehouse_id, pm_schedule_id);
create index work_orders_due_idx on public.work_orders (warehouse_id, due_date);
create index work_orders_created_idx on public.work_orders (warehouse_id, created_at, id);
create index work_orders_search_idx on public.work_orders using gin (search);

create table public.equipment_maintenance_history (
  id               uuid primary key default gen_random_uuid(),
  warehouse_id     uuid not null references public.warehouses (id),
  equipment_id     uuid not null,
  work_order_id    uuid,
  maintenance_type public.wo_type not null default 'corrective',
  performed_at     timestamptz not null default now(),
  performed_by     uuid references public.profiles (id) on delete set null,
  description      text,
  downtime_minutes integer check (downtime_minutes >= 0),
  cost             numeric(12, 2) check (cost >= 0),
  created_at       timestamptz not null default now(),
  updated_at       timestamptz not null default now(),
  foreign key (warehouse_id, equipment_id) references public.equipment (warehouse_id, id)
    on delete cascade,
  foreign key (warehouse_id, work_order_id) references public.work_orders (warehouse_id, id)
    on delete set null (work_order_id)
);
comment on table public.equipment_maintenance_history is 'Service history of an asset (one row per maintenance event).';
create index emh_equipment_idx on public.equipment_maintenance_history (warehouse_id, equipment_id, performed_at);
create index emh_work_order_idx on public.equipment_maintenance_history (warehouse_id, work_order_id);
create index emh_performed_by_idx on public.equipment_maintenance_history (performed_by);

-- ================================================================ work order children
create table public.wo_checklist_items (
  id            uuid primary key default gen_random_uuid(),
  warehouse_id  uuid not null references public.warehouses (id),
  work_order_id uuid not null,
  position      integer not null default 0,
  description   text not null,
  is_required   boolean not null default false,
  is_completed  boolean not null default false,
  completed_by  uuid references public.profiles (id) on delete set null,
  completed_at  timestamptz,
  notes         text,
  created_at    timestamptz not null default now(),
  updated_at    timestamptz not null default now(),
  foreign key (warehouse_id, work_order_id) references public.work_orders (warehouse_id, id)
    on delete cascade
);
comment on table public.wo_checklist_items is 'Checklist steps of a work order.';
create index wo_checklist_items_wo_idx on public.wo_checklist_items (warehouse_id, work_order_id, position);
create index wo_checklist_items_completed_by_idx on public.wo_checklist_items (completed_by);

create table public.wo_time_logs (
  id            uuid primary key default gen_random_uuid(),
  warehouse_id  uuid not null references public.warehouses (id),
  work_order_id uuid not null,
  user_id       uuid not null default auth.uid() references public.profiles (id),
  started_at    timestamptz not null default now(),
  ended_at      timestamptz,
  minutes       integer check (minutes >= 0),
  note          text,
  created_at    timestamptz not null default now(),
  updated_at    timestamptz not null default now(),
  constraint wo_time_logs_ended_after_started check (ended_at is null or ended_at >= started_at),
  foreign key (warehouse_id, work_order_id) references public.work_orders (warehouse_id, id)
    on delete cascade
);
comment on table public.wo_time_logs is 'Labour time per user on a work order. minutes is derived from started/ended when not given.';
create index wo_time_logs_wo_idx on public.wo_time_logs (warehouse_id, work_order_id);
create index wo_time_logs_user_idx on public.wo_time_logs (user_id, started_at);

create table public.wo_attachments (
  id            uuid primary key default gen_random_uuid(),
  warehouse_id  uuid not null references public.warehouses (id),
  work_order_id uuid not null,
  storage_path  text not null unique,
  file_name     text not null,
  mime_type     text not null,
  size_bytes    bigint not null check (size_bytes > 0),
  uploaded_by   uuid default auth.uid() references public.profiles (id) on delete set null,
  description   text,
  created_at    timestamptz not null default now(),
  updated_at    timestamptz not null default now(),
  foreign key (warehouse_id, work_order_id) references public.work_orders (warehouse_id, id)
    on delete cascade
);
comment on table public.wo_attachments is 'Files of a work order, stored in bucket work-order-attachments at <warehouse_id>/<work_order_id>/<file>.';
comment on column public.wo_attachments.storage_path is 'Object name in storage bucket work-order-attachments.';
comment on column public.wo_attachments.mime_type is 'Whitelisted MIME type (images 5 MB, documents 10 MB, video 20 MB).';
create index wo_attachments_wo_idx on public.wo_attachments (warehouse_id, work_order_id);
create index wo_attachments_uploaded_by_idx on public.wo_attachments (uploaded_by);

create table public.wo_parts_used (
  id            uuid primary key default gen_random_uuid(),
  warehouse_id  uuid not null references public.warehouses (id),
  work_order_id uuid not null,
  part_id       uuid not null,
  quantity      integer not null check (quantity > 0),
  unit_cost     numeric(12, 2) check (unit_cost >= 0),
  recorded_by   uuid default auth.uid() references public.profiles (id) on delete set null,
  consumed_at   timestamptz,
  created_at    timestamptz not null default now(),
  updated_at    timestamptz not null default now(),
  foreign key (warehouse_id, work_order_id) references public.work_orders (warehouse_id, id)
    on delete cascade,
  foreign key (warehouse_id, part_id) references public.parts (warehouse_id, id)
);
comment on table public.wo_parts_used is 'Parts planned/used on a work order; consumed_at is set when stock is issued (on completion).';
create index wo_parts_used_wo_idx on public.wo_parts_used (warehouse_id, work_order_id);
create index wo_parts_used_part_idx on public.wo_parts_used (warehouse_id, part_id);
create index wo_parts_used_recorded_by_idx on public.wo_parts_used (recorded_by);

-- ================================================================ part ledger
create table public.part_transactions (
  id            uuid primary key default gen_random_uuid(),
  warehouse_id  uuid not null references public.warehouses (id),
  part_id       uuid not null,
  type          public.part_txn_type not null,
  quantity      integer not null,
  unit_cost     numeric(12, 2) check (unit_cost >= 0),
  work_order_id uuid,
  -- no ON DELETE action: the ledger is append-only, so a profile with ledger history is
  -- deactivated (is_active = false), never deleted.
  performed_by  uuid default auth.uid() references public.profiles (id),
  reference     text,
  note          text,
  created_at    timestamptz not null default now(),
  updated_at    timestamptz not null default now(),
  constraint part_transactions_quantity_sign check (
    (type in ('receipt', 'return') and quantity > 0)
    or (type = 'issue' and quantity < 0)
    or (type in ('adjustment', 'transfer') and quantity <> 0)
  ),
  foreign key (warehouse_id, part_id) references public.parts (warehouse_id, id),
  foreign key (warehouse_id, work_order_id) references public.work_orders (warehouse_id, id)
);
comment on table public.part_transactions is 'Immutable stock ledger (append-only). Each row moves quantity_on_hand of its part by quantity (signed).';
comment on column public.part_transactions.quantity is 'Signed: receipt/return > 0, issue < 0, adjustment/transfer either sign.';
create index part_transactions_part_idx on public.part_transactions (warehouse_id, part_id, created_at);
create index part_transactions_wo_idx on public.part_transactions (warehouse_id, work_order_id);
create index part_transactions_performed_by_idx on public.part_transactions (performed_by);

-- ================================================================ notifications
create table public.notifications (
  id            uuid primary key default gen_random_uuid(),
  warehouse_id  uuid not null references public.warehouses (id),
  user_id       uuid not null references public.profiles (id) on delete cascade,
  title         text not null,
  body          text,
  work_order_id uuid,
  read_at       timestamptz,
  created_at    timestamptz not null default now(),
  updated_at    timestamptz not null default now(),
  foreign key (warehouse_id, work_order_id) references public.work_orders (warehouse_id, id)
    on delete cascade
);
comment on table public.notifications is 'In-app notifications; each user sees only their own.';
comment on column public.notifications.read_at is 'Null while unread.';
create index notifications_user_idx on public.notifications (user_id, created_at);
-- the bell icon asks for the unread ones, newest first
create index notifications_unread_idx on public.notifications (user_id, created_at desc)
  where read_at is null;
create index notifications_wo_idx on public.notifications (warehouse_id, work_order_id);

create table public.notification_settings (
  id            uuid primary key default gen_random_uuid(),
  warehouse_id  uuid not null references public.warehouses (id),
  user_id       uuid not null references public.profiles (id) on delete cascade,
  in_app        boolean not null default true,
  email         boolean not null default true,
  sms           boolean not null default false,
  push          boolean not null default false,
  digest        text not null default 'immediate' check (digest in ('immediate', 'hourly', 'daily', 'off')),
  created_at    timestamptz not null default now(),
  updated_at    timestamptz not null default now(),
  unique (user_id, warehouse_id)
);
comment on table public.notification_settings is 'Per-user, per-warehouse channel preferences.';
create index notification_settings_warehouse_idx on public.notification_settings (warehouse_id);

-- ================================================================ settings / escalation
create table public.system_settings (
  id               uuid primary key default gen_random_uuid(),
  warehouse_id     uuid not null references public.warehouses (id),
  key              text not null,
  value            jsonb not null default 'null',
  description      text,
  editable_by_role public.app_role[] not null default '{admin}',
  created_at       timestamptz not null default now(),
  updated_at       timestamptz not null default now(),
  unique (warehouse_id, key)
);
comment on table public.system_settings is 'Per-warehouse configuration values.';
comment on column public.system_settings.editable_by_role is 'Roles besides admin that may update the value (manager when listed).';

create table public.escalation_rules (
  id               uuid primary key default gen_random_uuid(),
  warehouse_id     uuid not null references public.warehouses (id),
  priority         public.wo_priority not null,
  hours_overdue    integer not null check (hours_overdue > 0),
  escalate_to_role public.app_role not null,
  level            integer not null check (level > 0),
  notify           boolean not null default true,
  is_active        boolean not null default true,
  created_at       timestamptz not null default now(),
  updated_at       timestamptz not null default now(),
  unique (warehouse_id, priority, level)
);
comment on table public.escalation_rules is 'When an overdue work order of a priority escalates, to which role, at which level.';

-- ================================================================ updated_at triggers
do $$
declare
  t text;
begin
  foreach t in array array[
    'warehouses', 'profiles', 'user_warehouse_access', 'vendors', 'contractors', 'equipment',
    'parts', 'pm_templates', 'pm_template_checklist', 'pm_schedules', 'work_orders',
    'equipment_maintenance_history', 'wo_checklist_items', 'wo_time_logs', 'wo_attachments',
    'wo_parts_used', 'part_transactions', 'notifications', 'notification_settings',
    'system_settings', 'escalation_rules'
  ] loop
    execute format(
      'create trigger trg_90_updated_at before update on public.%I '
      'for each row execute function private.set_updated_at()', t);
  end loop;
end
$$;
