-- Safety net for future migrations: functions and tables the migrating role creates from now on are
-- executable/readable by nobody until a migration grants them explicitly, as 20261123000500_grants.sql
-- does. (Postgres grants EXECUTE to PUBLIC by default; Supabase adds ALL on tables and functions for
-- anon and authenticated in schema public.)
alter default privileges revoke execute on functions from public;
alter default privileges in schema public revoke execute on functions from anon, authenticated;
alter default privileges in schema public revoke all on tables from anon, authenticated;
