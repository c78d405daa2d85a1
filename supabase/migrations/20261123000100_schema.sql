-- Tables, value lists, row-level security and policies. Functions live in the domain files that follow;
-- privileges are all in *_grants.sql. Runs unchanged on hosted Supabase (no superuser needed), plain
-- Postgres + supabase/local/prelude.sql, and PGlite. See docs/database.md.

-- Everything the migrating role creates from here on starts closed: Postgres grants EXECUTE on new
-- functions to PUBLIC, and Supabase adds ALL on new tables and functions in `public` for the API roles.
-- Each migration grants what it means to expose (see *_grants.sql).
alter default privileges revoke execute on functions from public;
alter default privileges in schema public revoke execute on functions from anon, authenticated, service_role;
alter default privileges in schema public revoke all on tables from anon, authenticated;

-- Internal helpers live here. PostgREST exposes only `public`, so nothing in this schema is an API.
create schema private;
revoke all on schema private from public;
alter default privileges in schema private revoke execute on functions from anon, authenticated, service_role;

-- ---- value lists -------------------------------------------------------------------------------
-- One definition each, shared by every column and function that uses the list. The TypeScript twins
-- (lib/lessons/types.ts difficulties, lib/usage/types.ts usageFeatures/usageModes, "running" plus
-- FinishStatus in lib/generation/generation-request.ts) are compared with these by
-- tests/db/value-lists.test.ts. Functions check membership with private.domain_values().

create domain public.lesson_difficulty as text check (value in ('intro', 'easy', 'medium', 'hard'));
-- What a model call or a generation was for.
create domain public.usage_feature as text check (value in ('similar', 'fyp-learner', 'fyp-sweep', 'bench'));
-- How a lesson was produced: one batched call, one call per lesson, or a repair call (the "via");
-- usage events also have 'moderation', the screen of a generated lesson (docs/quality.md).
create domain public.usage_mode as text check (value in ('single-call', 'single', 'repair', 'moderation'));
create domain public.generation_status as text
  check (value in ('running', 'succeeded', 'partial', 'failed', 'cancelled'));

-- ---- tiers and people ------------------------------------------------------------------------

create table public.tier_limits (
  tier text primary key,
  lessons_per_day int not null check (lessons_per_day > 0),
  monthly_spend_usd numeric(12, 4) check (monthly_spend_usd is null or monthly_spend_usd >= 0)
);

insert into public.tier_limits (tier, lessons_per_day, monthly_spend_usd) values
  ('free', 20, 2),
  ('pro', 200, 20),
  ('admin', 1000, 100);

create table public.profiles (
  id uuid primary key references auth.users (id) on delete cascade,
  email text not null,
  display_name text,
  tier text not null default 'free' references public.tier_limits (tier),
  role text not null default 'learner' check (role in ('learner', 'admin')),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index profiles_email_idx on public.profiles (lower(email));

-- ---- catalogue and lessons -----------------------------------------------------------------------

create table public.subjects (
  id uuid primary key default gen_random_uuid(),
  slug text not null unique,
  name text not null,
  description text,
  position int not null default 0
);

create table public.topics (
  id uuid primary key default gen_random_uuid(),
  subject_id uuid not null references public.subjects (id) on delete cascade,
  slug text not null unique,
  name text not null,
  description text,
  position int not null default 0
);
create index topics_subject_idx on public.topics (subject_id, position);

create table public.generation_requests (
  id uuid primary key default gen_random_uuid(),
  user_id uuid references public.profiles (id) on delete cascade, -- null for the cron sweep
  idempotency_key text,
  body_hash text,
  feature public.usage_feature not null,
  playlist_id uuid, -- FK added below (playlists is created later)
  requested int not null default 0 check (requested >= 0),
  succeeded int not null default 0,
  failed int not null default 0,
  status public.generation_status not null default 'running',
  result jsonb,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  finished_at timestamptz,
  unique (user_id, idempotency_key)
);
create index generation_requests_created_idx on public.generation_requests (created_at);

create table public.lessons (
  id uuid primary key default gen_random_uuid(),
  topic_id uuid not null references public.topics (id) on delete cascade,
  difficulty public.lesson_difficulty not null,
  title text not null,
  normalized_title text not null,
  content jsonb not null,
  content_version int not null default 1,
  source text not null check (source in ('seed', 'generated')),
  model text,
  generation_request_id uuid references public.generation_requests (id) on delete set null,
  generation_slot int,
  created_by uuid references public.profiles (id) on delete set null,
  created_at timestamptz not null default now(),
  unique (generation_request_id, generation_slot)
);
create index lessons_topic_idx on public.lessons (topic_id, difficulty, created_at);
create index lessons_topic_title_idx on public.lessons (topic_id, normalized_title);

-- ---- per-learner state ---------------------------------------------------------------------------

create table public.topic_follows (
  user_id uuid not null references public.profiles (id) on delete cascade,
  topic_id uuid not null references public.topics (id) on delete cascade,
  difficulty public.lesson_difficulty not null default 'easy',
  created_at timestamptz not null default now(),
  primary key (user_id, topic_id)
);
create index topic_follows_topic_idx on public.topic_follows (topic_id);

create table public.feed_items (
  user_id uuid not null references public.profiles (id) on delete cascade,
  lesson_id uuid not null references public.lessons (id) on delete cascade,
  topic_id uuid not null references public.topics (id) on delete cascade,
  status text not null default 'pending' check (status in ('pending', 'seen')),
  created_at timestamptz not null default now(),
  seen_at timestamptz,
  primary key (user_id, lesson_id)
);
create index feed_items_pending_idx on public.feed_items (user_id, topic_id) where status = 'pending';
create index feed_items_user_created_idx on public.feed_items (user_id, status, created_at);

create table public.playlists (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null references public.profiles (id) on delete cascade,
  title text not null check (char_length(title) between 1 and 80),
  description text check (description is null or char_length(description) <= 280),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index playlists_user_idx on public.playlists (user_id, updated_at desc);

alter table public.generation_requests
  add constraint generation_requests_playlist_fk
  foreign key (playlist_id) references public.playlists (id) on delete set null;

create table public.playlist_lessons (
  playlist_id uuid not null references public.playlists (id) on delete cascade,
  lesson_id uuid not null references public.lessons (id) on delete cascade,
  position int not null,
  added_at timestamptz not null default now(),
  primary key (playlist_id, lesson_id)
);
create index playlist_lessons_order_idx on public.playlist_lessons (playlist_id, position);
create index playlist_lessons_lesson_idx on public.playlist_lessons (lesson_id);

-- ---- usage ---------------------------------------------------------------------------------------

-- One row per model call attempt (lib/usage/types.ts UsageEvent); the id comes from the producer.
create table public.usage_events (
  id uuid primary key,
  created_at timestamptz not null,
  request_id uuid,
  user_id uuid references public.profiles (id) on delete set null,
  feature public.usage_feature not null,
  mode public.usage_mode not null,
  provider text not null,
  model text not null,
  attempt int not null default 1,
  lessons_asked int not null default 0,
  lessons_valid int not null default 0,
  prompt_tokens int not null default 0,
  cached_tokens int not null default 0,
  completion_tokens int not null default 0,
  latency_ms int not null default 0,
  ttft_ms int,
  http_status int,
  finish_reason text,
  error_code text,
  cost_usd numeric(14, 8) not null default 0,
  -- cost_usd split by what was billed: uncached input, cached input, output (docs/cost-model.md).
  input_usd numeric(14, 8) not null default 0,
  cached_usd numeric(14, 8) not null default 0,
  output_usd numeric(14, 8) not null default 0,
  counterfactual_prompt_tokens int,
  counterfactual_cost_usd numeric(14, 8),
  price_version text not null,
  circuit_open boolean not null default false,
  inserted_at timestamptz not null default now()
);
-- Dashboard filters: time range (+ mode/latency for percentiles), feature, model, errors only, user.
create index usage_events_created_idx on public.usage_events (created_at desc);
create index usage_events_feature_idx on public.usage_events (feature, created_at desc);
create index usage_events_model_idx on public.usage_events (model, created_at desc);
create index usage_events_mode_idx on public.usage_events (mode, created_at desc);
create index usage_events_errors_idx on public.usage_events (created_at desc, error_code) where error_code is not null;
create index usage_events_user_idx on public.usage_events (user_id, created_at desc);
create index usage_events_request_idx on public.usage_events (request_id);

-- Daily rollup per (UTC day, model, mode, feature, user), kept current by the trigger in *_usage.sql.
create table public.usage_daily (
  day date not null,
  model text not null,
  mode public.usage_mode not null,
  feature public.usage_feature not null,
  user_id uuid,
  calls bigint not null default 0,
  failed_calls bigint not null default 0,
  lessons_asked bigint not null default 0,
  lessons_valid bigint not null default 0,
  prompt_tokens bigint not null default 0,
  cached_tokens bigint not null default 0,
  completion_tokens bigint not null default 0,
  cost_usd numeric(18, 8) not null default 0,
  input_usd numeric(18, 8) not null default 0,
  cached_usd numeric(18, 8) not null default 0,
  output_usd numeric(18, 8) not null default 0,
  saved_usd numeric(18, 8) not null default 0,
  saved_prompt_tokens bigint not null default 0,
  latency_ms_sum bigint not null default 0
);
create unique index usage_daily_key on public.usage_daily (day, model, mode, feature, user_id) nulls not distinct;
create index usage_daily_user_idx on public.usage_daily (user_id, day);

-- Failures by code and a latency histogram per (day, mode), so the dashboard never scans usage_events.
-- Buckets are 5% wide on a log scale; a percentile reports the mean latency of its bucket (exact when
-- the bucket holds one value, within 5% otherwise).
create table public.usage_daily_failures (
  day date not null,
  error_code text not null,
  calls bigint not null default 0,
  primary key (day, error_code)
);
create table public.usage_daily_latency (
  day date not null,
  mode public.usage_mode not null,
  bucket int not null,
  calls bigint not null default 0,
  latency_ms_sum bigint not null default 0,
  primary key (day, mode, bucket)
);

-- ---- quotas and rate limits ------------------------------------------------------------------------

-- Lessons used and held per learner per UTC day; reserve_quota checks and bumps it in one statement.
create table public.quota_days (
  user_id uuid not null references public.profiles (id) on delete cascade,
  day date not null,
  used int not null default 0 check (used >= 0),
  reserved int not null default 0 check (reserved >= 0),
  primary key (user_id, day)
);

create table public.quota_reservations (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null references public.profiles (id) on delete cascade,
  day date not null,
  lessons int not null check (lessons > 0),
  request_id uuid,
  status text not null default 'held' check (status in ('held', 'settled')),
  used int,
  created_at timestamptz not null default now(),
  settled_at timestamptz
);
create index quota_reservations_user_idx on public.quota_reservations (user_id, day);

-- Token buckets for per-user / per-IP request limits, shared by every app instance.
create table public.rate_limit_buckets (
  key text primary key,
  tokens double precision not null,
  last_allowed boolean not null default true,
  updated_at timestamptz not null default now()
);

-- ---- row-level security ------------------------------------------------------------------------------

alter table public.tier_limits enable row level security;
alter table public.profiles enable row level security;
alter table public.subjects enable row level security;
alter table public.topics enable row level security;
alter table public.generation_requests enable row level security;
alter table public.lessons enable row level security;
alter table public.topic_follows enable row level security;
alter table public.feed_items enable row level security;
alter table public.playlists enable row level security;
alter table public.playlist_lessons enable row level security;
alter table public.usage_events enable row level security;
alter table public.usage_daily enable row level security;
alter table public.usage_daily_failures enable row level security;
alter table public.usage_daily_latency enable row level security;
alter table public.quota_days enable row level security;
alter table public.quota_reservations enable row level security;
alter table public.rate_limit_buckets enable row level security;

create policy tier_limits_read on public.tier_limits for select to authenticated using (true);
create policy profiles_read_own on public.profiles for select to authenticated using (id = auth.uid());
create policy subjects_read on public.subjects for select to authenticated using (true);
create policy topics_read on public.topics for select to authenticated using (true);
create policy lessons_read on public.lessons for select to authenticated using (true);
create policy generation_requests_read_own on public.generation_requests for select to authenticated
  using (user_id = auth.uid());

create policy topic_follows_own on public.topic_follows for all to authenticated
  using (user_id = auth.uid()) with check (user_id = auth.uid());
create policy feed_items_own on public.feed_items for all to authenticated
  using (user_id = auth.uid()) with check (user_id = auth.uid());
create policy playlists_own on public.playlists for all to authenticated
  using (user_id = auth.uid()) with check (user_id = auth.uid());
create policy playlist_lessons_own on public.playlist_lessons for all to authenticated
  using (exists (select 1 from public.playlists p where p.id = playlist_id and p.user_id = auth.uid()))
  with check (exists (select 1 from public.playlists p where p.id = playlist_id and p.user_id = auth.uid()));

-- Admins read usage. Checked inline (the caller may read their own profile row), so the policy needs no
-- helper function the API roles would have to be allowed to execute.
create policy usage_events_admin_read on public.usage_events for select to authenticated
  using (exists (select 1 from public.profiles p where p.id = auth.uid() and p.role = 'admin'));
create policy usage_daily_admin_read on public.usage_daily for select to authenticated
  using (exists (select 1 from public.profiles p where p.id = auth.uid() and p.role = 'admin'));
create policy usage_daily_failures_admin_read on public.usage_daily_failures for select to authenticated
  using (exists (select 1 from public.profiles p where p.id = auth.uid() and p.role = 'admin'));
create policy usage_daily_latency_admin_read on public.usage_daily_latency for select to authenticated
  using (exists (select 1 from public.profiles p where p.id = auth.uid() and p.role = 'admin'));
create policy quota_days_read_own on public.quota_days for select to authenticated using (user_id = auth.uid());
create policy quota_reservations_read_own on public.quota_reservations for select to authenticated
  using (user_id = auth.uid());
-- rate_limit_buckets: no policy at all; only definer functions touch them.
