-- Usage rollups in shards: each usage insert used to add into the same per-day rollup rows, so every
-- concurrent writer queued on one row lock until the one before it committed. The rollups now carry a
-- shard (0–7) taken from the event id, so concurrent inserts touch different rows; every reader already
-- sums its rows (admin_usage, admin_top_users, month_spend_usd), so a shard is just one more row to add.
-- The deployment spend rollup (spend_days) takes its shard from the event id too, instead of random(),
-- so a writer's rows are predictable and two writers of different shards never meet.

alter table public.usage_daily add column shard smallint not null default 0 check (shard between 0 and 7);
drop index public.usage_daily_key;
create unique index usage_daily_key on public.usage_daily (day, model, mode, feature, user_id, shard) nulls not distinct;

alter table public.usage_daily_failures add column shard smallint not null default 0 check (shard between 0 and 7);
alter table public.usage_daily_failures drop constraint usage_daily_failures_pkey;
alter table public.usage_daily_failures add primary key (day, error_code, shard);

alter table public.usage_daily_latency add column shard smallint not null default 0 check (shard between 0 and 7);
alter table public.usage_daily_latency drop constraint usage_daily_latency_pkey;
alter table public.usage_daily_latency add primary key (day, mode, bucket, shard);

-- The shard of an event: the low bits of its id's last byte (ids are random UUIDs, so shards are even).
-- Inlined below as get_byte(uuid_send(id), 15) & 7 (usage rollups) and & 15 (spend_days).


