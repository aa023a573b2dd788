-- Schema public as the Data API reaches it: the API roles may look names up there (USAGE). What
-- they may do with each table is the project's own GRANT (the grant model since 2026; the
-- supabase-2025 profile adds the older default privileges on top).
grant usage on schema public to anon, authenticated, service_role, postgres, dashboard_user;
